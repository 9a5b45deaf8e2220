// OAuth endpoints of the real ihubd: token (every error path of RFC 6749 §5.2 and API-DECISIONS
// items 29-34), introspection and revocation (items 38-41), discovery (item 35), throttling,
// rotation grace, deleted clients, expiry through the test clock, and requests shaped the way
// standard OAuth client libraries send them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/e2e/oauth_fixture.h"

namespace ihub::e2e {
namespace {

class OAuthTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    client_a_ = CreateClient(org_);
    ASSERT_EQ(client_a_.key.size(), 25u);
  }
  HttpResult Introspect(std::string_view token, const Headers& auth) {
    return c().Post("/oauth/introspect", "token=" + std::string(token), Form(auth));
  }
  bool Active(std::string_view token) {
    HttpResult r = Introspect(token, Root());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body.find(R"("active":true)") != std::string::npos;
  }
  static std::string ErrorOf(const HttpResult& r) {
    auto e = r.Json()["error"].get_string();
    return e.error() ? "<none: " + r.body + ">" : std::string(e.value());
  }
  ClientCreds client_a_;
};

TEST_F(OAuthTest, IssuesABearerTokenWithNoStoreHeaders) {
  HttpResult r = TokenRequest(client_a_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  EXPECT_EQ(r.Header("pragma"), "no-cache");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  auto j = r.Json();
  const std::string token(j["access_token"].get_string().value());
  EXPECT_EQ(token.size(), 55u);
  EXPECT_EQ(token.substr(0, 5), "ihat_");
  EXPECT_EQ(j["token_type"].get_string().value(), "Bearer");
  EXPECT_EQ(j["expires_in"].get_int64().value(), 600);
  EXPECT_EQ(j["scope"].get_string().value(), "TargetGroups All");
  EXPECT_TRUE(Active(token));
  HttpResult m = c().Get("/metrics");
  EXPECT_NE(m.body.find("ihub_tokens_issued_total 1"), std::string::npos);
}

TEST_F(OAuthTest, AcceptsFormCredentialsAndJsonBodies) {
  HttpResult r = c().Post("/oauth/token",
                          "grant_type=client_credentials&client_id=" + client_a_.key +
                              "&client_secret=" + client_a_.secret,
                          Form());
  EXPECT_EQ(r.status, 200) << r.body;
  r = c().Post("/oauth/token",
               R"({"grant_type":"client_credentials","client_id":")" + client_a_.key +
                   R"(","client_secret":")" + client_a_.secret + R"("})",
               {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 200) << r.body;
  // No Content-Type at all is read as a form (the harness client would add one: send raw bytes).
  const std::string body = "grant_type=client_credentials";
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Write("POST /oauth/token HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                        Basic(client_a_.key, client_a_.secret) + "\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body));
  std::vector<HttpResult> answers = raw.ReadResponses(1);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status, 200) << answers[0].body;
}

TEST_F(OAuthTest, TokenErrorsFollowTheDocumentedOrder) {
  const std::string basic = Basic(client_a_.key, client_a_.secret);
  // One character changed, and always a different one: the secret is random, so a fixed
  // replacement ("x") equalled it whenever it began with that letter (1 run in 62 failed).
  std::string wrong_secret = client_a_.secret;
  wrong_secret[0] = wrong_secret[0] == 'x' ? 'y' : 'x';
  const std::string wrong = Basic(client_a_.key, wrong_secret);
  struct Case {
    std::string body;
    Headers headers;
    int status;
    const char* error;
  };
  const Case cases[] = {
      {"", Form({{"Authorization", basic}}), 400, "invalid_request"},                   // no grant
      {"grant_type=", Form({{"Authorization", basic}}), 400, "invalid_request"},
      {"grant_type=client_credentials", Form(), 401, "invalid_client"},                  // no client
      {"grant_type=client_credentials", Form({{"Authorization", wrong}}), 401, "invalid_client"},
      {"grant_type=password", Form({{"Authorization", wrong}}), 401, "invalid_client"},  // client first
      {"grant_type=password", Form({{"Authorization", basic}}), 400, "unsupported_grant_type"},
      {"grant_type=client_credentials&scope=Transaction", Form({{"Authorization", basic}}), 400,
       "invalid_scope"},  // not held by the client
      {"grant_type=client_credentials&scope=Nope", Form({{"Authorization", basic}}), 400,
       "invalid_scope"},
      {"grant_type=client_credentials&client_secret=" + client_a_.secret,
       Form({{"Authorization", basic}}), 400, "invalid_request"},  // two methods (item 34)
      {"grant_type=client_credentials&grant_type=client_credentials",
       Form({{"Authorization", basic}}), 400, "invalid_request"},  // repeated parameter
      {"grant_type=client_credentials", {{"Authorization", basic}, {"Content-Type", "text/plain"}},
       400, "invalid_request"},
      {R"({"grant_type":1})", {{"Authorization", basic}, {"Content-Type", "application/json"}}, 400,
       "invalid_request"},
      {"grant_type=client_credentials", Form({{"Authorization", "Basic !!notbase64"}}), 401,
       "invalid_client"},
      {"grant_type=client_credentials&client_id=" + client_a_.key, Form(), 401, "invalid_client"},
  };
  for (const Case& k : cases) {
    HttpResult r = c().Post("/oauth/token", k.body, k.headers);
    EXPECT_EQ(r.status, k.status) << k.body << " -> " << r.body;
    EXPECT_EQ(ErrorOf(r), k.error) << k.body;
    EXPECT_EQ(r.Header("cache-control"), "no-store");
    if (k.status == 401) {
      EXPECT_EQ(r.Header("www-authenticate"), R"(Basic realm="ihub")");
    }
    EXPECT_EQ(r.body.find(client_a_.secret), std::string::npos);
  }
  HttpResult m = c().Get("/metrics");
  EXPECT_EQ(m.body.find("ihub_tokens_issued_total 1"), std::string::npos) << "errors issued none";
}

TEST_F(OAuthTest, ScopeNarrowsCaseInsensitively) {
  HttpResult r = TokenRequest(client_a_, "scope=targetgroups");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["scope"].get_string().value(), "TargetGroups");
  r = TokenRequest(client_a_, "scope=ALL+TargetGroups");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["scope"].get_string().value(), "TargetGroups All");
}

TEST_F(OAuthTest, RepeatedFailuresAreThrottledWithRetryAfter) {
  const Headers wrong = Form({{"Authorization", Basic(client_a_.key, "wrong-secret")}});
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(c().Post("/oauth/token", "grant_type=client_credentials", wrong).status, 401);
  }
  HttpResult r = c().Post("/oauth/token", "grant_type=client_credentials", wrong);
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.Header("retry-after"), "30");
  // Locked: even the right secret waits, so guessing cannot go on.
  r = TokenRequest(client_a_);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(ErrorOf(r), "temporarily_unavailable");
  const int retry = std::stoi(r.Header("retry-after"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 30);
  // Another client of the org is not affected.
  ClientCreds other = CreateClient(org_);
  EXPECT_EQ(TokenRequest(other).status, 200);
  AdvanceClock(31);
  EXPECT_EQ(TokenRequest(client_a_).status, 200);
}

TEST_F(OAuthTest, UrlEncodedBasicCredentialsAreDecoded) {
  // Client keys and secrets are alphanumeric, but a conforming client still form-encodes them:
  // an encoded alphanumeric character must decode to itself.
  std::string encoded_key = "%" + std::string("0123456789ABCDEF").substr(client_a_.key[0] >> 4, 1) +
                            std::string("0123456789ABCDEF").substr(client_a_.key[0] & 15, 1) +
                            client_a_.key.substr(1);
  HttpResult r = c().Post("/oauth/token", "grant_type=client_credentials",
                          Form({{"Authorization", "Basic " + Base64Encode(encoded_key + ":" +
                                                                          client_a_.secret)}}));
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(OAuthTest, RotatedOutSecretWorksUntilItsGraceEnds) {
  HttpResult r = c().Post("/v3/integrations/clients/" + client_a_.key + "/secrets/rotate",
                          R"({"gracePeriodSeconds":60})", RootIn(org_));
  ASSERT_EQ(r.status, 200) << r.body;
  const ClientCreds rotated{client_a_.key,
                            std::string(r.Json()["data"]["clientSecret"].get_string().value())};
  EXPECT_EQ(TokenRequest(client_a_).status, 200);
  EXPECT_EQ(TokenRequest(rotated).status, 200);
  AdvanceClock(61);
  EXPECT_EQ(TokenRequest(client_a_).status, 401);
  EXPECT_EQ(TokenRequest(rotated).status, 200);
}

TEST_F(OAuthTest, DeletedClientCannotAuthenticateAndItsTokensDie) {
  const std::string token = IssueToken(client_a_);
  ASSERT_TRUE(Active(token));
  ASSERT_EQ(c().Delete("/v3/integrations/clients/" + client_a_.key, RootIn(org_)).status, 200);
  EXPECT_FALSE(Active(token));
  HttpResult r = TokenRequest(client_a_);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorOf(r), "invalid_client");
}

TEST_F(OAuthTest, IntrospectionAnswersTheDocumentedFields) {
  const std::string token = IssueToken(client_a_, "scope=All");
  HttpResult r = Introspect(token, Root());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  auto j = r.Json();
  EXPECT_TRUE(j["active"].get_bool().value());
  EXPECT_EQ(j["client_id"].get_string().value(), client_a_.key);
  EXPECT_EQ(j["sub"].get_string().value(), client_a_.key);
  EXPECT_EQ(j["scope"].get_string().value(), "All");
  EXPECT_EQ(j["token_type"].get_string().value(), "Bearer");
  EXPECT_EQ(j["org"].get_string().value(), org_);
  EXPECT_EQ(j["exp"].get_int64().value() - j["iat"].get_int64().value(), 600);
  for (std::string_view t : {std::string_view("nope"), std::string_view(""),
                             std::string_view(token).substr(0, 54)}) {
    r = Introspect(t, Root());
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"active":false})");
  }
}

TEST_F(OAuthTest, IntrospectionCallersSeeTheirOwnOrgOnly) {
  const std::string token = IssueToken(client_a_);
  const std::string other_org = CreateOrg("other");
  const ClientCreds foreign_client = CreateClient(other_org);
  const ClientCreds sibling = CreateClient(org_);
  const std::string key_ok = CreateApiKey(org_, R"(["TOKEN.INTROSPECT"])");
  const std::string key_no = CreateApiKey(org_, R"(["CLIENT.READ"])");
  const std::string key_foreign = CreateApiKey(other_org, R"(["TOKEN.INTROSPECT"])");

  EXPECT_TRUE(Introspect(token, {{"X-Api-Key", key_ok}}).body.find(R"("active":true)") !=
              std::string::npos);
  EXPECT_EQ(Introspect(token, {{"X-Api-Key", key_foreign}}).body, R"({"active":false})");
  HttpResult r = Introspect(token, {{"X-Api-Key", key_no}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(ErrorOf(r), "insufficient_scope");
  r = Introspect(token, {{"Authorization", Basic(sibling.key, sibling.secret)}});
  EXPECT_NE(r.body.find(R"("active":true)"), std::string::npos) << r.body;
  r = Introspect(token, {{"Authorization", Basic(foreign_client.key, foreign_client.secret)}});
  EXPECT_EQ(r.body, R"({"active":false})");
  r = c().Post("/oauth/introspect",
               "token=" + token + "&client_id=" + sibling.key + "&client_secret=" + sibling.secret,
               Form());
  EXPECT_NE(r.body.find(R"("active":true)"), std::string::npos) << r.body;
  // No credentials, a bad secret, an access token as the caller, a missing token.
  EXPECT_EQ(Introspect(token, {}).status, 401);
  EXPECT_EQ(Introspect(token, {{"Authorization", Basic(sibling.key, "bad")}}).status, 401);
  r = Introspect(token, {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorOf(r), "invalid_client");
  r = c().Post("/oauth/introspect", "", Form(Root()));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r), "invalid_request");
}

TEST_F(OAuthTest, ExpiredTokensTurnInactiveAtTheirSecond) {
  const std::string token = IssueToken(client_a_);
  AdvanceClock(598);
  EXPECT_TRUE(Active(token));
  AdvanceClock(3);
  EXPECT_FALSE(Active(token));
}

TEST_F(OAuthTest, RevocationFollowsRfc7009) {
  const std::string token = IssueToken(client_a_);
  const ClientCreds sibling = CreateClient(org_);
  const Headers as_sibling = Form({{"Authorization", Basic(sibling.key, sibling.secret)}});
  const Headers as_owner = Form({{"Authorization", Basic(client_a_.key, client_a_.secret)}});
  // Another client's revocation is a silent no-op.
  HttpResult r = c().Post("/oauth/revoke", "token=" + token + "&token_type_hint=access_token",
                          as_sibling);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(Active(token));
  // Unknown and malformed tokens answer 200 too; a missing token is invalid_request.
  EXPECT_EQ(c().Post("/oauth/revoke", "token=ihat_nope", as_owner).status, 200);
  r = c().Post("/oauth/revoke", "", as_owner);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r), "invalid_request");
  EXPECT_EQ(c().Post("/oauth/revoke", "token=" + token, Form()).status, 401);
  // The owner revokes: 200 with an empty body, and the token is inactive at once.
  r = c().Post("/oauth/revoke", "token=" + token, as_owner);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(Active(token));
  EXPECT_EQ(c().Post("/oauth/revoke", "token=" + token, as_owner).status, 200);  // idempotent
  // An org key revokes any token of its org, and none of another org.
  const std::string second = IssueToken(sibling);
  const std::string foreign_key = CreateApiKey(CreateOrg("o2"), R"(["TOKEN.INTROSPECT"])");
  EXPECT_EQ(c().Post("/oauth/revoke", "token=" + second, Form({{"X-Api-Key", foreign_key}})).status,
            200);
  EXPECT_TRUE(Active(second));
  const std::string own_key = CreateApiKey(org_, R"(["TOKEN.INTROSPECT"])");
  EXPECT_EQ(c().Post("/oauth/revoke", "token=" + second, Form({{"X-Api-Key", own_key}})).status, 200);
  EXPECT_FALSE(Active(second));
}

TEST_F(OAuthTest, RevokedTokenStaysRevokedAfterRestart) {
  const std::string token = IssueToken(client_a_);
  const std::string live = IssueToken(client_a_);
  ASSERT_EQ(c().Post("/oauth/revoke", "token=" + token, Form(Root())).status, 200);
  ASSERT_TRUE(Restart()) << server_.Logs();
  EXPECT_FALSE(Active(token));
  EXPECT_TRUE(Active(live));
}

TEST_F(OAuthTest, DiscoveryDocumentNamesTheEndpoints) {
  HttpResult r = c().Get("/.well-known/oauth-authorization-server");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  const std::string issuer(j["issuer"].get_string().value());
  EXPECT_EQ(issuer, "http://127.0.0.1:" + std::to_string(server_.port()));
  EXPECT_EQ(j["token_endpoint"].get_string().value(), issuer + "/oauth/token");
  EXPECT_EQ(j["introspection_endpoint"].get_string().value(), issuer + "/oauth/introspect");
  EXPECT_EQ(j["revocation_endpoint"].get_string().value(), issuer + "/oauth/revoke");
  EXPECT_NE(r.body.find(R"("grant_types_supported":["client_credentials"])"), std::string::npos);
  EXPECT_NE(r.body.find(R"("token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"])"),
            std::string::npos);
  EXPECT_NE(r.body.find(R"("response_types_supported":[])"), std::string::npos);
  EXPECT_NE(r.body.find(R"("scopes_supported":["TargetGroups","All","Transaction"])"),
            std::string::npos);
}

// What standard libraries send. golang.org/x/oauth2/clientcredentials (AuthStyleInHeader):
// Basic with url.QueryEscape'd id and secret, a form body with grant_type and scope.
// requests-oauthlib (BackendApplicationClient + fetch_token(auth=HTTPBasicAuth)): Basic, Accept:
// application/json, Content-Type with a charset, and (older versions) client_id in the body too.
TEST_F(OAuthTest, StandardClientLibraryRequestsWork) {
  HttpResult r = c().Post(
      "/oauth/token", "grant_type=client_credentials&scope=All",
      {{"Authorization", Basic(client_a_.key, client_a_.secret)},
       {"Content-Type", "application/x-www-form-urlencoded"},
       {"User-Agent", "Go-http-client/1.1"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string token(r.Json()["access_token"].get_string().value());
  r = c().Post("/oauth/token", "grant_type=client_credentials&client_id=" + client_a_.key,
               {{"Authorization", Basic(client_a_.key, client_a_.secret)},
                {"Accept", "application/json"},
                {"Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"}});
  ASSERT_EQ(r.status, 200) << r.body;
  // Introspect and revoke as RFC 7662/7009 clients do (client_secret_basic).
  const Headers basic = {{"Authorization", Basic(client_a_.key, client_a_.secret)},
                         {"Accept", "application/json"},
                         {"Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"}};
  r = c().Post("/oauth/introspect", "token=" + token + "&token_type_hint=access_token", basic);
  EXPECT_NE(r.body.find(R"("active":true)"), std::string::npos) << r.body;
  EXPECT_EQ(c().Post("/oauth/revoke", "token=" + token + "&token_type_hint=access_token", basic).status,
            200);
  r = c().Post("/oauth/introspect", "token=" + token, basic);
  EXPECT_EQ(r.body, R"({"active":false})");
}

}  // namespace
}  // namespace ihub::e2e
