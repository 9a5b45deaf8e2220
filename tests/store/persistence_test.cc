#include "store/persistence.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "store/client_record.h"
#include "store/clock.h"
#include "store/journal_reader.h"
#include "store/store.h"
#include "tests/store/record_fixtures.h"
#include "tests/store/temp_dir.h"
#include "tests/store/store_test_util.h"

namespace ihub {
namespace {

namespace fs = std::filesystem;
using testing::Client;
using testing::Contents;
using testing::Key;
using testing::Org;
using testing::TempDir;

class PersistenceTest : public ::testing::Test {
 protected:
  struct Running {
    std::unique_ptr<Store> store = std::make_unique<Store>();
    std::unique_ptr<Persistence> p;
    RestoreReport report;
  };
  Running Start(int interval_s = 0, FsyncMode mode = FsyncMode::kBatch) {
    Running r;
    auto p = Persistence::Open({dir_.path(), mode, interval_s, 3,
                                [this](bool warning, const std::string& m) {
                                  if (warning) warnings_.push_back(m);
                                }},
                               r.store.get(), &clock_);
    EXPECT_TRUE(p.ok()) << p.status().message();
    r.p = std::move(*p);
    auto report = r.p->Restore();
    EXPECT_TRUE(report.ok()) << report.status().message();
    if (report.ok()) r.report = *report;
    return r;
  }
  uint64_t Put(Store& store, const auto& record) { return PutRecord(store, record); }

  TempDir dir_;
  Clock clock_;
  std::vector<std::string> warnings_;
};

TEST_F(PersistenceTest, EveryKindSurvivesSnapshotAndJournal) {
  std::vector<std::string> before;
  {
    Running r = Start();
    Put(*r.store, Org("o1"));
    Put(*r.store, Key("k1", "o1"));
    Put(*r.store, Client("c1", "o1", 1));
    ASSERT_TRUE(r.p->TakeSnapshot().ok());
    // After the snapshot: only in the journal.
    Put(*r.store, Org("o2"));
    Put(*r.store, Client("c2", "o2", 2));
    ClientRecord changed = Client("c1", "o1", 1);
    changed.is_valid = false;
    Put(*r.store, changed);
    uint64_t last = *r.store->Write([](WriteTxn& txn) {
      txn.Erase<ApiKeyRecord>("k1");
      txn.Put(Key("k2", "o2"));
      return Status::Ok();
    });
    ASSERT_TRUE(r.p->journal()->WaitDurable(last).ok());
    before = Contents(*r.store);
    ASSERT_TRUE(r.p->Shutdown(false).ok());
  }
  {
    Running r = Start();
    EXPECT_EQ(r.report.snapshot_records, 3u);
    EXPECT_EQ(r.report.journal_records, 4u);
    EXPECT_EQ(Contents(*r.store), before);
    auto c1 = r.store->clients().Get("c1");
    ASSERT_TRUE(c1);
    EXPECT_FALSE(c1->is_valid);
    ASSERT_NE(c1->compiled, nullptr);  // derived state rebuilt on load
    EXPECT_TRUE(r.store->api_keys().GetBy<ApiKeyByHash>(Sha256("ihk_k2")).has_value());
    ASSERT_TRUE(r.p->Shutdown(true).ok());  // final snapshot
  }
  // The final snapshot alone carries everything.
  auto segments = ListJournalSegments(dir_.Sub("journal"));
  ASSERT_TRUE(segments.ok());
  for (const auto& seg : *segments) fs::remove(seg.path);
  Running r = Start();
  EXPECT_EQ(r.report.journal_records, 0u);
  EXPECT_EQ(Contents(*r.store), before);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(PersistenceTest, SnapshotTakenDuringWritesIsExactAtItsSequence) {
  Running r = Start();
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 1; !stop; ++i) Put(*r.store, Org("org" + std::to_string(i)));
  });
  std::vector<StoreSnapshotResult> snaps;
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    auto s = r.p->TakeSnapshot();
    ASSERT_TRUE(s.ok());
    snaps.push_back(*s);
  }
  stop = true;
  writer.join();
  // One org per write, so the image at journal sequence J holds exactly org1..orgJ.
  for (const auto& s : snaps) {
    Store fresh;
    auto h = LoadStoreSnapshot(s.path, &fresh);
    ASSERT_TRUE(h.ok()) << h.status().message();
    EXPECT_EQ(fresh.orgs().size(), h->journal_seq);
    EXPECT_TRUE(fresh.orgs().Contains("org" + std::to_string(h->journal_seq)));
    EXPECT_EQ(h->tables[0].records, h->journal_seq);
  }
}

TEST_F(PersistenceTest, RollForwardAppliesErasesCommittedDuringCapture) {
  Running r = Start();
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    // Write i puts org i and erases org i-2: the store at sequence J is {J-1, J}.
    for (int i = 1; !stop; ++i) {
      ASSERT_TRUE(r.store->Write([&](WriteTxn& txn) {
        txn.Put(Org("org" + std::to_string(i)));
        if (i > 2) txn.Erase<OrgRecord>("org" + std::to_string(i - 2));
        return Status::Ok();
      }).ok());
    }
  });
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto s = r.p->TakeSnapshot();
    ASSERT_TRUE(s.ok());
    Store fresh;
    auto h = LoadStoreSnapshot(s->path, &fresh);
    ASSERT_TRUE(h.ok());
    const uint64_t j = h->journal_seq;
    if (j < 2) continue;
    EXPECT_EQ(fresh.orgs().size(), 2u) << "at " << j;
    EXPECT_TRUE(fresh.orgs().Contains("org" + std::to_string(j)));
    EXPECT_TRUE(fresh.orgs().Contains("org" + std::to_string(j - 1)));
  }
  stop = true;
  writer.join();
}

TEST_F(PersistenceTest, ACorruptNewestSnapshotFallsBackToThePreviousOne) {
  std::vector<std::string> before;
  std::string newest;
  {
    Running r = Start();
    Put(*r.store, Org("a"));
    ASSERT_TRUE(r.p->TakeSnapshot().ok());
    Put(*r.store, Org("b"));
    newest = r.p->TakeSnapshot()->path;
    Put(*r.store, Org("c"));
    before = Contents(*r.store);
    ASSERT_TRUE(r.p->Shutdown(false).ok());
  }
  std::string bytes = testing::ReadAll(newest);
  bytes[bytes.size() - 3] ^= 0x40;
  testing::WriteAll(newest, bytes);
  Running r = Start();
  EXPECT_EQ(Contents(*r.store), before);
  EXPECT_EQ(r.report.journal_records, 2u);  // b and c, after the older snapshot
  ASSERT_EQ(r.report.problems.size(), 1u);
  EXPECT_NE(r.report.problems[0].find("payload checksum mismatch"), std::string::npos);
  EXPECT_TRUE(fs::exists(newest + ".corrupt"));
}

TEST_F(PersistenceTest, AMissingOrUnusableDataDirIsAnError) {
  Store store;
  EXPECT_FALSE(Persistence::Open({dir_.Sub("missing"), FsyncMode::kBatch, 0, 3, nullptr}, &store, &clock_).ok());
  testing::WriteAll(dir_.Sub("file"), "x");
  EXPECT_FALSE(Persistence::Open({dir_.Sub("file"), FsyncMode::kBatch, 0, 3, nullptr}, &store, &clock_).ok());
  EXPECT_FALSE(Persistence::Open({"", FsyncMode::kBatch, 0, 3, nullptr}, &store, &clock_).ok());
}

TEST_F(PersistenceTest, ConcurrentSnapshotRequestsDoNotCollide) {
  Running r = Start();
  Put(*r.store, Org("a"));
  std::vector<std::thread> threads;
  std::vector<uint64_t> seqs(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto s = r.p->TakeSnapshot();
      ASSERT_TRUE(s.ok());
      seqs[i] = s->header.sequence;
    });
  }
  for (auto& t : threads) t.join();
  std::sort(seqs.begin(), seqs.end());
  EXPECT_EQ(std::unique(seqs.begin(), seqs.end()), seqs.end());
  // Requests through the snapshot thread are answered once durable.
  std::promise<Result<StoreSnapshotResult>> done;
  r.p->RequestSnapshot([&](const Result<StoreSnapshotResult>& s) { done.set_value(s); });
  auto result = done.get_future().get();
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(VerifySnapshot(result->path).ok());
  EXPECT_EQ(ListSnapshots(dir_.Sub("snapshots"))->size(), 3u);  // --snapshot-keep 3
}

TEST_F(PersistenceTest, PeriodicSnapshotsSkipWhenNothingChanged) {
  Running r = Start(1);
  Put(*r.store, Org("a"));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(r.p->snapshots_taken(), 1u);
}

TEST_F(PersistenceTest, TheJournalIsCutBehindTheOldestKeptSnapshot) {
  Running r = Start();
  for (int i = 0; i < 6; ++i) {
    Put(*r.store, Org("o" + std::to_string(i)));
    ASSERT_TRUE(r.p->TakeSnapshot().ok());
  }
  auto snaps = *ListSnapshots(dir_.Sub("snapshots"));
  ASSERT_EQ(snaps.size(), 3u);
  auto segs = *ListJournalSegments(dir_.Sub("journal"));
  ASSERT_FALSE(segs.empty());
  EXPECT_LE(segs.front().first_seq, snaps.front().header.journal_seq + 1);
  EXPECT_GT(segs.front().first_seq, 1u);
}

}  // namespace
}  // namespace ihub
