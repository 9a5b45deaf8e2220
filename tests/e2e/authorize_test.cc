// POST /v1/authorize on the real ihubd (API.md §3, API-DECISIONS items 42-45): every reason and
// their precedence, caller authentication and visibility, malformed fields, live scope changes,
// the decision metric; and Bearer access tokens on ihub's own APIs (items 21, 22).
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/oauth_fixture.h"

namespace ihub::e2e {
namespace {

class AuthorizeTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    client_ = CreateClient(org_);
    token_ = IssueToken(client_);
    ASSERT_FALSE(token_.empty());
  }
  HttpResult Ask(std::string_view token, std::string_view method, std::string_view path,
                 const Headers& auth) {
    return c().Post("/v1/authorize",
                    R"({"token":")" + std::string(token) + R"(","method":")" +
                        std::string(method) + R"(","path":")" + std::string(path) + R"("})",
                    auth);
  }
  // The reason, checking the shape of a 200 answer.
  std::string Reason(std::string_view token, std::string_view method, std::string_view path,
                     const Headers& auth) {
    HttpResult r = Ask(token, method, path, auth);
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = r.Json();
    const std::string reason(j["reason"].get_string().value());
    EXPECT_EQ(j["allow"].get_bool().value(), reason == "VALID") << r.body;
    if (reason == "NOT_FOUND") {
      EXPECT_TRUE(j["clientId"].is_null()) << r.body;
      EXPECT_TRUE(j["orgId"].is_null()) << r.body;
    } else {
      EXPECT_EQ(j["clientId"].get_string().value(), client_.key) << r.body;
      EXPECT_EQ(j["orgId"].get_string().value(), org_) << r.body;
    }
    return reason;
  }
  ClientCreds client_;
  std::string token_;
};

TEST_F(AuthorizeTest, ScopesDecideByMethodAndPath) {
  // Seed client: TargetGroups READWRITE on .*v3/targetGroups.*, All WRITE on every path.
  EXPECT_EQ(Reason(token_, "GET", "/v3/targetGroups/12", Root()), "VALID");
  EXPECT_EQ(Reason(token_, "get", "/v3/targetGroups/12?x=1", Root()), "VALID");  // case, query
  EXPECT_EQ(Reason(token_, "POST", "/anything/at/all", Root()), "VALID");        // All WRITE
  EXPECT_EQ(Reason(token_, "DELETE", "/v1.1/transaction/9", Root()), "VALID");
  EXPECT_EQ(Reason(token_, "GET", "/v1.1/transaction/9", Root()), "FORBIDDEN");
  EXPECT_EQ(Reason(token_, "HEAD", "/v2/other", Root()), "FORBIDDEN");
  EXPECT_EQ(Reason(token_, "OPTIONS", "/v3/targetGroups", Root()), "FORBIDDEN");
  // The query string is stripped before matching, so it cannot smuggle a match in.
  EXPECT_EQ(Reason(token_, "GET", "/x?v3/targetGroups", Root()), "FORBIDDEN");
}

TEST_F(AuthorizeTest, TokenNarrowedToOneEntityUsesOnlyThatEntity) {
  const std::string narrow = IssueToken(client_, "scope=TargetGroups");
  EXPECT_EQ(Reason(narrow, "GET", "/v3/targetGroups", Root()), "VALID");
  EXPECT_EQ(Reason(narrow, "POST", "/anything", Root()), "FORBIDDEN");
}

TEST_F(AuthorizeTest, ScopeChangesApplyToExistingTokens) {
  EXPECT_EQ(Reason(token_, "POST", "/anything", Root()), "VALID");
  HttpResult r = c().Put("/v3/integrations/clients/" + client_.key,
                         R"({"name":"NewName3","description":"d","expirationTokenTime":600,
                             "defaultTillId":1,"scopes":[{"entityId":1,"permission":"READ",
                             "resources":[".*v3/targetGroups.*"]}]})",
                         RootIn(org_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Reason(token_, "POST", "/anything", Root()), "FORBIDDEN");
  EXPECT_EQ(Reason(token_, "GET", "/v3/targetGroups", Root()), "VALID");
}

TEST_F(AuthorizeTest, ReasonsFollowTheirPrecedence) {
  EXPECT_EQ(Reason("garbage", "GET", "/", Root()), "NOT_FOUND");
  EXPECT_EQ(Reason(token_.substr(0, 54) + (token_[54] == 'a' ? "b" : "a"), "GET", "/", Root()),
            "NOT_FOUND");
  const std::string revoked = IssueToken(client_);
  ASSERT_EQ(c().Post("/oauth/revoke", "token=" + revoked, Form(Root())).status, 200);
  EXPECT_EQ(Reason(revoked, "POST", "/x", Root()), "REVOKED");
  AdvanceClock(600);
  EXPECT_EQ(Reason(token_, "POST", "/x", Root()), "EXPIRED");
  EXPECT_EQ(Reason(revoked, "POST", "/x", Root()), "REVOKED");  // REVOKED > EXPIRED
  ASSERT_EQ(c().Delete("/v3/integrations/clients/" + client_.key, RootIn(org_)).status, 200);
  EXPECT_EQ(Reason(revoked, "POST", "/x", Root()), "CLIENT_DISABLED");  // > REVOKED
  EXPECT_EQ(Reason(token_, "POST", "/x", Root()), "CLIENT_DISABLED");
  HttpResult m = c().Get("/metrics");
  EXPECT_NE(m.body.find(R"(ihub_authorize_decisions_total{reason="CLIENT_DISABLED"} 2)"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find(R"(ihub_authorize_decisions_total{reason="NOT_FOUND"} 2)"),
            std::string::npos);
}

TEST_F(AuthorizeTest, CallersSeeTheirOwnOrgOnly) {
  const std::string other_org = CreateOrg("other");
  const ClientCreds foreign = CreateClient(other_org);
  const ClientCreds sibling = CreateClient(org_);
  EXPECT_EQ(Reason(token_, "POST", "/x", {{"X-Api-Key", CreateApiKey(org_, R"(["TOKEN.INTROSPECT"])")}}),
            "VALID");
  EXPECT_EQ(Reason(token_, "POST", "/x",
                   {{"X-Api-Key", CreateApiKey(other_org, R"(["TOKEN.INTROSPECT"])")}}),
            "NOT_FOUND");
  EXPECT_EQ(Reason(token_, "POST", "/x", {{"Authorization", Basic(sibling.key, sibling.secret)}}),
            "VALID");
  EXPECT_EQ(Reason(token_, "POST", "/x", {{"Authorization", Basic(foreign.key, foreign.secret)}}),
            "NOT_FOUND");
  // Client credentials as JSON members.
  HttpResult r = c().Post("/v1/authorize",
                          R"({"token":")" + token_ + R"(","method":"POST","path":"/x","client_id":")" +
                              sibling.key + R"(","client_secret":")" + sibling.secret + R"("})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("reason":"VALID")"), std::string::npos);
}

TEST_F(AuthorizeTest, CallerAndFieldErrorsAreProblems) {
  HttpResult r = Ask(token_, "GET", "/", {});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  r = Ask(token_, "GET", "/", {{"Authorization", "Bearer " + token_}});  // not a caller credential
  EXPECT_EQ(r.status, 401);
  r = Ask(token_, "GET", "/", {{"X-Api-Key", CreateApiKey(org_, R"(["CLIENT.READ"])")}});
  EXPECT_EQ(r.status, 403);
  r = Ask(token_, "GET", "/", {{"Authorization", Basic(client_.key, "wrong")}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Ask(token_, "BREW", "/", Root()).status, 400);
  EXPECT_EQ(Ask(token_, "GET", "no-slash", Root()).status, 400);
  EXPECT_EQ(Ask(token_, "GET", "/" + std::string(4096, 'a'), Root()).status, 400);
  r = c().Post("/v1/authorize", R"({"token":")" + token_ + R"(","path":"/"})", Root());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"("field":"method")"), std::string::npos) << r.body;
  r = c().Post("/v1/authorize", R"({"token":1,"method":"GET","path":"/"})", Root());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(c().Post("/v1/authorize", "not json", Root()).status, 400);
  EXPECT_EQ(r.body.find(token_), std::string::npos);
}

TEST_F(AuthorizeTest, BearerTokensCallIhubsOwnApisWithinTheirScopes) {
  // An All READWRITE client may list clients; the seed client (All WRITE only) may not read.
  const ClientCreds admin = CreateClient(org_, R"({"description":"d","name":"rw",
      "expirationTokenTime":600,"defaultTillId":1,
      "scopes":[{"entityId":2,"permission":"READWRITE","resources":[]}]})");
  const std::string rw = IssueToken(admin);
  HttpResult r = c().Get("/v3/integrations/clients", {{"Authorization", "Bearer " + rw}});
  EXPECT_EQ(r.status, 200) << r.body;
  r = c().Get("/v3/integrations/clients", {{"Authorization", "Bearer " + token_}});
  EXPECT_EQ(r.status, 403) << r.body;
  // Admin endpoints stay root-only (item 21).
  r = c().Get("/admin/v1/orgs", {{"Authorization", "Bearer " + rw}});
  EXPECT_EQ(r.status, 403) << r.body;
  // Revoked, expired and malformed tokens are 401.
  ASSERT_EQ(c().Post("/oauth/revoke", "token=" + rw, Form(Root())).status, 200);
  EXPECT_EQ(c().Get("/v3/integrations/clients", {{"Authorization", "Bearer " + rw}}).status, 401);
  EXPECT_EQ(c().Get("/v3/integrations/clients", {{"Authorization", "Bearer ihat_x"}}).status, 401);
}

}  // namespace
}  // namespace ihub::e2e
