// Format compatibility: tests/testdata/snapshot-v1.ihubsnap was written by the
// version-1 snapshot code and must load, with the same records, forever after.
// Regenerate it only for a new format version (then add a new file beside it):
//   IHUB_WRITE_GOLDEN=1 ihub_store_tests --gtest_filter='GoldenSnapshotTest.*'
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "store/snapshot.h"
#include "store/snapshot_file.h"
#include "store/store.h"
#include "tests/store/record_fixtures.h"
#include "tests/store/temp_dir.h"

namespace ihub {
namespace {

namespace fs = std::filesystem;

std::string GoldenPath() {
  return (fs::path(__FILE__).parent_path().parent_path() / "testdata" / "snapshot-v1.ihubsnap")
      .string();
}

// The golden content: every kind version 1 knew of with records in it.
void Fill(Store& store) {
  MutationBatch batch;
  batch.push_back(Put<OrgRecord>{testing::Org("o1")});
  batch.push_back(Put<OrgRecord>{testing::Org("o2")});
  batch.push_back(Put<ApiKeyRecord>{testing::Key("k1", "o1")});
  batch.push_back(Put<ClientRecord>{testing::Client("c1" + std::string(23, 'k'), "o1", 1)});
  for (uint64_t n = 1; n <= 3; ++n) batch.push_back(Put<TokenRecord>{testing::Token(n)});
  store.Apply(batch, 42);
}

TEST(GoldenSnapshotTest, WriteWhenAsked) {
  if (std::getenv("IHUB_WRITE_GOLDEN") == nullptr) GTEST_SKIP() << "set IHUB_WRITE_GOLDEN=1";
  Store store;
  Fill(store);
  fs::remove(GoldenPath());
  auto r = WriteStoreSnapshot(store, nullptr, GoldenPath(), 7, 1700000000123);
  ASSERT_TRUE(r.ok()) << r.status().message();
}

TEST(GoldenSnapshotTest, TheVersion1FileStillLoads) {
  Store expected;
  Fill(expected);
  Store loaded;
  auto h = LoadStoreSnapshot(GoldenPath(), &loaded);
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->version, 1u);
  EXPECT_EQ(h->sequence, 7u);
  EXPECT_EQ(h->journal_seq, 42u);
  EXPECT_EQ(h->created_at_ms, 1700000000123);
  EXPECT_EQ(loaded.last_seq(), 42u);
  EXPECT_EQ(testing::Contents(loaded), testing::Contents(expected));
  EXPECT_TRUE(loaded.api_keys().GetBy<ApiKeyByHash>(Sha256("ihk_k1")).has_value());
}

}  // namespace
}  // namespace ihub
