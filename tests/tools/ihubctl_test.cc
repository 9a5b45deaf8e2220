// ihubctl, run as operators run it (the real binary, IHUBCTL_PATH): a snapshot with records of
// every kind goes through `snapshot export` and `snapshot restore` (from the snapshot file and
// from the export) and comes back with the same records; a restore never overwrites data without
// --force; a damaged or foreign export is refused and leaves the data dir as it was.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/snapshot.h"
#include "store/store.h"
#include "tests/store/record_fixtures.h"
#include "tests/store/temp_dir.h"

extern char** environ;

namespace ihub {
namespace {

namespace fs = std::filesystem;
using testing::Contents;
using testing::TempDir;

// Runs ihubctl with `args`, its output to /dev/null; returns its exit status (-1 if it did not
// exit normally).
int RunCtl(const std::vector<std::string>& args) {
  std::vector<std::string> argv_strings = {IHUBCTL_PATH};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, IHUBCTL_PATH, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

constexpr uint64_t kExtraTokens = 5000;

// One record of every kind the store holds, and many tokens.
void FillEveryKind(Store& store) {
  IntegrationRecord integration;
  integration.id = "int_1";
  integration.org_id = "o1";
  integration.type = "PAYMENT_GATEWAY";
  integration.name = "n";
  integration.sealed_secrets = std::string("\x01\xff\x00sealed", 9);  // bytes, not text
  integration.invitation = {"inv1", "code1", "https://x", 7, "acct", "crn", 8};
  ASSERT_TRUE(store
                  .Write([&](WriteTxn& txn) {
                    txn.Put(testing::Org("o1"));
                    txn.Put(testing::Key("k1", "o1"));
                    txn.Put(testing::Client("c1" + std::string(23, 'k'), "o1", 1));
                    txn.Put(testing::Token(1));
                    txn.Put(testing::Token(2));
                    txn.Put(integration);
                    txn.Put(VendorRecord{"12345678", "vendor", "custom_hosted", true, {"api key"}, 9});
                    txn.Put(OemTokenRecord{Sha256("ihoem_x"), "o1", "clientkey", "crn:o1", 10});
                    // More records than the reader applies at once (4,096).
                    for (uint64_t n = 3; n < 3 + kExtraTokens; ++n) txn.Put(testing::Token(n));
                    return Status::Ok();
                  })
                  .ok());
}

class IhubctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FillEveryKind(source_);
    snapshot_ = dir_.Sub("source.ihubsnap");
    ASSERT_TRUE(WriteStoreSnapshot(source_, nullptr, snapshot_, 7, 1700000000123).ok());
    export_ = dir_.Sub("export.json");
    ASSERT_EQ(RunCtl({"snapshot", "export", snapshot_, "--format", "json", "-o", export_}), 0);
  }

  // The records of the one snapshot in `data_dir`, and its journal sequence.
  std::vector<std::string> Restored(const std::string& data_dir, uint64_t* journal_seq) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(data_dir + "/snapshots")) files.push_back(e.path());
    EXPECT_EQ(files.size(), 1u);
    if (files.size() != 1) return {};
    EXPECT_EQ(fs::path(files[0]).filename(), SnapshotFileName(7));
    Store store;
    auto header = LoadStoreSnapshot(files[0], &store);
    EXPECT_TRUE(header.ok()) << header.status().message();
    *journal_seq = header.ok() ? header->journal_seq : 0;
    return Contents(store);
  }

  TempDir dir_;
  Store source_;
  std::string snapshot_;
  std::string export_;
};

TEST_F(IhubctlTest, RestoreFromASnapshotFileKeepsEveryRecord) {
  const std::string data = dir_.Sub("from-snapshot");
  ASSERT_EQ(RunCtl({"snapshot", "restore", snapshot_, "--data-dir", data}), 0);
  uint64_t journal_seq = 0;
  EXPECT_EQ(Restored(data, &journal_seq), Contents(source_));
  EXPECT_EQ(journal_seq, source_.last_seq());
}

TEST_F(IhubctlTest, RestoreFromAnExportKeepsEveryRecordExactly) {
  const std::string data = dir_.Sub("from-export");
  ASSERT_EQ(RunCtl({"snapshot", "restore", export_, "--data-dir", data}), 0);
  uint64_t journal_seq = 0;
  const std::vector<std::string> restored = Restored(data, &journal_seq);
  EXPECT_EQ(restored.size(), 8u + kExtraTokens);
  EXPECT_EQ(restored, Contents(source_));  // byte for byte, the sealed secret's bytes included
  EXPECT_EQ(journal_seq, source_.last_seq());
}

TEST_F(IhubctlTest, RestoreRefusesADataDirWithDataUnlessForced) {
  const std::string data = dir_.Sub("busy");
  ASSERT_EQ(RunCtl({"snapshot", "restore", snapshot_, "--data-dir", data}), 0);
  WriteAll(data + "/journal/marker", "x");
  EXPECT_EQ(RunCtl({"snapshot", "restore", export_, "--data-dir", data}), 2);
  EXPECT_TRUE(fs::exists(data + "/journal/marker"));
  EXPECT_EQ(RunCtl({"snapshot", "restore", export_, "--data-dir", data, "--force"}), 0);
  EXPECT_FALSE(fs::exists(data + "/journal/marker"));
  uint64_t journal_seq = 0;
  EXPECT_EQ(Restored(data, &journal_seq), Contents(source_));
}

TEST_F(IhubctlTest, DamagedOrForeignExportsAreRefusedAndChangeNothing) {
  const std::string good = ReadAll(export_);
  const size_t raw_at = good.find("\"raw\":\"");
  ASSERT_NE(raw_at, std::string::npos);
  const size_t raw = raw_at + 7;
  std::string bad_base64 = good;
  bad_base64[raw] = '*';
  std::string foreign = good;
  foreign.replace(foreign.find("ihub-snapshot-export"), 20, "something-else-entir");
  std::string future = good;
  future.replace(future.find("\"version\":1"), 11, "\"version\":9");
  std::string misfiled = good;  // an org's record filed under tokens
  misfiled.replace(misfiled.find("\"orgs\":"), 7, "\"tokens\":");
  misfiled.replace(misfiled.find("\"tokens\":", misfiled.find("\"api_keys\"")), 9, "\"orgs\":");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"truncated", good.substr(0, good.size() / 2)},
      {"bad-base64", bad_base64},
      {"foreign", foreign},
      {"future", future},
      {"misfiled", misfiled},
      {"not-json", "{nope"},
  };
  for (const auto& [name, bytes] : cases) {
    const std::string file = dir_.Sub(name + ".json");
    WriteAll(file, bytes);
    const std::string data = dir_.Sub("data-" + name);
    EXPECT_EQ(RunCtl({"snapshot", "restore", file, "--data-dir", data}), 1) << name;
    EXPECT_FALSE(fs::exists(data)) << name;
  }
}

}  // namespace
}  // namespace ihub
