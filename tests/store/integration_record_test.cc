#include "store/integration_record.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "store/clock.h"
#include "store/crypto_box.h"
#include "store/integration_rules.h"
#include "store/persistence.h"
#include "store/store.h"
#include "tests/store/temp_dir.h"
#include "tests/store/store_test_util.h"

namespace ihub {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kMarker = "MARKER-7f3a9c-secret";

// Every file under `dir` whose bytes contain `needle`.
std::vector<std::string> FilesContaining(const std::string& dir, std::string_view needle) {
  std::vector<std::string> hits;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) hits.push_back(entry.path().string());
  }
  return hits;
}

class IntegrationRecordTest : public ::testing::Test {
 protected:
  struct Running {
    std::unique_ptr<Store> store = std::make_unique<Store>();
    std::unique_ptr<Persistence> p;
    RestoreReport report;
  };
  Running Start() {
    Running r;
    auto p = Persistence::Open({dir_.path(), FsyncMode::kBatch, 0, 3, nullptr}, r.store.get(),
                               &clock_);
    EXPECT_TRUE(p.ok()) << p.status().message();
    r.p = std::move(*p);
    auto report = r.p->Restore();
    EXPECT_TRUE(report.ok()) << report.status().message();
    if (report.ok()) r.report = *report;
    return r;
  }
  uint64_t Put(Store& store, const auto& record) { return PutRecord(store, record); }
  IntegrationRecord Integration(IntegrationFamily family, const std::string& reference) {
    IntegrationRecord r;
    r.id = NewIntegrationId(family);
    r.org_id = "org1";
    r.family = family;
    r.type = family == IntegrationFamily::kManaged ? "kete-enrolment" : "PAYMENT_GATEWAY";
    r.reference = reference;
    r.name = "n";
    r.status = IntegrationStatus::kPending;
    r.active = false;
    r.config = {{"params", R"({"givenName":"John"})"}, {"linked", "[]"}};
    r.created_at_ms = 5;
    r.updated_at_ms = 6;
    r.created_by = "crn:org1:api-key:k";
    r.updated_by = "crn:org1:api-key:k";
    if (family == IntegrationFamily::kManaged) {
      r.invitation = {"inv" + reference, "code" + reference, "https://x", 7, "acct", "crn", 8};
    }
    EXPECT_TRUE(SetIntegrationSecrets(crypto_, R"({"token":")" + std::string(kMarker) + R"("})",
                                      SecretView::kMasked, r)
                    .ok());
    return r;
  }

  testing::TempDir dir_;
  Clock clock_;
  CryptoBox crypto_{EncryptionKey{}};
};

TEST_F(IntegrationRecordTest, EveryKindSurvivesSnapshotAndJournal) {
  IntegrationRecord typed = Integration(IntegrationFamily::kTyped, "ref1");
  IntegrationRecord managed = Integration(IntegrationFamily::kManaged, "ext1");
  IntegrationRecord vendor = Integration(IntegrationFamily::kVendor, "");
  VendorRecord v{"12345678", "vendor name", "custom_hosted", true, {"api key", "api username"}, 9};
  OemTokenRecord t{Sha256("ihoem_x"), "org1", "clientkey", "crn:org1:root-key:root", 10};
  {
    Running r = Start();
    Put(*r.store, typed);
    Put(*r.store, v);
    ASSERT_TRUE(r.p->TakeSnapshot().ok());
    Put(*r.store, managed);  // only in the journal
    Put(*r.store, vendor);
    uint64_t last = Put(*r.store, t);
    ASSERT_TRUE(r.p->journal()->WaitDurable(last).ok());
    // No plain secret in the snapshot or the journal.
    EXPECT_TRUE(FilesContaining(dir_.path(), kMarker).empty());
    ASSERT_TRUE(r.p->Shutdown(false).ok());
  }
  Running r = Start();
  EXPECT_EQ(r.report.snapshot_records, 2u);
  EXPECT_EQ(r.report.journal_records, 3u);
  const auto& table = r.store->table<IntegrationRecord>();
  EXPECT_EQ(table.Get(typed.id), typed);
  EXPECT_EQ(table.Get(managed.id), managed);
  EXPECT_EQ(table.Get(vendor.id), vendor);
  EXPECT_EQ(r.store->table<VendorRecord>().Get(v.id), v);
  EXPECT_EQ(r.store->table<OemTokenRecord>().Get(t.token_hash), t);
  // Indexes rebuilt on load.
  EXPECT_EQ(FindIntegrationByReference(*r.store, "org1", IntegrationFamily::kTyped, "", "ref1")
                ->id,
            typed.id);
  EXPECT_EQ(table.GetBy<IntegrationByInvitationCode>("codeext1")->id, managed.id);
  // The sealed secret still opens after the round trip.
  EXPECT_NE(OpenIntegrationSecrets(crypto_, *table.Get(typed.id))->find(kMarker),
            std::string::npos);
  ASSERT_TRUE(r.p->Shutdown(true).ok());
  EXPECT_TRUE(FilesContaining(dir_.path(), kMarker).empty());
}

TEST_F(IntegrationRecordTest, RecordsWithoutReferenceOrCodeDoNotClash) {
  Store store;
  Put(store, Integration(IntegrationFamily::kVendor, ""));
  Put(store, Integration(IntegrationFamily::kVendor, ""));
  EXPECT_EQ(store.table<IntegrationRecord>().size(), 2u);
  const std::string vendor_group = IntegrationListGroup("org1", IntegrationFamily::kVendor);
  EXPECT_EQ(store.table<IntegrationRecord>().ListByGroup(vendor_group, "", 10).items.size(), 2u);
}

TEST_F(IntegrationRecordTest, EachFamilyListsOnlyItsOwnIntegrations) {
  Store store;
  Put(store, Integration(IntegrationFamily::kVendor, ""));
  Put(store, Integration(IntegrationFamily::kTyped, "ref-1"));
  Put(store, Integration(IntegrationFamily::kTyped, "ref-2"));
  const auto& table = store.table<IntegrationRecord>();
  EXPECT_EQ(table.ListByGroup(IntegrationListGroup("org1", IntegrationFamily::kTyped), "", 10)
                .items.size(),
            2u);
  EXPECT_EQ(table.ListByGroup(IntegrationListGroup("org1", IntegrationFamily::kVendor), "", 10)
                .items.size(),
            1u);
  EXPECT_TRUE(table.ListByGroup(IntegrationListGroup("org1", IntegrationFamily::kManaged), "", 10)
                  .items.empty());
}

}  // namespace
}  // namespace ihub
