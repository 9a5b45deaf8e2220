#include "store/integration_rules.h"

#include <set>

#include <gtest/gtest.h>

#include "codec/json_raw.h"
#include "store/crypto_box.h"
#include "store/store.h"

namespace ihub {
namespace {

EncryptionKey TestKey(uint8_t fill) {
  EncryptionKey key{};
  key.fill(fill);
  return key;
}

class IntegrationRulesTest : public ::testing::Test {
 protected:
  IntegrationRecord Typed(const std::string& org, const std::string& reference) {
    IntegrationRecord r;
    r.id = NewIntegrationId(IntegrationFamily::kTyped);
    r.org_id = org;
    r.family = IntegrationFamily::kTyped;
    r.type = "PAYMENT_GATEWAY";
    r.reference = reference;
    return r;
  }
  Status Create(IntegrationRecord& r) {
    auto seq = store_.Write([&](WriteTxn& txn) {
      return StageIntegration(txn, nullptr, r, "crn:o:api-key:k", 1000);
    });
    return seq.ok() ? Status::Ok() : seq.status();
  }

  Store store_;
  CryptoBox crypto_{TestKey(7)};
};

TEST_F(IntegrationRulesTest, StatusNamesPerFamily) {
  EXPECT_EQ(IntegrationStatusName(IntegrationFamily::kTyped, IntegrationStatus::kInactive),
            "INACTIVE");
  EXPECT_EQ(IntegrationStatusName(IntegrationFamily::kManaged, IntegrationStatus::kPending),
            "pending");
  EXPECT_EQ(IntegrationStatusFromName(IntegrationFamily::kTyped, "ACTIVE"),
            IntegrationStatus::kActive);
  // Solvimon knows only ACTIVE and INACTIVE (item 64), and case matters.
  EXPECT_FALSE(IntegrationStatusFromName(IntegrationFamily::kTyped, "PENDING"));
  EXPECT_FALSE(IntegrationStatusFromName(IntegrationFamily::kTyped, "active"));
  EXPECT_FALSE(IntegrationStatusFromName(IntegrationFamily::kTyped, ""));
  EXPECT_EQ(IntegrationStatusFromName(IntegrationFamily::kManaged, "archived"),
            IntegrationStatus::kArchived);
}

TEST_F(IntegrationRulesTest, TransitionsFollowTheLifecycle) {
  using S = IntegrationStatus;
  EXPECT_TRUE(CheckStatusTransition(S::kPending, S::kActive).ok());
  EXPECT_TRUE(CheckStatusTransition(S::kPending, S::kInactive).ok());
  EXPECT_TRUE(CheckStatusTransition(S::kActive, S::kInactive).ok());
  EXPECT_TRUE(CheckStatusTransition(S::kInactive, S::kArchived).ok());
  EXPECT_TRUE(CheckStatusTransition(S::kArchived, S::kArchived).ok());
  EXPECT_EQ(CheckStatusTransition(S::kActive, S::kPending).code(), StatusCode::kConflict);
  EXPECT_EQ(CheckStatusTransition(S::kArchived, S::kActive).code(), StatusCode::kConflict);
}

TEST_F(IntegrationRulesTest, IdFormats) {
  const std::string typed = NewIntegrationId(IntegrationFamily::kTyped);
  EXPECT_EQ(typed.substr(0, 5), "intg_");
  EXPECT_TRUE(IsBase62(typed.substr(5)));
  EXPECT_EQ(typed.size(), 27u);
  const std::string hex = NewIntegrationId(IntegrationFamily::kVendor);
  EXPECT_EQ(hex.size(), 24u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
  const std::string vendor = NewVendorId();
  EXPECT_EQ(vendor.size(), 8u);
  EXPECT_EQ(vendor.find_first_not_of("0123456789"), std::string::npos);
  const std::string token = NewOemToken();
  EXPECT_EQ(token.substr(0, 6), "ihoem_");
  EXPECT_EQ(token.size(), 50u);
  EXPECT_NE(NewOemToken(), token);
}

TEST_F(IntegrationRulesTest, SecretsAreSealedAndShownMaskedOrBlank) {
  IntegrationRecord r = Typed("o", "ref");
  const std::string json = R"({"api_key":"SECRET-MARKER","nested":{"n":1,"list":["x",true]}})";
  ASSERT_TRUE(SetIntegrationSecrets(crypto_, json, SecretView::kMasked, r).ok());
  EXPECT_EQ(r.secrets_view, R"({"api_key":"********","nested":{"n":1,"list":["********",true]}})");
  EXPECT_EQ(r.sealed_secrets.find("SECRET-MARKER"), std::string::npos);
  auto opened = OpenIntegrationSecrets(crypto_, r);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, json);

  ASSERT_TRUE(SetIntegrationSecrets(crypto_, R"({"api key":"k"})", SecretView::kBlank, r).ok());
  EXPECT_EQ(r.secrets_view, R"({"api key":""})");

  // Bound to the record: another id (or key) does not open it.
  IntegrationRecord copy = r;
  copy.id = "intg_other";
  EXPECT_EQ(OpenIntegrationSecrets(crypto_, copy).status().code(), StatusCode::kInternal);
  EXPECT_FALSE(OpenIntegrationSecrets(CryptoBox(TestKey(8)), r).ok());

  ASSERT_TRUE(SetIntegrationSecrets(crypto_, "", SecretView::kMasked, r).ok());
  EXPECT_TRUE(r.sealed_secrets.empty());
  EXPECT_TRUE(r.secrets_view.empty());
  EXPECT_EQ(*OpenIntegrationSecrets(crypto_, r), "");
  EXPECT_EQ(SetIntegrationSecrets(crypto_, "{bad", SecretView::kMasked, r).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(IntegrationRulesTest, MaskSentBackKeepsTheStoredSecret) {
  const std::string stored = R"({"key":"old-key","user":"old-user","deep":{"t":"old-t"}})";
  auto merged = KeepMaskedSecrets(
      R"({"key":"********","user":"new-user","deep":{"t":"********"},"extra":"********"})", stored);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(*merged,
            R"({"key":"old-key","user":"new-user","deep":{"t":"old-t"},"extra":"********"})");
  EXPECT_EQ(*KeepMaskedSecrets(R"({"a":"********"})", ""), R"({"a":"********"})");
  EXPECT_FALSE(KeepMaskedSecrets("{", stored).ok());
}

TEST_F(IntegrationRulesTest, CredentialsMustMatchTheTemplateExactly) {
  const std::vector<std::string> tmpl = {"api key", "api username"};
  FieldErrors ok_errors;
  EXPECT_TRUE(MatchCredentialTemplate(tmpl, {"api username", "api key"}, "c", ok_errors).ok());
  EXPECT_TRUE(ok_errors.empty());

  FieldErrors errors;
  Status st = MatchCredentialTemplate(tmpl, {"api user", "api key"}, "data.integrationCredentials",
                                      errors);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("missing: \"api username\""), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("not in the template: \"api user\""), std::string::npos);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors.items()[0].field, "data.integrationCredentials.api username");
  EXPECT_EQ(errors.items()[0].kind, FieldErrorKind::kMissing);
  EXPECT_EQ(errors.items()[1].field, "data.integrationCredentials.api user");
}

TEST_F(IntegrationRulesTest, ReferenceIsUniquePerOrgAndFamily) {
  IntegrationRecord a = Typed("o1", "shop");
  ASSERT_TRUE(Create(a).ok());
  EXPECT_EQ(a.created_at_ms, 1000);
  EXPECT_EQ(a.created_by, "crn:o:api-key:k");

  IntegrationRecord clash = Typed("o1", "shop");
  clash.type = "E_INVOICING";  // unique whatever the type
  EXPECT_EQ(Create(clash).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_.table<IntegrationRecord>().size(), 1u);

  IntegrationRecord other_org = Typed("o2", "shop");
  EXPECT_TRUE(Create(other_org).ok());
  IntegrationRecord managed = Typed("o1", "shop");
  managed.family = IntegrationFamily::kManaged;
  managed.type = "kete-enrolment";
  EXPECT_TRUE(Create(managed).ok());
  IntegrationRecord managed_other_type = managed;
  managed_other_type.id = NewIntegrationId(IntegrationFamily::kManaged);
  managed_other_type.type = "other-type";
  EXPECT_TRUE(Create(managed_other_type).ok());

  auto found = FindIntegrationByReference(store_, "o1", IntegrationFamily::kManaged,
                                          "kete-enrolment", "shop");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, managed.id);
  EXPECT_FALSE(FindIntegrationByReference(store_, "o3", IntegrationFamily::kTyped, "", "shop"));
}

TEST_F(IntegrationRulesTest, UpdatesKeepCreationAndMayReuseOwnReference) {
  IntegrationRecord a = Typed("o1", "shop");
  ASSERT_TRUE(Create(a).ok());
  IntegrationRecord b = Typed("o1", "other");
  ASSERT_TRUE(Create(b).ok());

  IntegrationRecord next = a;
  next.name = "renamed";
  auto seq = store_.Write([&](WriteTxn& txn) {
    return StageIntegration(txn, &a, next, "crn:o:api-key:k2", 2000);
  });
  ASSERT_TRUE(seq.ok());
  auto stored = store_.table<IntegrationRecord>().Get(a.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->name, "renamed");
  EXPECT_EQ(stored->created_at_ms, 1000);
  EXPECT_EQ(stored->updated_at_ms, 2000);
  EXPECT_EQ(stored->updated_by, "crn:o:api-key:k2");

  IntegrationRecord steal = *stored;
  steal.reference = "other";
  auto clash = store_.Write([&](WriteTxn& txn) {
    return StageIntegration(txn, &*stored, steal, "crn", 3000);
  });
  EXPECT_EQ(clash.status().code(), StatusCode::kAlreadyExists);

  IntegrationRecord archived = *stored;
  archived.status = IntegrationStatus::kArchived;
  ASSERT_TRUE(store_.Write([&](WriteTxn& txn) {
                      return StageIntegration(txn, &*stored, archived, "crn", 3000);
                    }).ok());
  IntegrationRecord revive = archived;
  revive.status = IntegrationStatus::kActive;
  EXPECT_EQ(store_.Write([&](WriteTxn& txn) {
                  return StageIntegration(txn, &archived, revive, "crn", 4000);
                }).status().code(),
            StatusCode::kConflict);
}

TEST_F(IntegrationRulesTest, LookupsAreTenantAndFamilyScoped) {
  IntegrationRecord a = Typed("o1", "shop");
  ASSERT_TRUE(Create(a).ok());
  int calls = 0;
  EXPECT_TRUE(ReadIntegration(store_, "o1", IntegrationFamily::kTyped, a.id,
                              [&](const IntegrationRecord&) { ++calls; }));
  EXPECT_FALSE(ReadIntegration(store_, "o2", IntegrationFamily::kTyped, a.id,
                               [&](const IntegrationRecord&) { ++calls; }));
  EXPECT_FALSE(ReadIntegration(store_, "o1", IntegrationFamily::kVendor, a.id,
                               [&](const IntegrationRecord&) { ++calls; }));
  EXPECT_EQ(calls, 1);

  EXPECT_EQ(store_.Write([&](WriteTxn& txn) {
                  return EraseIntegration(txn, "o2", IntegrationFamily::kTyped, a.id);
                }).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(store_.Write([&](WriteTxn& txn) {
                      return EraseIntegration(txn, "o1", IntegrationFamily::kTyped, a.id);
                    }).ok());
  EXPECT_EQ(store_.table<IntegrationRecord>().size(), 0u);
  // The reference is free again (item 71).
  IntegrationRecord again = Typed("o1", "shop");
  EXPECT_TRUE(Create(again).ok());
}

TEST_F(IntegrationRulesTest, ForEachVisitsOneFamilyOfOneOrg) {
  std::set<std::string> want;
  for (int i = 0; i < 300; ++i) {
    IntegrationRecord r = Typed("o1", "ref" + std::to_string(i));
    if (i % 3 == 0) r.family = IntegrationFamily::kVendor;
    ASSERT_TRUE(Create(r).ok());
    if (i % 3 != 0) want.insert(r.id);
  }
  IntegrationRecord foreign = Typed("o2", "x");
  ASSERT_TRUE(Create(foreign).ok());
  std::set<std::string> seen;
  std::string last;
  ForEachIntegration(store_, "o1", IntegrationFamily::kTyped, [&](const IntegrationRecord& r) {
    EXPECT_LT(last, r.id);
    last = r.id;
    seen.insert(r.id);
  });
  EXPECT_EQ(seen, want);
}

TEST_F(IntegrationRulesTest, ConfigEntries) {
  IntegrationRecord r;
  SetIntegrationConfig(r, "params", R"({"a":1})");
  SetIntegrationConfig(r, "other", "[]");
  SetIntegrationConfig(r, "params", R"({"a":2})");
  ASSERT_NE(r.FindConfig("params"), nullptr);
  EXPECT_EQ(*r.FindConfig("params"), R"({"a":2})");
  SetIntegrationConfig(r, "params", "");
  EXPECT_EQ(r.FindConfig("params"), nullptr);
  EXPECT_EQ(r.config.size(), 1u);
}

}  // namespace
}  // namespace ihub
