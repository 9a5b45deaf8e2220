#include "store/store.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <cereal/archives/binary.hpp>
#include <gtest/gtest.h>

#include "store/secrets.h"

namespace ihub {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  // Creates an org with id `id` and returns the write's status.
  Status PutOrg(const std::string& id, const std::string& name = "org") {
    auto r = store_.Write([&](WriteTxn& txn) {
      txn.Put(OrgRecord{id, name, 1});
      return Status::Ok();
    });
    return r.ok() ? Status::Ok() : r.status();
  }

  static ApiKeyRecord Key(const std::string& id, const std::string& org, const std::string& name) {
    return ApiKeyRecord{id, org, name, static_cast<uint32_t>(Permission::kClientRead),
                        Sha256("secret-" + id), 1};
  }

  Store store_;
};

TEST_F(StoreTest, ListAllPagesThroughOrgsInIdOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 25; ++i) {
    ids.push_back(NewId());
    ASSERT_TRUE(PutOrg(ids.back()).ok());
  }
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = store_.orgs().ListAll(cursor, 10);
    for (const OrgRecord& o : page.items) seen.push_back(o.id);
    cursor = page.next_cursor;
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, ids);
  EXPECT_TRUE(store_.orgs().ListAll("", 25).next_cursor.empty());
  EXPECT_FALSE(store_.orgs().ListAll("", 24).next_cursor.empty());
}

TEST_F(StoreTest, PaginationIsStableAcrossInsertsAndDeletes) {
  for (int i = 10; i < 40; ++i) ASSERT_TRUE(PutOrg("id" + std::to_string(i)).ok());
  auto first = store_.orgs().ListAll("", 10);  // id10..id19
  ASSERT_EQ(first.next_cursor, "id19");
  // Before the cursor (must not appear later), after it (must appear once), and a deletion.
  ASSERT_TRUE(PutOrg("id05").ok());
  ASSERT_TRUE(PutOrg("id195").ok());
  ASSERT_TRUE(store_.Write([](WriteTxn& txn) {
                      txn.Erase<OrgRecord>("id25");
                      return Status::Ok();
                    }).ok());
  std::vector<std::string> rest;
  std::string cursor = first.next_cursor;
  while (!cursor.empty()) {
    auto page = store_.orgs().ListAll(cursor, 7);
    for (const OrgRecord& o : page.items) rest.push_back(o.id);
    cursor = page.next_cursor;
  }
  std::vector<std::string> want = {"id195"};
  for (int i = 20; i < 40; ++i) {
    if (i != 25) want.push_back("id" + std::to_string(i));
  }
  EXPECT_EQ(rest, want);
}

TEST_F(StoreTest, ListByOrgShowsOnlyThatOrgsRecords) {
  ASSERT_TRUE(store_.Write([&](WriteTxn& txn) {
                      for (int i = 0; i < 5; ++i) txn.Put(Key("a" + std::to_string(i), "orgA", "k" + std::to_string(i)));
                      for (int i = 0; i < 3; ++i) txn.Put(Key("b" + std::to_string(i), "orgB", "k" + std::to_string(i)));
                      return Status::Ok();
                    }).ok());
  auto a = store_.api_keys().ListByOrg("orgA", "", 100);
  ASSERT_EQ(a.items.size(), 5u);
  for (const auto& k : a.items) EXPECT_EQ(k.org_id, "orgA");
  EXPECT_EQ(store_.api_keys().ListByOrg("orgB", "", 100).items.size(), 3u);
  EXPECT_TRUE(store_.api_keys().ListByOrg("orgC", "", 100).items.empty());
  EXPECT_TRUE(store_.api_keys().ListByOrg("orgA", "", 0).items.empty());
}

TEST_F(StoreTest, UniqueIndexesFollowPutReplaceAndErase) {
  ApiKeyRecord k = Key("key1", "org1", "deploy");
  ASSERT_TRUE(store_.Write([&](WriteTxn& txn) {
                      txn.Put(k);
                      return Status::Ok();
                    }).ok());
  // Authentication: one lookup by hash yields everything.
  bool found = store_.api_keys().ReadBy<ApiKeyByHash>(Sha256("secret-key1"), [](const ApiKeyRecord& r) {
    EXPECT_EQ(r.id, "key1");
    EXPECT_EQ(r.org_id, "org1");
    EXPECT_EQ(r.name, "deploy");
    EXPECT_TRUE(HasPermission(r.permissions, Permission::kClientRead));
  });
  EXPECT_TRUE(found);
  EXPECT_TRUE(store_.api_keys().GetBy<ApiKeyByOrgName>(OrgScopedKey("org1", "deploy")).has_value());
  EXPECT_FALSE(store_.api_keys().GetBy<ApiKeyByOrgName>(OrgScopedKey("org2", "deploy")).has_value());

  // Replacing the record with a new name and hash moves both index entries.
  k.name = "renamed";
  k.key_hash = Sha256("other");
  ASSERT_TRUE(store_.Write([&](WriteTxn& txn) {
                      txn.Put(k);
                      return Status::Ok();
                    }).ok());
  EXPECT_FALSE(store_.api_keys().GetBy<ApiKeyByOrgName>(OrgScopedKey("org1", "deploy")).has_value());
  EXPECT_FALSE(store_.api_keys().GetBy<ApiKeyByHash>(Sha256("secret-key1")).has_value());
  EXPECT_EQ(store_.api_keys().GetBy<ApiKeyByHash>(Sha256("other"))->name, "renamed");

  ASSERT_TRUE(store_.Write([&](WriteTxn& txn) {
                      txn.Erase<ApiKeyRecord>("key1");
                      return Status::Ok();
                    }).ok());
  EXPECT_FALSE(store_.api_keys().GetBy<ApiKeyByHash>(Sha256("other")).has_value());
  EXPECT_FALSE(store_.api_keys().GetBy<ApiKeyByOrgName>(OrgScopedKey("org1", "renamed")).has_value());
  EXPECT_TRUE(store_.api_keys().ListByOrg("org1", "", 10).items.empty());
  EXPECT_EQ(store_.api_keys().size(), 0u);
}

TEST_F(StoreTest, BodyCanEnforceUniqueNames) {
  auto create = [&](const std::string& id, const std::string& name) {
    return store_.Write([&](WriteTxn& txn) {
      if (txn.store().api_keys().GetBy<ApiKeyByOrgName>(OrgScopedKey("org1", name))) {
        return Status::AlreadyExists("name taken");
      }
      txn.Put(Key(id, "org1", name));
      return Status::Ok();
    });
  };
  EXPECT_TRUE(create("k1", "n").ok());
  auto second = create("k2", "n");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_FALSE(store_.api_keys().Contains("k2"));
}

TEST_F(StoreTest, FailingBodyChangesNothing) {
  ASSERT_TRUE(PutOrg("keep", "before").ok());
  int sink_calls = 0;
  store_.SetJournalSink([&](const MutationBatch&) -> Result<uint64_t> { return ++sink_calls; });
  auto r = store_.Write([&](WriteTxn& txn) {
    txn.Put(OrgRecord{"new", "x", 2});
    txn.Put(OrgRecord{"keep", "after", 2});
    txn.Erase<OrgRecord>("keep");
    return Status::InvalidArgument("no");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sink_calls, 0);
  EXPECT_FALSE(store_.orgs().Contains("new"));
  EXPECT_EQ(store_.orgs().Get("keep")->name, "before");
  EXPECT_EQ(store_.orgs().ListAll("", 10).items.size(), 1u);
}

TEST_F(StoreTest, JournalFailureChangesNothing) {
  store_.SetJournalSink([](const MutationBatch&) -> Result<uint64_t> { return Status::Internal("disk"); });
  auto r = store_.Write([](WriteTxn& txn) {
    txn.Put(OrgRecord{"o", "x", 1});
    return Status::Ok();
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_FALSE(store_.orgs().Contains("o"));
  EXPECT_EQ(store_.last_seq(), 0u);
}

TEST_F(StoreTest, JournalSinkGetsTheBatchAndItsSequenceIsReturned) {
  std::vector<MutationBatch> journal;
  store_.SetJournalSink([&](const MutationBatch& b) -> Result<uint64_t> {
    journal.push_back(b);
    return uint64_t{100 + journal.size()};
  });
  auto r = store_.Write([](WriteTxn& txn) {
    txn.Put(OrgRecord{"o1", "one", 1});
    txn.Put(ApiKeyRecord{"k1", "o1", "n", 3, Sha256("k"), 1});
    return Status::Ok();
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), 101u);
  EXPECT_EQ(store_.last_seq(), 101u);
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_EQ(journal[0].size(), 2u);
  // A body that stages nothing is not journaled.
  auto empty = store_.Write([](WriteTxn&) { return Status::Ok(); });
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.value(), 0u);
  EXPECT_EQ(journal.size(), 1u);
}

TEST_F(StoreTest, TxnFindSeesItsOwnStagedWrites) {
  ASSERT_TRUE(PutOrg("o1", "committed").ok());
  ASSERT_TRUE(store_.Write([](WriteTxn& txn) {
                      EXPECT_EQ(txn.Find<OrgRecord>("o1")->name, "committed");
                      txn.Put(OrgRecord{"o2", "staged", 1});
                      EXPECT_EQ(txn.Find<OrgRecord>("o2")->name, "staged");
                      txn.Erase<OrgRecord>("o1");
                      EXPECT_FALSE(txn.Find<OrgRecord>("o1").has_value());
                      EXPECT_FALSE(txn.store().orgs().Contains("o2"));  // tables: committed only
                      return Status::Ok();
                    }).ok());
  EXPECT_FALSE(store_.orgs().Contains("o1"));
  EXPECT_TRUE(store_.orgs().Contains("o2"));
}

TEST_F(StoreTest, SerializedBatchesReplayIntoAnEqualStore) {
  std::vector<std::string> journal;
  store_.SetJournalSink([&](const MutationBatch& b) -> Result<uint64_t> {
    std::ostringstream out;
    {
      cereal::BinaryOutputArchive ar(out);
      ar(b);
    }
    journal.push_back(out.str());
    return uint64_t{journal.size()};
  });
  ASSERT_TRUE(PutOrg("o1", "one").ok());
  ASSERT_TRUE(store_.Write([&](WriteTxn& txn) {
                      txn.Put(Key("k1", "o1", "a"));
                      txn.Put(Key("k2", "o1", "b"));
                      return Status::Ok();
                    }).ok());
  ASSERT_TRUE(store_.Write([&](WriteTxn& txn) {
                      txn.Erase<ApiKeyRecord>("k1");
                      return Status::Ok();
                    }).ok());
  Store replica;
  for (size_t i = 0; i < journal.size(); ++i) {
    std::istringstream in(journal[i]);
    cereal::BinaryInputArchive ar(in);
    MutationBatch batch;
    ar(batch);
    replica.Apply(batch, i + 1);
  }
  EXPECT_EQ(replica.last_seq(), 3u);
  EXPECT_EQ(replica.orgs().Get("o1")->name, "one");
  EXPECT_FALSE(replica.api_keys().Contains("k1"));
  auto k2 = replica.api_keys().GetBy<ApiKeyByHash>(Sha256("secret-k2"));
  ASSERT_TRUE(k2.has_value());
  EXPECT_EQ(k2->name, "b");
  const auto counts = replica.RecordCounts();
  ASSERT_GE(counts.size(), 2u);  // RecordKinds order: orgs, api_keys, then later kinds
  EXPECT_EQ(counts[0].kind, "orgs");
  EXPECT_EQ(counts[0].records, 1u);
  EXPECT_EQ(counts[1].kind, "api_keys");
  EXPECT_EQ(counts[1].records, 1u);
  for (size_t i = 2; i < counts.size(); ++i) EXPECT_EQ(counts[i].records, 0u) << counts[i].kind;
}

// Two records in different shards are rewritten together by each write. A reader that holds
// both shards' locks (as any multi-shard reader must) must always see equal versions; a commit
// that locked and changed one shard at a time would be caught here.
TEST_F(StoreTest, ReadersNeverSeeAHalfAppliedBatch) {
  const auto& map = store_.orgs().records();
  std::string a = "a", b;
  for (int i = 0; b.empty(); ++i) {
    const std::string c = "b" + std::to_string(i);
    if (map.ShardOf(c) != map.ShardOf(a)) b = c;
  }
  ASSERT_TRUE(PutOrg(a, "0").ok());
  ASSERT_TRUE(PutOrg(b, "0").ok());
  std::shared_mutex* mus[2] = {&map.shard_mutex(map.ShardOf(a)), &map.shard_mutex(map.ShardOf(b))};
  std::sort(std::begin(mus), std::end(mus));
  std::atomic<bool> stop{false};
  std::atomic<long> torn{0}, checks{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        std::shared_lock l0(*mus[0]);
        std::shared_lock l1(*mus[1]);
        const OrgRecord* ra = map.FindLocked(a);
        const OrgRecord* rb = map.FindLocked(b);
        if (ra == nullptr || rb == nullptr || ra->name != rb->name) torn.fetch_add(1);
        checks.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  // Writes start once the readers run, so the batches really overlap their reads even when the
  // scheduler is slow to start reader threads.
  while (checks.load(std::memory_order_relaxed) == 0) std::this_thread::yield();
  for (int v = 1; v <= 3000; ++v) {
    ASSERT_TRUE(store_.Write([&](WriteTxn& txn) {
                        txn.Put(OrgRecord{a, std::to_string(v), v});
                        txn.Put(OrgRecord{b, std::to_string(v), v});
                        return Status::Ok();
                      }).ok());
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GT(checks.load(), 0);
}

// Writers create and revoke keys while readers authenticate and list. Readers check what each
// single read guarantees; at the end every index agrees with the records.
TEST_F(StoreTest, ConcurrentWritersAndReadersKeepIndexesConsistent) {
  constexpr int kWriters = 2, kReaders = 4, kPerWriter = 400;
  std::atomic<bool> stop{false};
  std::atomic<long> bad{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        const std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
        const std::string org = "org" + std::to_string(i % 3);
        auto r = store_.Write([&](WriteTxn& txn) {
          if (txn.store().api_keys().GetBy<ApiKeyByOrgName>(OrgScopedKey(org, id))) {
            return Status::AlreadyExists("dup");
          }
          txn.Put(Key(id, org, id));
          return Status::Ok();
        });
        if (!r.ok()) bad.fetch_add(1);
        if (i % 4 == 3) {  // revoke every fourth key
          store_.Write([&](WriteTxn& txn) {
            txn.Erase<ApiKeyRecord>(id);
            return Status::Ok();
          });
        }
      }
    });
  }
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&, t] {
      int i = t;
      while (!stop.load(std::memory_order_relaxed)) {
        const std::string id = "w" + std::to_string(i % kWriters) + "-" + std::to_string(i % kPerWriter);
        const Digest h = Sha256("secret-" + id);
        store_.api_keys().ReadBy<ApiKeyByHash>(h, [&](const ApiKeyRecord& r) {
          if (r.id != id || r.key_hash != h) bad.fetch_add(1);
        });
        auto page = store_.api_keys().ListByOrg("org" + std::to_string(i % 3), "", 50);
        for (size_t j = 0; j < page.items.size(); ++j) {
          if (page.items[j].org_id != "org" + std::to_string(i % 3)) bad.fetch_add(1);
          if (j > 0 && !(page.items[j - 1].id < page.items[j].id)) bad.fetch_add(1);
        }
        ++i;
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  stop = true;
  for (size_t t = kWriters; t < threads.size(); ++t) threads[t].join();
  EXPECT_EQ(bad.load(), 0);
  const size_t live = kWriters * kPerWriter * 3 / 4;
  EXPECT_EQ(store_.api_keys().size(), live);
  size_t listed = 0;
  for (int o = 0; o < 3; ++o) listed += store_.api_keys().ListByOrg("org" + std::to_string(o), "", 10000).items.size();
  EXPECT_EQ(listed, live);
  store_.api_keys().ForEach([&](const ApiKeyRecord& r) {
    EXPECT_TRUE(store_.api_keys().GetBy<ApiKeyByHash>(r.key_hash).has_value());
    EXPECT_TRUE(store_.api_keys().GetBy<ApiKeyByOrgName>(OrgScopedKey(r.org_id, r.name)).has_value());
  });
}

TEST_F(StoreTest, PermissionNamesRoundTrip) {
  uint32_t all = 0;
  for (std::string_view name : kPermissionNames) {
    auto p = PermissionFromName(name);
    ASSERT_TRUE(p.has_value()) << name;
    EXPECT_EQ(PermissionName(*p), name);
    all |= static_cast<uint32_t>(*p);
  }
  EXPECT_EQ(all, (1u << kPermissionCount) - 1);
  EXPECT_FALSE(PermissionFromName("client.read").has_value());
  EXPECT_EQ(PermissionNames(static_cast<uint32_t>(Permission::kTokenIntrospect) | 1u),
            (std::vector<std::string_view>{"CLIENT.READ", "TOKEN.INTROSPECT"}));
}

}  // namespace
}  // namespace ihub
