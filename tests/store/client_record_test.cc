#include "store/client_record.h"

#include <atomic>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <cereal/archives/binary.hpp>
#include <gtest/gtest.h>

#include "store/clock.h"
#include "store/mutation.h"
#include "store/store.h"

namespace ihub {
namespace {

class ClientRecordTest : public ::testing::Test {
 protected:
  static ClientRecord MakeClient(const std::string& key) {
    ClientRecord c;
    c.id = 7;
    c.org_id = "org1";
    c.client_key = key;
    c.name = "till client";
    c.description = "d";
    c.expiration_token_time = 3600;
    c.default_till_id = 75155372;
    c.scopes = {ScopeEntry{1, ScopePermission::kRead, {}},
                ScopeEntry{3, ScopePermission::kReadWrite, {".*v1\\.1/transaction/add.*"}}};
    c.secret_hash = Sha256("current-secret");
    c.created_on_ms = 1000;
    c.last_updated_on_ms = 2000;
    c.created_by = Attribution{"key1", "crn:key1", "ops key", "API_KEY"};
    c.last_updated_by = Attribution{"root", "", "", "ROOT_KEY"};
    EXPECT_TRUE(c.Recompile().ok());
    return c;
  }
};

TEST_F(ClientRecordTest, CurrentSecretMatchesAndOthersDoNot) {
  const ClientRecord c = MakeClient("k1");
  EXPECT_TRUE(c.SecretMatches(Sha256("current-secret"), 0));
  EXPECT_FALSE(c.SecretMatches(Sha256("current-secreT"), 0));
  // A never-rotated client's previous hash is all zeros with no grace: nothing else matches.
  EXPECT_FALSE(c.SecretMatches(Digest{}, 0));
}

TEST_F(ClientRecordTest, PreviousSecretMatchesOnlyUntilGraceEnds) {
  Clock clock;
  ClientRecord c = MakeClient("k1");
  const int64_t now = clock.NowMs();
  c.previous_secret_hash = c.secret_hash;
  c.secret_hash = Sha256("new-secret");
  c.previous_secret_valid_until_ms = now + 60'000;

  EXPECT_TRUE(c.SecretMatches(Sha256("new-secret"), clock.NowMs()));
  EXPECT_TRUE(c.SecretMatches(Sha256("current-secret"), clock.NowMs()));
  clock.TEST_Advance(59'000);
  EXPECT_TRUE(c.SecretMatches(Sha256("current-secret"), clock.NowMs()));
  clock.TEST_Advance(1'001);
  EXPECT_FALSE(c.SecretMatches(Sha256("current-secret"), clock.NowMs()));
  EXPECT_TRUE(c.SecretMatches(Sha256("new-secret"), clock.NowMs()));
}

TEST_F(ClientRecordTest, SerializationKeepsEveryFieldAndRebuildsCompiledScopes) {
  const ClientRecord original = MakeClient("k1");
  std::stringstream buf;
  {
    cereal::BinaryOutputArchive out(buf);
    out(original);
  }
  ClientRecord loaded;
  {
    cereal::BinaryInputArchive in(buf);
    in(loaded);
  }
  EXPECT_EQ(loaded.id, original.id);
  EXPECT_EQ(loaded.org_id, original.org_id);
  EXPECT_EQ(loaded.client_key, original.client_key);
  EXPECT_EQ(loaded.name, original.name);
  EXPECT_EQ(loaded.description, original.description);
  EXPECT_EQ(loaded.expiration_token_time, original.expiration_token_time);
  EXPECT_EQ(loaded.default_till_id, original.default_till_id);
  EXPECT_EQ(loaded.is_valid, original.is_valid);
  EXPECT_EQ(loaded.scopes, original.scopes);
  EXPECT_EQ(loaded.secret_hash, original.secret_hash);
  EXPECT_EQ(loaded.created_by, original.created_by);
  EXPECT_EQ(loaded.last_updated_by, original.last_updated_by);
  EXPECT_EQ(loaded.created_on_ms, original.created_on_ms);
  EXPECT_EQ(loaded.last_updated_on_ms, original.last_updated_on_ms);
  ASSERT_NE(loaded.compiled, nullptr);
  // Rebuilt from the loaded scopes, which equal the original's: the same shared object.
  EXPECT_EQ(loaded.compiled, original.compiled);
  EXPECT_EQ(loaded.compiled->entity_mask(), original.compiled->entity_mask());
  EXPECT_TRUE(loaded.compiled->Allows(loaded.compiled->entity_mask(), MethodClass::kWrite,
                                      "/v1.1/transaction/add"));
  EXPECT_FALSE(loaded.compiled->Allows(loaded.compiled->entity_mask(), MethodClass::kWrite,
                                       "/v3/targetGroups/1"));
}

TEST_F(ClientRecordTest, StoreApplyOfAJournaledBatchRestoresTheClient) {
  // The journal holds the cereal form of a batch; replaying it must give a usable client.
  MutationBatch batch;
  batch.emplace_back(Put<ClientRecord>{MakeClient("k2")});
  std::stringstream buf;
  {
    cereal::BinaryOutputArchive out(buf);
    out(batch);
  }
  MutationBatch replayed;
  {
    cereal::BinaryInputArchive in(buf);
    in(replayed);
  }
  Store store;
  store.Apply(replayed, 1);
  bool found = store.clients().Read(std::string("k2"), [](const ClientRecord& c) {
    ASSERT_NE(c.compiled, nullptr);
    EXPECT_TRUE(c.compiled->Allows(c.compiled->entity_mask(), MethodClass::kRead,
                                   "/v3/targetGroups/9"));
  });
  EXPECT_TRUE(found);
  EXPECT_EQ(store.clients().ListByOrg("org1", "", 10).items.size(), 1u);
}

}  // namespace
}  // namespace ihub

namespace ihub {
namespace {

// The cached encoding (ClientRecord::encoded) belongs to one version of a record: a copy, which
// is how every change reaches the store, starts without it.
TEST(DerivedTextTest, CopiesAndAssignmentsStartEmpty) {
  ClientRecord a;
  EXPECT_EQ(a.encoded.SetOnce("{\"id\":1}"), "{\"id\":1}");
  ASSERT_TRUE(a.encoded.Get().has_value());
  EXPECT_EQ(*a.encoded.Get(), "{\"id\":1}");
  EXPECT_EQ(a.encoded.SetOnce("other"), "{\"id\":1}");  // the first text stays
  ClientRecord copy = a;
  EXPECT_FALSE(copy.encoded.Get().has_value());
  ClientRecord assigned;
  assigned.encoded.SetOnce("old");
  assigned = a;
  EXPECT_FALSE(assigned.encoded.Get().has_value());
  ClientRecord moved = std::move(a);
  EXPECT_FALSE(moved.encoded.Get().has_value());
}

// Readers under a shard's shared lock may fill it at the same time (run under TSan in CI).
TEST(DerivedTextTest, ConcurrentReadersFillItOnce) {
  Store store;
  ClientRecord c;
  c.id = 1;
  c.org_id = "org";
  c.client_key = "k0000000000000000000000000";
  ASSERT_TRUE(store.Write([&](WriteTxn& txn) {
    txn.Put(c);
    return Status::Ok();
  }).ok());
  std::vector<std::thread> readers;
  std::atomic<int> seen_same{0};
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        store.clients().Read(c.client_key, [&](const ClientRecord& r) {
          std::optional<std::string_view> text = r.encoded.Get();
          // Each thread offers its own text; all must see the one that won.
          if (!text) text = r.encoded.SetOnce("encoded by " + std::to_string(t));
          if (*text == *r.encoded.Get()) ++seen_same;
        });
      }
    });
  }
  for (auto& th : readers) th.join();
  EXPECT_EQ(seen_same.load(), 4000);
}

}  // namespace
}  // namespace ihub
