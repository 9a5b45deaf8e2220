#include "store/client_rules.h"

#include <string>

#include <gtest/gtest.h>

#include "store/store.h"

namespace ihub {
namespace {

class ClientRulesTest : public ::testing::Test {
 protected:
  Status Read(std::string_view body, ClientWrite kind = ClientWrite::kCreate) {
    errors_ = FieldErrors();
    fields_ = ClientFields();
    return ReadClientFields(body, kind, errors_, fields_);
  }
  bool Names(std::string_view field) const {
    for (const FieldError& e : errors_) {
      if (e.field == field) return true;
    }
    return false;
  }

  FieldErrors errors_;
  ClientFields fields_;
};

TEST_F(ClientRulesTest, ReadsAValidBodyAndCompilesItsScopes) {
  ASSERT_TRUE(Read(R"({"name":"n","description":"","expirationTokenTime":600,"defaultTillId":7,
      "scopes":[{"entityId":3,"permission":"WRITE","resources":[".*v1\\.1/transaction/add"]},
                {"entityId":1,"permission":"READ","resources":[]}]})")
                  .ok());
  EXPECT_EQ(fields_.name, "n");
  EXPECT_EQ(fields_.description, "");
  EXPECT_EQ(fields_.expiration_token_time, 600);
  EXPECT_EQ(fields_.default_till_id, 7);
  ASSERT_EQ(fields_.scopes.size(), 2u);
  EXPECT_EQ(fields_.scopes[0].permission, ScopePermission::kWrite);
  ASSERT_NE(fields_.compiled, nullptr);
  const uint32_t all = fields_.compiled->entity_mask();
  EXPECT_TRUE(fields_.compiled->Allows(all, MethodClass::kWrite, "/v1.1/transaction/add"));
  EXPECT_FALSE(fields_.compiled->Allows(all, MethodClass::kRead, "/v1.1/transaction/add"));
  EXPECT_TRUE(fields_.compiled->Allows(all, MethodClass::kRead, "/v3/targetGroups/4"));
}

TEST_F(ClientRulesTest, UpdateMayOmitNameAndDescription) {
  ASSERT_TRUE(Read(R"({"expirationTokenTime":1,"defaultTillId":0,"scopes":[]})",
                   ClientWrite::kUpdate)
                  .ok());
  EXPECT_FALSE(fields_.name.has_value());
  EXPECT_FALSE(fields_.description.has_value());
  EXPECT_FALSE(Read(R"({"expirationTokenTime":1,"defaultTillId":0,"scopes":[]})").ok());
  EXPECT_TRUE(Names("name"));
  EXPECT_TRUE(Names("description"));
}

TEST_F(ClientRulesTest, EveryUnknownEntityIsNamed) {
  EXPECT_FALSE(Read(R"({"name":"n","description":"","expirationTokenTime":1,"defaultTillId":0,
      "scopes":[{"entityId":0,"permission":"READ","resources":[]},
                {"entityId":2,"permission":"READ","resources":[]},
                {"entityId":4,"permission":"READ","resources":[]}]})")
                   .ok());
  EXPECT_EQ(errors_.size(), 2u);
  EXPECT_TRUE(Names("scopes[0].entityId"));
  EXPECT_TRUE(Names("scopes[2].entityId"));
  EXPECT_EQ(fields_.compiled, nullptr);
}

TEST_F(ClientRulesTest, PatternsRE2RejectsAreNamed) {
  for (const char* pattern : {"(a", "(?=lookahead)", "(a)\\\\1"}) {
    const std::string body = std::string(R"({"name":"n","description":"","expirationTokenTime":1,
        "defaultTillId":0,"scopes":[{"entityId":1,"permission":"READ","resources":[".*","x",")") +
                             pattern + R"("]}]})";
    EXPECT_FALSE(Read(body).ok()) << pattern;
    EXPECT_TRUE(Names("scopes[0].resources[2]")) << pattern;
  }
}

TEST_F(ClientRulesTest, LimitsOfItems52And46) {
  const std::string long_name(257, 'n');
  EXPECT_FALSE(Read(R"({"name":")" + long_name +
                    R"(","description":"","expirationTokenTime":31536001,"defaultTillId":0,"scopes":[]})")
                   .ok());
  EXPECT_TRUE(Names("name"));
  EXPECT_TRUE(Names("expirationTokenTime"));
  EXPECT_FALSE(Read(R"({"name":"a\nb","description":"","expirationTokenTime":1,"defaultTillId":1.5,"scopes":[]})")
                   .ok());
  EXPECT_TRUE(Names("name"));
  EXPECT_TRUE(Names("defaultTillId"));
  std::string scopes;
  for (int i = 0; i < 33; ++i) {
    scopes += std::string(i ? "," : "") + R"({"entityId":2,"permission":"READ","resources":[]})";
  }
  EXPECT_FALSE(Read(R"({"name":"n","description":"","expirationTokenTime":1,"defaultTillId":1,"scopes":[)" +
                    scopes + "]}")
                   .ok());
  EXPECT_TRUE(Names("scopes"));
}

TEST_F(ClientRulesTest, RotationReadsAnOptionalGracePeriod) {
  FieldErrors errors;
  int64_t grace = -1;
  EXPECT_TRUE(ReadRotateRequest("", errors, grace).ok());
  EXPECT_EQ(grace, 0);
  EXPECT_TRUE(ReadRotateRequest("{}", errors, grace).ok());
  EXPECT_EQ(grace, 0);
  EXPECT_TRUE(ReadRotateRequest(R"({"gracePeriodSeconds":2592000})", errors, grace).ok());
  EXPECT_EQ(grace, 2592000);
  EXPECT_FALSE(ReadRotateRequest(R"({"gracePeriodSeconds":2592001})", errors, grace).ok());
}

TEST_F(ClientRulesTest, RotationKeepsOnlyOnePreviousSecret) {
  ClientRecord c;
  c.secret_hash = Sha256("one");
  const Attribution by{"root", "", "", "ROOT_KEY"};
  RotateClientSecret(Sha256("two"), 60, 1'000, by, c);
  EXPECT_TRUE(c.SecretMatches(Sha256("one"), 60'999));
  EXPECT_FALSE(c.SecretMatches(Sha256("one"), 61'000));
  RotateClientSecret(Sha256("three"), 60, 2'000, by, c);
  EXPECT_FALSE(c.SecretMatches(Sha256("one"), 2'000));  // the older secret ends at once
  EXPECT_TRUE(c.SecretMatches(Sha256("two"), 2'000));
  EXPECT_TRUE(c.SecretMatches(Sha256("three"), 2'000));
  EXPECT_EQ(c.last_updated_on_ms, 2'000);
}

TEST_F(ClientRulesTest, NextIdIsOneMoreThanTheClientCount) {
  Store store;
  for (int64_t want = 1; want <= 3; ++want) {
    ASSERT_TRUE(store
                    .Write([&](WriteTxn& txn) {
                      ClientRecord c;
                      c.id = NextClientId(txn.store());
                      EXPECT_EQ(c.id, want);
                      c.client_key = "key" + std::to_string(want);
                      c.org_id = "org";
                      txn.Put(std::move(c));
                      return Status::Ok();
                    })
                    .ok());
  }
}

}  // namespace
}  // namespace ihub
