// ihubctl's commands: offline tools over a data directory (API.md §6). Each
// command returns the process exit code (kExit*). Nothing here needs a
// running server; none of it may run against a data dir a server is using,
// except the read-only list and verify commands.
//
// Thread-safety: single-threaded tool.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ihub::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitDamaged = 1;  // a file failed verification
inline constexpr int kExitUsage = 2;
inline constexpr int kExitError = 3;  // could not read or write

struct Options {
  std::string data_dir;  // --data-dir, else $IHUB_DATA_DIR, else ./data
  std::string format = "json";
  std::string output;  // -o FILE; empty = stdout
  bool force = false;
  std::vector<std::string> args;  // positional arguments after the command words
};

int SnapshotList(const Options& o);
int SnapshotVerify(const Options& o);
int SnapshotExport(const Options& o);
int SnapshotRestore(const Options& o);
int JournalVerify(const Options& o);

// A progress bar on stderr for long work, drawn only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(std::string label);
  ~Progress();  // finishes the line
  void Update(uint64_t done, uint64_t total);

 private:
  std::string label_;
  bool tty_;
  int last_percent_ = -1;
};

}  // namespace ihub::ctl
