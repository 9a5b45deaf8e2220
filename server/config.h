// Config: ihubd's settings from flags, IHUB_* environment variables and an
// optional JSON config file, with precedence flag > env > file > default
// (API.md §7, API-DECISIONS item 107). Env names are IHUB_ + the flag name in
// upper case with dashes as underscores (--data-dir -> IHUB_DATA_DIR); the
// file is a JSON object keyed by flag name ({"data-dir": "/var/lib/ihub"}).
//
// Thread-safety: ParseConfig is pure apart from reading the config file; a
// Config is immutable once the server runs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/journal.h"

namespace ihub {

// FsyncMode (always | batch | none) is the journal's: store/journal.h.

// See JournalOptions::group_commit_delay (store/journal.h) and docs/journal-format.md.
inline constexpr int kDefaultGroupCommitDelayUs = 0;

struct Config {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;  // 0 = ephemeral
  int threads = 1;              // default: hardware cores
  std::string data_dir = "./data";
  int snapshot_interval_s = 300;  // 0 disables periodic snapshots
  int snapshot_keep = 5;
  FsyncMode fsync = FsyncMode::kBatch;
  int group_commit_delay_us = kDefaultGroupCommitDelayUs;
  std::string issuer;  // default http://<listen>, resolved by ParseConfig
  bool issuer_defaulted = true;  // main may replace the port once bound to port 0
  size_t max_body = 1 << 20;
  int max_connections = 10000;
  int idle_timeout_s = 60;
  int header_timeout_s = 10;
  std::string encryption_key_file;  // empty = env IHUB_ENCRYPTION_KEY or <data-dir>/data.key
  bool access_log = true;
  std::string config_file;
};

struct ConfigOutcome {
  enum class Action { kRun, kHelp, kVersion, kError };
  Action action = Action::kRun;
  Config config;        // valid when action == kRun
  std::string message;  // help text, version, or the error for kError
};

// Looks an environment variable up; returns nullptr when unset.
using EnvLookup = std::function<const char*(const char* name)>;

// Parses args (without argv[0]). Accepts "--flag value" and "--flag=value".
// Returns kError with a message naming the flag and the bad value for unknown
// flags, missing values, out-of-range numbers or an unreadable config file.
ConfigOutcome ParseConfig(const std::vector<std::string>& args, const EnvLookup& env);

// The --help text.
std::string ConfigHelp();

const char* FsyncModeName(FsyncMode mode);

}  // namespace ihub
