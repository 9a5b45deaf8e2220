#include "store/journal.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/journal_format.h"
#include "store/journal_reader.h"
#include "tests/store/temp_dir.h"

namespace ihub {
namespace {

namespace fs = std::filesystem;
namespace jf = journal_format;
using testing::ReadAll;
using testing::TempDir;

std::string Payload(uint64_t i) { return "mutation-" + std::to_string(i) + std::string(i % 37, 'x'); }

struct Read {
  std::vector<std::pair<uint64_t, std::string>> records;
  std::optional<JournalProblem> problem;
};

Read ReadJournal(const std::string& dir, uint64_t after = 0) {
  Read out;
  auto reader = JournalReader::Open(dir, after);
  EXPECT_TRUE(reader.ok());
  uint64_t seq;
  std::string payload;
  while (reader->Next(&seq, &payload)) out.records.emplace_back(seq, payload);
  out.problem = reader->problem();
  return out;
}

class JournalTest : public ::testing::Test {
 protected:
  std::unique_ptr<Journal> OpenJournal(FsyncMode mode, uint64_t next_seq = 1) {
    auto j = Journal::Open({dir_.Sub("journal"), mode, 64ull << 20}, next_seq);
    EXPECT_TRUE(j.ok()) << j.status().message();
    return j.ok() ? std::move(*j) : nullptr;
  }
  // Writes records 1..n in one segment and closes the journal.
  void WriteRecords(uint64_t n, FsyncMode mode = FsyncMode::kBatch) {
    auto j = OpenJournal(mode);
    for (uint64_t i = 1; i <= n; ++i) ASSERT_EQ(*j->Append(Payload(i)), i);
    ASSERT_TRUE(j->Close().ok());
  }
  std::string dir() const { return dir_.Sub("journal"); }

  TempDir dir_;
};

TEST_F(JournalTest, AppendsAreReadBackInOrder) {
  for (FsyncMode mode : {FsyncMode::kAlways, FsyncMode::kBatch, FsyncMode::kNone}) {
    TempDir fresh;
    auto j = Journal::Open({fresh.path(), mode, 64ull << 20}, 1);
    ASSERT_TRUE(j.ok());
    for (uint64_t i = 1; i <= 100; ++i) ASSERT_EQ(*(*j)->Append(Payload(i)), i);
    ASSERT_TRUE((*j)->WaitDurable(100).ok());
    EXPECT_EQ((*j)->durable_seq(), 100u);
    ASSERT_TRUE((*j)->Close().ok());
    Read r = ReadJournal(fresh.path());
    ASSERT_EQ(r.records.size(), 100u);
    EXPECT_FALSE(r.problem);
    for (uint64_t i = 1; i <= 100; ++i) {
      EXPECT_EQ(r.records[i - 1].first, i);
      EXPECT_EQ(r.records[i - 1].second, Payload(i));
    }
  }
}

TEST_F(JournalTest, ReopenContinuesTheSequenceInANewSegment) {
  WriteRecords(10);
  auto rec = RecoverJournal(dir(), 0, [](uint64_t, std::string_view) { return Status::Ok(); });
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->last_seq, 10u);
  EXPECT_EQ(rec->records_replayed, 10u);
  auto j = OpenJournal(FsyncMode::kBatch, rec->last_seq + 1);
  EXPECT_EQ(*j->Append("eleven"), 11u);
  ASSERT_TRUE(j->Close().ok());
  EXPECT_EQ(ListJournalSegments(dir())->size(), 2u);
  Read r = ReadJournal(dir(), 4);
  ASSERT_EQ(r.records.size(), 7u);
  EXPECT_EQ(r.records.front().first, 5u);
  EXPECT_EQ(r.records.back().second, "eleven");
}

TEST_F(JournalTest, OpenRefusesToForkTheHistory) {
  WriteRecords(3);
  EXPECT_FALSE(Journal::Open({dir(), FsyncMode::kBatch, 1 << 20}, 1).ok());
  EXPECT_FALSE(Journal::Open({dir(), FsyncMode::kBatch, 1 << 20}, 0).ok());
}

TEST_F(JournalTest, TornTailAtEveryOffsetIsCutAtTheLastWholeRecord) {
  WriteRecords(6);
  std::string seg = ListJournalSegments(dir())->front().path;
  const std::string whole = ReadAll(seg);
  // Offsets where a record ends: a cut exactly there is a clean journal.
  std::vector<size_t> ends = {jf::kSegmentHeaderSize};
  for (uint64_t i = 1; i <= 6; ++i) ends.push_back(ends.back() + jf::kRecordHeaderSize + Payload(i).size());
  ASSERT_EQ(ends.back(), whole.size());
  for (size_t cut = 0; cut < whole.size(); ++cut) {
    TempDir t;
    std::string d = t.Sub("journal");
    fs::create_directories(d);
    std::string path = d + "/" + fs::path(seg).filename().string();
    testing::WriteAll(path, whole.substr(0, cut));
    std::vector<uint64_t> seen;
    auto rec = RecoverJournal(d, 0, [&](uint64_t s, std::string_view p) {
      EXPECT_EQ(p, Payload(s));
      seen.push_back(s);
      return Status::Ok();
    });
    ASSERT_TRUE(rec.ok()) << cut;
    size_t whole_records = 0;
    while (whole_records + 1 < ends.size() && ends[whole_records + 1] <= cut) ++whole_records;
    EXPECT_EQ(seen.size(), whole_records) << cut;
    bool clean = cut == 0 || std::find(ends.begin(), ends.end(), cut) != ends.end();
    EXPECT_EQ(rec->problem.has_value(), !clean) << cut;
    if (!clean && cut >= jf::kSegmentHeaderSize) {
      EXPECT_EQ(fs::file_size(path), ends[whole_records]) << cut;
      EXPECT_EQ(ReadAll(path + ".corrupt-tail"), whole.substr(ends[whole_records], cut - ends[whole_records]));
    }
    // After recovery the journal opens and appends where the good part ends.
    auto j = Journal::Open({d, FsyncMode::kBatch, 1 << 20}, rec->last_seq + 1);
    ASSERT_TRUE(j.ok()) << cut << ": " << j.status().message();
    EXPECT_EQ(*(*j)->Append("after"), whole_records + 1);
    ASSERT_TRUE((*j)->Close().ok());
    Read again = ReadJournal(d);
    EXPECT_FALSE(again.problem) << cut << ": " << again.problem->reason;
    EXPECT_EQ(again.records.size(), whole_records + 1);
  }
}

TEST_F(JournalTest, EveryBitFlipStopsReplayAtTheDamagedRecord) {
  WriteRecords(4);
  std::string seg = ListJournalSegments(dir())->front().path;
  const std::string whole = ReadAll(seg);
  std::vector<size_t> ends = {jf::kSegmentHeaderSize};
  for (uint64_t i = 1; i <= 4; ++i) ends.push_back(ends.back() + jf::kRecordHeaderSize + Payload(i).size());
  for (size_t bit = 0; bit < whole.size() * 8; ++bit) {
    std::string damaged = whole;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    testing::WriteAll(seg, damaged);
    Read r = ReadJournal(dir());
    size_t byte = bit / 8;
    size_t good = 0;  // records wholly before the flipped byte
    while (good + 1 < ends.size() && ends[good + 1] <= byte) ++good;
    if (byte < jf::kSegmentHeaderSize) good = 0;
    ASSERT_TRUE(r.problem.has_value()) << "bit " << bit;
    ASSERT_EQ(r.records.size(), good) << "bit " << bit;
    for (const auto& [s, p] : r.records) EXPECT_EQ(p, Payload(s));
  }
}

TEST_F(JournalTest, DamageInAnEarlySegmentQuarantinesTheLaterOnes) {
  {
    auto j = OpenJournal(FsyncMode::kBatch);
    for (uint64_t i = 1; i <= 9; ++i) {
      ASSERT_TRUE(j->Append(Payload(i)).ok());
      if (i % 3 == 0) {
        ASSERT_TRUE(j->Rotate().ok());
      }
    }
    ASSERT_TRUE(j->Close().ok());
  }
  auto segs = *ListJournalSegments(dir());
  ASSERT_EQ(segs.size(), 3u);
  // Flip a payload byte of record 5 (second record of the middle segment).
  std::string mid = ReadAll(segs[1].path);
  size_t at = jf::kSegmentHeaderSize + jf::kRecordHeaderSize + Payload(4).size() + jf::kRecordHeaderSize + 1;
  mid[at] ^= 0x10;
  testing::WriteAll(segs[1].path, mid);
  std::vector<uint64_t> seen;
  auto rec = RecoverJournal(dir(), 0, [&](uint64_t s, std::string_view) {
    seen.push_back(s);
    return Status::Ok();
  });
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{1, 2, 3, 4}));
  ASSERT_TRUE(rec->problem);
  EXPECT_EQ(rec->problem->reason, "checksum mismatch");
  EXPECT_EQ(rec->actions.size(), 2u);
  EXPECT_TRUE(fs::exists(segs[1].path + ".corrupt-tail"));
  EXPECT_TRUE(fs::exists(segs[2].path + ".corrupt"));
  EXPECT_FALSE(fs::exists(segs[2].path));
  EXPECT_EQ(ListJournalSegments(dir())->size(), 2u);
}

TEST_F(JournalTest, AMissingSegmentIsAGapNotSilentlySkipped) {
  {
    auto j = OpenJournal(FsyncMode::kBatch);
    for (uint64_t i = 1; i <= 6; ++i) {
      ASSERT_TRUE(j->Append(Payload(i)).ok());
      if (i % 2 == 0) {
        ASSERT_TRUE(j->Rotate().ok());
      }
    }
    ASSERT_TRUE(j->Close().ok());
  }
  auto segs = *ListJournalSegments(dir());
  ASSERT_EQ(segs.size(), 3u);
  fs::remove(segs[1].path);
  Read r = ReadJournal(dir());
  EXPECT_EQ(r.records.size(), 2u);
  ASSERT_TRUE(r.problem);
  EXPECT_EQ(r.problem->segment, segs[2].path);
  // And a journal that starts after the snapshot's sequence has lost records.
  fs::remove(segs[0].path);
  Read gap = ReadJournal(dir(), 1);
  ASSERT_TRUE(gap.problem);
  EXPECT_TRUE(gap.records.empty());
}

TEST_F(JournalTest, AHugeLengthFieldIsRejectedWithoutAllocating) {
  WriteRecords(1);
  std::string seg = ListJournalSegments(dir())->front().path;
  std::string bytes = ReadAll(seg);
  for (uint32_t len : {0xffffffffu, jf::kMaxRecordPayload}) {
    std::string damaged = bytes;
    for (int i = 0; i < 4; ++i) damaged[jf::kSegmentHeaderSize + 8 + i] = static_cast<char>(len >> (8 * i));
    testing::WriteAll(seg, damaged);
    Read r = ReadJournal(dir());
    ASSERT_TRUE(r.problem);
    EXPECT_TRUE(r.records.empty());
  }
}

TEST_F(JournalTest, BatchModeGroupsConcurrentWritersIntoFewSyncs) {
  constexpr int kThreads = 32;
  constexpr int kPerThread = 40;
  for (FsyncMode mode : {FsyncMode::kBatch, FsyncMode::kAlways}) {
    TempDir t;
    auto j = Journal::Open({t.path(), mode, 64ull << 20}, 1).value();
    std::vector<std::thread> threads;
    for (int w = 0; w < kThreads; ++w) {
      // Each writer appends its records back to back and waits for the last ack, as the
      // server's sessions do (they never block a thread on a sync). Waiting after every record
      // would make the grouping depend on how fast a loaded machine wakes 32 threads.
      threads.emplace_back([&] {
        uint64_t last = 0;
        for (int i = 0; i < kPerThread; ++i) {
          auto seq = j->Append("write");
          ASSERT_TRUE(seq.ok());
          last = *seq;
        }
        ASSERT_TRUE(j->WaitDurable(last).ok());
      });
    }
    for (auto& th : threads) th.join();
    JournalStats st = j->stats();
    EXPECT_EQ(st.appends, uint64_t{kThreads * kPerThread});
    if (mode == FsyncMode::kAlways) {
      EXPECT_EQ(st.syncs, st.appends);
    } else {
      // Each sync covers, on average, many of the waiting writers.
      EXPECT_LT(st.syncs * 4, st.appends) << "syncs=" << st.syncs;
    }
  }
}

// Closed-loop writers (each waits for its ack before writing again, as an OAuth client waits for
// its token) arrive just after each sync; the group-commit delay gathers them into one.
TEST_F(JournalTest, GroupCommitDelayGathersClosedLoopWriters) {
  constexpr int kThreads = 16;
  constexpr int kRounds = 30;
  TempDir t;
  auto j = Journal::Open({t.path(), FsyncMode::kBatch, 64ull << 20, std::chrono::milliseconds(5)}, 1)
               .value();
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRounds; ++i) {
        auto seq = j->Append("token");
        ASSERT_TRUE(seq.ok());
        ASSERT_TRUE(j->WaitDurable(*seq).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  const JournalStats st = j->stats();
  EXPECT_EQ(st.appends, uint64_t{kThreads * kRounds});
#if defined(__SANITIZE_THREAD__)
  // Under TSan every thread runs many times slower, and unevenly: writers miss the 5 ms window
  // and the groups shrink (a CI run saw 8.3 writers per sync; 50 ms windows with the cores busy,
  // 7.2). The run still checks the hand-offs for races; the Release and ASan runs check the ratio.
  GTEST_SKIP() << "group sizes are timing; syncs=" << st.syncs;
#endif
  EXPECT_LE(st.syncs * 10, st.appends) << "syncs=" << st.syncs;
}

// The delay only starts once a sync has covered several writers: one writer alone never waits.
TEST_F(JournalTest, GroupCommitDelayNeverHoldsALoneWriter) {
  TempDir t;
  auto j = Journal::Open({t.path(), FsyncMode::kBatch, 64ull << 20, std::chrono::milliseconds(100)}, 1)
               .value();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) {
    auto seq = j->Append("alone");
    ASSERT_TRUE(seq.ok());
    ASSERT_TRUE(j->WaitDurable(*seq).ok());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_EQ(j->stats().syncs, 10u);
}

TEST_F(JournalTest, WhenDurableRunsOnTheJournalThreadAfterTheSync) {
  auto j = OpenJournal(FsyncMode::kBatch);
  std::atomic<int> ok{0};
  std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> other_thread{true};
  uint64_t seq = *j->Append("a");
  j->WhenDurable(seq, [&](const Status& s) {
    other_thread = other_thread && std::this_thread::get_id() != caller;
    EXPECT_GE(j->durable_seq(), seq);
    if (s.ok()) ++ok;
  });
  ASSERT_TRUE(j->WaitDurable(seq).ok());
  j->WhenDurable(seq, [&](const Status& s) { if (s.ok()) ++ok; });  // already durable
  std::atomic<int> failed{0};
  j->WhenDurable(seq + 100, [&](const Status& s) { if (!s.ok()) ++failed; });  // never appended
  ASSERT_TRUE(j->Close().ok());
  EXPECT_EQ(ok.load(), 2);
  EXPECT_EQ(failed.load(), 1);
  EXPECT_TRUE(other_thread.load());
  EXPECT_FALSE(j->Append("late").ok());
}

TEST_F(JournalTest, TruncateBeforeDeletesOnlyCoveredSegments) {
  auto j = OpenJournal(FsyncMode::kBatch);
  for (uint64_t i = 1; i <= 6; ++i) {
    ASSERT_TRUE(j->Append(Payload(i)).ok());
    if (i % 2 == 0) {
      ASSERT_TRUE(j->Rotate().ok());
    }
  }
  ASSERT_TRUE(j->Append(Payload(7)).ok());
  ASSERT_TRUE(j->WaitDurable(7).ok());
  ASSERT_EQ(ListJournalSegments(dir())->size(), 4u);  // [1,2] [3,4] [5,6] [7..]
  ASSERT_TRUE(j->TruncateBefore(4).ok());  // 4 is still needed: [3,4] stays
  EXPECT_EQ(ListJournalSegments(dir())->front().first_seq, 3u);
  ASSERT_TRUE(j->TruncateBefore(100).ok());  // the segment being written always stays
  auto left = *ListJournalSegments(dir());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left.front().first_seq, 7u);
  ASSERT_TRUE(j->Close().ok());
  Read r = ReadJournal(dir(), 6);
  EXPECT_FALSE(r.problem);
  ASSERT_EQ(r.records.size(), 1u);
}

TEST_F(JournalTest, SegmentsRotateWhenTheyPassTheTargetSize) {
  auto j = Journal::Open({dir(), FsyncMode::kNone, 4096}, 1).value();
  for (uint64_t i = 1; i <= 500; ++i) {
    ASSERT_TRUE(j->Append(Payload(i)).ok());
    if (i % 50 == 0) {
      ASSERT_TRUE(j->WaitDurable(i).ok());  // the size check runs between batches
    }
  }
  ASSERT_TRUE(j->Close().ok());
  EXPECT_GT(ListJournalSegments(dir())->size(), 2u);
  Read r = ReadJournal(dir());
  EXPECT_FALSE(r.problem);
  EXPECT_EQ(r.records.size(), 500u);
}

}  // namespace
}  // namespace ihub
