#include "store/managed_integration_rules.h"

#include <gtest/gtest.h>

#include <string>

#include "store/integration_rules.h"
#include "store/secrets.h"

namespace ihub {
namespace {

constexpr int64_t kT0 = 1591838266499;  // 2020-06-11T01:17:46.499Z, the seed's createdAt
constexpr std::string_view kParams = R"({"bankAccounts":["06-0384-947723945-00"]})";
constexpr std::string_view kOtherParams = R"({"bankAccounts":["12-3456-1234567-00"]})";

class ManagedIntegrationRulesTest : public ::testing::Test {
 protected:
  ManagedUpsert Upsert(std::string_view org, std::string_view external_id, bool active,
                       std::string_view params = kParams, int64_t now = kT0) {
    return {.org_id = org,
            .type = &kKeteEnrolmentType,
            .external_id = external_id,
            .active = active,
            .params = params,
            .url_base = "https://ihub.example/",
            .by_crn = "crn:org:api-key:writer",
            .now_ms = now};
  }
  // Runs one write; returns its status and the record it left in `out`.
  template <typename Fn>
  Status Run(Fn&& fn, uint64_t* seq = nullptr) {
    auto r = store_.Write([&](WriteTxn& txn) { return fn(txn); });
    if (r.ok() && seq != nullptr) *seq = *r;
    return r.ok() ? Status::Ok() : r.status();
  }
  Status DoUpsert(const ManagedUpsert& in, IntegrationRecord& out, uint64_t* seq = nullptr) {
    return Run([&](WriteTxn& txn) { return StageManagedUpsert(txn, in, out); }, seq);
  }
  Status Claim(std::string_view code, std::optional<std::string_view> account, int64_t now,
               IntegrationRecord& out) {
    return Run([&](WriteTxn& txn) { return StageInvitationClaim(txn, code, account, now, out); });
  }
  Status Archive(std::string_view org, std::string_view id, int64_t now, IntegrationRecord& out,
                 uint64_t* seq = nullptr) {
    return Run(
        [&](WriteTxn& txn) {
          return StageManagedArchive(txn, org, id, "crn:org:api-key:writer", now, out);
        },
        seq);
  }

  Store store_;
};

TEST_F(ManagedIntegrationRulesTest, CreateMakesAPendingRecordWithAnInvitation) {
  IntegrationRecord r;
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext/1 ?", true), r).ok());
  EXPECT_EQ(r.id.size(), 24u);
  EXPECT_EQ(r.family, IntegrationFamily::kManaged);
  EXPECT_EQ(r.type, "kete-enrolment");
  EXPECT_EQ(r.reference, "ext/1 ?");
  EXPECT_EQ(r.status, IntegrationStatus::kPending);
  EXPECT_TRUE(r.active);
  ASSERT_NE(r.FindConfig(kManagedParamsConfigKey), nullptr);
  EXPECT_EQ(*r.FindConfig(kManagedParamsConfigKey), kParams);
  EXPECT_EQ(r.invitation.id.size(), kInvitationIdLength);
  EXPECT_TRUE(IsInvitationCodeShape(r.invitation.code));
  EXPECT_EQ(r.invitation.url, "https://ihub.example/kete-enrolment/ext%2F1%20%3F/" + r.id);
  EXPECT_EQ(r.invitation.expires_at_ms, kT0 + 48LL * 3600 * 1000);
  EXPECT_EQ(r.created_at_ms, kT0);
  EXPECT_EQ(r.updated_at_ms, kT0);
  EXPECT_EQ(r.created_by, "crn:org:api-key:writer");
  EXPECT_TRUE(r.invitation.claimed_by.empty());
  EXPECT_EQ(store_.table<IntegrationRecord>().Get(r.id), r);
}

TEST_F(ManagedIntegrationRulesTest, UpsertIsIdempotentPerOrgTypeAndExternalId) {
  IntegrationRecord first, again, other_org;
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext-1", true), first).ok());
  uint64_t seq = 99;
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext-1", true, kParams, kT0 + 5000), again, &seq).ok());
  EXPECT_EQ(seq, 0u);  // nothing staged: the same request changes nothing
  EXPECT_EQ(again, first);
  ASSERT_TRUE(DoUpsert(Upsert("orgB", "ext-1", true), other_org).ok());
  EXPECT_NE(other_org.id, first.id);
  EXPECT_EQ(store_.table<IntegrationRecord>().size(), 2u);
}

TEST_F(ManagedIntegrationRulesTest, UpdateReplacesActiveAndParamsKeepsInvitationAndCreation) {
  IntegrationRecord first, updated;
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext-1", true), first).ok());
  ManagedUpsert in = Upsert("orgA", "ext-1", false, kOtherParams, kT0 + 1000);
  in.by_crn = "crn:org:api-key:other";
  ASSERT_TRUE(DoUpsert(in, updated).ok());
  EXPECT_EQ(updated.id, first.id);
  EXPECT_FALSE(updated.active);
  EXPECT_EQ(*updated.FindConfig(kManagedParamsConfigKey), kOtherParams);
  EXPECT_EQ(updated.status, IntegrationStatus::kPending);  // unclaimed stays pending (item 91)
  EXPECT_EQ(updated.invitation, first.invitation);
  EXPECT_EQ(updated.created_at_ms, kT0);
  EXPECT_EQ(updated.created_by, "crn:org:api-key:writer");
  EXPECT_EQ(updated.updated_at_ms, kT0 + 1000);
  EXPECT_EQ(updated.updated_by, "crn:org:api-key:other");
  EXPECT_EQ(store_.table<IntegrationRecord>().size(), 1u);
}

TEST_F(ManagedIntegrationRulesTest, ClaimSetsClaimFieldsAndStatusFollowsActive) {
  IntegrationRecord created, claimed, updated;
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext-1", true), created).ok());
  ASSERT_TRUE(Claim(created.invitation.code, "Jaim1Cu1Q55uooxSens6yk", kT0 + 10, claimed).ok());
  EXPECT_EQ(claimed.status, IntegrationStatus::kActive);
  EXPECT_EQ(claimed.invitation.claimed_by_account_id, "Jaim1Cu1Q55uooxSens6yk");
  EXPECT_EQ(claimed.invitation.claimed_by,
            "crn:Jaim1Cu1Q55uooxSens6yk:invitation:" + created.invitation.id);
  EXPECT_EQ(claimed.invitation.claimed_at_ms, kT0 + 10);
  EXPECT_EQ(claimed.updated_at_ms, kT0 + 10);
  EXPECT_EQ(claimed.updated_by, claimed.invitation.claimed_by);
  EXPECT_EQ(claimed.created_by, created.created_by);
  // Once claimed, an update moves status with `active`.
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext-1", false, kParams, kT0 + 20), updated).ok());
  EXPECT_EQ(updated.status, IntegrationStatus::kInactive);
  EXPECT_EQ(updated.invitation, claimed.invitation);
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext-1", true, kParams, kT0 + 30), updated).ok());
  EXPECT_EQ(updated.status, IntegrationStatus::kActive);
}

TEST_F(ManagedIntegrationRulesTest, ClaimOfAnInactiveIntegrationIsInactive) {
  IntegrationRecord created, claimed;
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext-1", false), created).ok());
  ASSERT_TRUE(Claim(created.invitation.code, "acct", kT0 + 1, claimed).ok());
  EXPECT_EQ(claimed.status, IntegrationStatus::kInactive);
}

TEST_F(ManagedIntegrationRulesTest, ClaimChecksInItem95Order) {
  IntegrationRecord created, out;
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext-1", true), created).ok());
  const std::string code = created.invitation.code;
  // Unknown codes, of the right shape or not.
  EXPECT_EQ(Claim(RandomBase62(kInvitationCodeLength), "acct", kT0, out).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Claim("short", "acct", kT0, out).code(), StatusCode::kNotFound);
  EXPECT_EQ(Claim("#" + created.id, "acct", kT0, out).code(), StatusCode::kNotFound);
  // Expired beats an invalid body; the expiry instant itself is expired.
  EXPECT_EQ(Claim(code, std::nullopt, created.invitation.expires_at_ms, out).code(),
            StatusCode::kGone);
  EXPECT_EQ(Claim(code, std::nullopt, created.invitation.expires_at_ms - 1, out).code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(Claim(code, "acct", kT0 + 1, out).ok());
  // Already accepted beats an invalid body, and is not idempotent.
  EXPECT_EQ(Claim(code, std::nullopt, kT0 + 2, out).code(), StatusCode::kConflict);
  EXPECT_EQ(Claim(code, "acct", kT0 + 2, out).code(), StatusCode::kConflict);
  // Expired beats already accepted.
  EXPECT_EQ(Claim(code, "acct", created.invitation.expires_at_ms + 1, out).code(),
            StatusCode::kGone);
}

TEST_F(ManagedIntegrationRulesTest, ArchiveIsFinalAndRepeatable) {
  IntegrationRecord created, archived, again, out;
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext-1", true), created).ok());
  EXPECT_EQ(Archive("orgB", created.id, kT0 + 1, out).code(), StatusCode::kNotFound);
  EXPECT_EQ(Archive("orgA", "nope", kT0 + 1, out).code(), StatusCode::kNotFound);
  ASSERT_TRUE(Archive("orgA", created.id, kT0 + 1, archived).ok());
  EXPECT_EQ(archived.status, IntegrationStatus::kArchived);
  EXPECT_EQ(archived.updated_at_ms, kT0 + 1);
  uint64_t seq = 99;
  ASSERT_TRUE(Archive("orgA", created.id, kT0 + 2, again, &seq).ok());
  EXPECT_EQ(seq, 0u);
  EXPECT_EQ(again, archived);
  // An archived record is not revived by an upsert, and its invitation is gone (items 92, 97).
  EXPECT_EQ(DoUpsert(Upsert("orgA", "ext-1", false), out).code(), StatusCode::kConflict);
  EXPECT_EQ(DoUpsert(Upsert("orgA", "ext-1", true), out).code(), StatusCode::kConflict);
  EXPECT_EQ(Claim(created.invitation.code, "acct", kT0 + 3, out).code(), StatusCode::kGone);
  EXPECT_EQ(store_.table<IntegrationRecord>().size(), 1u);
}

TEST_F(ManagedIntegrationRulesTest, OtherFamiliesAreInvisible) {
  IntegrationRecord typed;
  typed.id = NewIntegrationId(IntegrationFamily::kTyped);
  typed.org_id = "orgA";
  typed.family = IntegrationFamily::kTyped;
  typed.type = "PAYMENT_GATEWAY";
  typed.reference = "ext-1";
  ASSERT_TRUE(
      Run([&](WriteTxn& txn) { return StageIntegration(txn, nullptr, typed, "crn", kT0); }).ok());
  IntegrationRecord out;
  EXPECT_EQ(Archive("orgA", typed.id, kT0, out).code(), StatusCode::kNotFound);
  // The same reference in another family does not clash with a managed externalId.
  ASSERT_TRUE(DoUpsert(Upsert("orgA", "ext-1", true), out).ok());
  EXPECT_NE(out.id, typed.id);
}

TEST_F(ManagedIntegrationRulesTest, FieldShapes) {
  EXPECT_TRUE(IsValidExternalId("DKTs3U38hdhfEqwF1JKoT2"));
  EXPECT_TRUE(IsValidExternalId(std::string(256, 'x')));
  EXPECT_TRUE(IsValidExternalId("ā/b c"));
  EXPECT_FALSE(IsValidExternalId(""));
  EXPECT_FALSE(IsValidExternalId(std::string(257, 'x')));
  EXPECT_FALSE(IsValidExternalId("a\nb"));
  EXPECT_FALSE(IsValidExternalId(std::string("a\x7f", 2)));
  EXPECT_TRUE(IsValidAccountId("Jaim1Cu1Q55uooxSens6yk"));
  EXPECT_TRUE(IsValidAccountId("a_b-C"));
  EXPECT_TRUE(IsValidAccountId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidAccountId(std::string(65, 'a')));
  EXPECT_FALSE(IsValidAccountId(""));
  EXPECT_FALSE(IsValidAccountId("a:b"));
  EXPECT_EQ(InvitationClaimCrn("acct", "inv"), "crn:acct:invitation:inv");
}

}  // namespace
}  // namespace ihub
