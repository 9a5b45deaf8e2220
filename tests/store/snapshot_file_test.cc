#include "store/snapshot_file.h"

#include <sys/stat.h>

#include <filesystem>
#include <istream>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "tests/store/temp_dir.h"

namespace ihub {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::TempDir;

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

class SnapshotFileTest : public ::testing::Test {
 protected:
  // Writes a snapshot with `payload` and two tables; returns its path.
  std::string Write(uint64_t seq, const std::string& payload, uint64_t journal_seq = 0) {
    std::string path = dir_.Sub(SnapshotFileName(seq));
    auto w = SnapshotFileWriter::Create(path, 2);
    EXPECT_TRUE(w.ok());
    (*w)->stream().write(payload.data(), static_cast<std::streamsize>(payload.size()));
    auto h = (*w)->Commit(seq, journal_seq, 1700000000123, {{"clients", 7}, {"tokens", 11}});
    EXPECT_TRUE(h.ok()) << h.status().message();
    return path;
  }
  TempDir dir_;
};

TEST_F(SnapshotFileTest, RoundTripKeepsHeaderAndPayload) {
  std::string payload = RandomBytes(3 << 20, 1);  // spans several writer buffers
  std::string path = Write(4, payload, 99);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  auto loaded = ReadSnapshotFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->payload, payload);
  const SnapshotHeader& h = loaded->header;
  EXPECT_EQ(h.sequence, 4u);
  EXPECT_EQ(h.journal_seq, 99u);
  EXPECT_EQ(h.created_at_ms, 1700000000123);
  EXPECT_EQ(h.payload_bytes, payload.size());
  ASSERT_EQ(h.tables.size(), 2u);
  EXPECT_EQ(h.tables[1].name, "tokens");
  EXPECT_EQ(h.tables[1].records, 11u);
  EXPECT_EQ(h.total_records(), 18u);
  EXPECT_EQ(fs::file_size(path), h.header_bytes + payload.size());
  EXPECT_TRUE(VerifySnapshot(path).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  MemoryStreambuf buf(loaded->payload);
  std::istream in(&buf);
  std::string first(5, '\0');
  in.read(first.data(), 5);
  EXPECT_EQ(first, payload.substr(0, 5));
}

TEST_F(SnapshotFileTest, EveryTruncationIsDetected) {
  std::string path = Write(1, RandomBytes(300, 2));
  const std::string whole = ReadAll(path);
  for (size_t cut = 0; cut < whole.size(); ++cut) {
    testing::WriteAll(path, whole.substr(0, cut));
    auto r = VerifySnapshot(path);
    ASSERT_FALSE(r.ok()) << cut;
    EXPECT_TRUE(IsCorruptSnapshot(r.status())) << cut << ": " << r.status().message();
    EXPECT_FALSE(ReadSnapshotFile(path).ok());
  }
  testing::WriteAll(path, whole + "x");  // trailing garbage too
  EXPECT_TRUE(IsCorruptSnapshot(VerifySnapshot(path).status()));
}

TEST_F(SnapshotFileTest, EveryBitFlipIsDetected) {
  std::string path = Write(1, RandomBytes(64, 3));
  const std::string whole = ReadAll(path);
  for (size_t bit = 0; bit < whole.size() * 8; ++bit) {
    std::string damaged = whole;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    testing::WriteAll(path, damaged);
    auto r = ReadSnapshotFile(path);
    ASSERT_FALSE(r.ok()) << "bit " << bit;
    EXPECT_TRUE(IsCorruptSnapshot(r.status())) << "bit " << bit;
  }
}

TEST_F(SnapshotFileTest, AnAbandonedWriterLeavesNoFile) {
  std::string path = dir_.Sub(SnapshotFileName(1));
  {
    auto w = SnapshotFileWriter::Create(path, 1);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append("partial").ok());
    EXPECT_TRUE(fs::exists(path + ".tmp"));
  }
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(SnapshotFileTest, ListPruneAndQuarantine) {
  for (uint64_t s = 1; s <= 6; ++s) Write(s, "payload" + std::to_string(s), s * 10);
  std::string bad = dir_.Sub(SnapshotFileName(6));
  std::string bytes = ReadAll(bad);
  bytes[3] ^= 1;  // magic
  testing::WriteAll(bad, bytes);
  testing::WriteAll(dir_.Sub("notes.txt"), "ignored");
  testing::WriteAll(dir_.Sub(SnapshotFileName(9) + ".tmp"), "stale");

  auto list = ListSnapshots(dir_.path());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 6u);
  EXPECT_EQ(list->front().sequence, 1u);
  EXPECT_TRUE(list->front().header_status.ok());
  EXPECT_EQ(list->front().header.journal_seq, 10u);
  EXPECT_FALSE(list->back().header_status.ok());

  std::vector<std::string> removed;
  ASSERT_TRUE(PruneSnapshots(dir_.path(), 3, &removed).ok());
  // The damaged newest one does not count toward the three kept.
  EXPECT_EQ(removed.size(), 2u);
  list = ListSnapshots(dir_.path());
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ(list->front().sequence, 3u);

  auto moved = QuarantineSnapshot(bad);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, bad + ".corrupt");
  EXPECT_EQ(ListSnapshots(dir_.path())->size(), 3u);
  Write(6, "again");
  ASSERT_TRUE(QuarantineSnapshot(bad).ok());
  EXPECT_TRUE(fs::exists(bad + ".corrupt.1"));

  ASSERT_TRUE(RemoveStaleSnapshotTemporaries(dir_.path()).ok());
  EXPECT_FALSE(fs::exists(dir_.Sub(SnapshotFileName(9) + ".tmp")));
}

TEST_F(SnapshotFileTest, FileNamesRoundTrip) {
  uint64_t seq = 0;
  EXPECT_EQ(SnapshotFileName(42), "snapshot-000000000042.ihubsnap");
  EXPECT_TRUE(ParseSnapshotFileName(SnapshotFileName(42), &seq));
  EXPECT_EQ(seq, 42u);
  EXPECT_FALSE(ParseSnapshotFileName("snapshot-000000000042.ihubsnap.corrupt", &seq));
  EXPECT_FALSE(ParseSnapshotFileName("snapshot-0x.ihubsnap", &seq));
}

TEST_F(SnapshotFileTest, AMissingFileIsAnIoErrorNotCorruption) {
  auto r = VerifySnapshot(dir_.Sub("nope.ihubsnap"));
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(IsCorruptSnapshot(r.status()));
}

}  // namespace
}  // namespace ihub
