// Centrapay managed integrations against the real ihubd: the seed's example request verbatim and
// its answer field by field, every error path, idempotency, the invitation life cycle, tenant
// isolation and a restart (API.md §4; API-DECISIONS items 85-100).
#include <gtest/gtest.h>

#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/e2e_harness.h"
#include "tests/store/centrapay_seed.h"

namespace ihub::e2e {
namespace {

using centrapay_seed::kExampleBody;
using centrapay_seed::kExampleParams;
using centrapay_seed::kExamplePath;
constexpr std::string_view kList = "/api/managed-integrations";
constexpr int64_t kInvitationLifetimeSeconds = 48 * 3600;

std::string Str(simdjson::dom::element e) {
  std::string_view s;
  return e.get_string().get(s) == simdjson::SUCCESS ? std::string(s)
                                                    : std::string("<not a string>");
}
bool Matches(const std::string& s, const char* re) { return std::regex_match(s, std::regex(re)); }
constexpr const char* kIsoTime = R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)";

class CentrapayTest : public ::testing::Test {
 protected:
  static TestServerOptions Options() {
    TestServerOptions options;
    options.env = {{"IHUB_TEST_CLOCK", "1"}};
    return options;
  }

  void SetUp() override {
    ASSERT_TRUE(server_.ok()) << server_.Logs();
    org_a_ = CreateOrg("acme");
    org_b_ = CreateOrg("globex");
    writer_a_ = CreateKey(org_a_, "MyApiKey",
                          R"(["MANAGED_INTEGRATION.READ","MANAGED_INTEGRATION.WRITE"])");
    reader_a_ = CreateKey(org_a_, "reader", R"(["MANAGED_INTEGRATION.READ"])");
    other_a_ = CreateKey(org_a_, "clients", R"(["CLIENT.READ","CLIENT.WRITE"])");
    writer_b_ = CreateKey(org_b_, "MyApiKey",
                          R"(["MANAGED_INTEGRATION.READ","MANAGED_INTEGRATION.WRITE"])");
  }

  Headers Root() const { return {{"X-Api-Key", server_.root_key()}}; }
  static Headers Key(const std::string& key) { return {{"X-Api-Key", key}}; }

  std::string CreateOrg(const std::string& name) {
    HttpResult r = client_->Post("/admin/v1/orgs", R"({"name":")" + name + "\"}", Root());
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.Json()["id"]);
  }
  std::string CreateKey(const std::string& org, const std::string& name,
                        const std::string& permissions) {
    HttpResult r =
        client_->Post("/admin/v1/orgs/" + org + "/api-keys",
                      R"({"name":")" + name + R"(","permissions":)" + permissions + "}", Root());
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.Json()["key"]);
  }
  HttpResult CreateSeed(const std::string& key) {
    HttpResult r = client_->Post(kExamplePath, kExampleBody, Key(key));
    EXPECT_EQ(r.status, 200) << r.body;
    return r;
  }
  HttpResult Accept(const std::string& code, std::string_view body, const Headers& h = {}) {
    return client_->Post("/api/invitations/" + code + "/accept", body, h);
  }
  bool AdvanceClock(int64_t seconds) {
    HttpResult r = client_->Post("/admin/v1/test/clock",
                                 R"({"advanceSeconds":)" + std::to_string(seconds) + "}", Root());
    return r.status == 200;
  }
  // Expects a Centrapay error with `status` and `code`; returns its details' fields.
  static std::vector<std::string> ExpectError(const HttpResult& r, int status,
                                              std::string_view code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_EQ(Str(r.Json()["message"]), code) << r.body;
    EXPECT_FALSE(Str(r.Json()["description"]).empty()) << r.body;
    std::vector<std::string> fields;
    simdjson::dom::array details;
    if (r.Json()["details"].get_array().get(details) == simdjson::SUCCESS) {
      for (simdjson::dom::element d : details) {
        fields.push_back(Str(d["field"]));
        EXPECT_FALSE(Str(d["message"]).empty());
      }
    }
    return fields;
  }
  size_t ItemCount(const std::string& query, const std::string& key) {
    HttpResult r = client_->Get(std::string(kList) + query, Key(key));
    EXPECT_EQ(r.status, 200) << r.body;
    simdjson::dom::array items;
    return r.Json()["items"].get_array().get(items) == simdjson::SUCCESS ? items.size() : 9999;
  }

  TestServer server_{Options()};
  // Re-made after a restart (the port changes); HttpClient is movable but not assignable.
  std::optional<HttpClient> client_{server_.Client()};
  std::string org_a_, org_b_, writer_a_, reader_a_, other_a_, writer_b_;
};

TEST_F(CentrapayTest, SeedExampleAnswersTheSeedResponseFieldByField) {
  HttpResult r = CreateSeed(writer_a_);
  EXPECT_EQ(r.Header("content-type"), "application/json");
  simdjson::dom::element d = r.Json();
  EXPECT_TRUE(Matches(Str(d["id"]), "[0-9a-f]{24}")) << r.body;  // the seed's id shape
  EXPECT_EQ(Str(d["type"]), "kete-enrolment");
  EXPECT_EQ(Str(d["externalId"]), "DKTs3U38hdhfEqwF1JKoT2");
  EXPECT_EQ(d["active"].get_bool().value(), true);  // a boolean (item 90)
  EXPECT_EQ(simdjson::minify(d["params"]), kExampleParams);
  simdjson::dom::element inv = d["invitation"];
  EXPECT_TRUE(Matches(Str(inv["id"]), "[A-Za-z0-9]{25}")) << r.body;
  EXPECT_TRUE(Matches(Str(inv["code"]), "[A-Za-z0-9]{22}")) << r.body;
  // <issuer>/<type>/<externalId>/<id>, the seed's URL pattern (item 93).
  EXPECT_TRUE(Matches(Str(inv["url"]), R"(http://127\.0\.0\.1:\d+/kete-enrolment/)"
                                       R"(DKTs3U38hdhfEqwF1JKoT2/[0-9a-f]{24})"))
      << Str(inv["url"]);
  EXPECT_TRUE(Str(inv["url"]).ends_with("/" + Str(d["id"])));
  EXPECT_TRUE(Matches(Str(inv["expiresAt"]), kIsoTime));
  EXPECT_EQ(Str(d["status"]), "pending");  // unclaimed (item 91)
  EXPECT_TRUE(d["claimedByAccountId"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_TRUE(Matches(Str(d["createdAt"]), kIsoTime));
  EXPECT_EQ(Str(d["createdAt"]), Str(d["updatedAt"]));
  EXPECT_GT(Str(inv["expiresAt"]), Str(d["createdAt"]));
  EXPECT_EQ(Str(d["createdBy"]), "crn:" + org_a_ + ":api-key:MyApiKey");
  EXPECT_EQ(Str(d["updatedBy"]), "crn:" + org_a_ + ":api-key:MyApiKey");
  // The seed's fields, in the seed's order.
  std::vector<std::string> keys;
  // The object is named: ranging over get_object().value() would iterate a destroyed temporary.
  simdjson::dom::object d_fields = d.get_object().value();
  for (auto field : d_fields) keys.emplace_back(field.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "type", "externalId", "active", "params",
                                            "invitation", "status", "createdAt", "createdBy",
                                            "updatedAt", "updatedBy"}));

  // Claimed, it gains the seed's claim fields and its status (the seed shows "active").
  HttpResult accepted = Accept(Str(inv["code"]), R"({"accountId":"Jaim1Cu1Q55uooxSens6yk"})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  simdjson::dom::element c = accepted.Json();
  EXPECT_EQ(Str(c["status"]), "active");
  EXPECT_EQ(Str(c["claimedByAccountId"]), "Jaim1Cu1Q55uooxSens6yk");
  EXPECT_EQ(Str(c["claimedBy"]), "crn:Jaim1Cu1Q55uooxSens6yk:invitation:" + Str(inv["id"]));
  EXPECT_TRUE(Matches(Str(c["claimedAt"]), kIsoTime));
  EXPECT_EQ(Str(c["updatedAt"]), Str(c["claimedAt"]));
  EXPECT_EQ(Str(c["updatedBy"]), Str(c["claimedBy"]));
  EXPECT_EQ(Str(c["createdBy"]), "crn:" + org_a_ + ":api-key:MyApiKey");
  keys.clear();
  simdjson::dom::object c_fields = c.get_object().value();
  for (auto field : c_fields) keys.emplace_back(field.key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"id", "type", "externalId", "active", "params", "invitation",
                                      "status", "claimedByAccountId", "claimedBy", "claimedAt",
                                      "createdAt", "createdBy", "updatedAt", "updatedBy"}));
  HttpResult got = client_->Get(std::string(kList) + "/" + Str(d["id"]), Key(reader_a_));
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, accepted.body);
}

TEST_F(CentrapayTest, UpsertIsIdempotentAndUpdatesInPlace) {
  HttpResult first = CreateSeed(writer_a_);
  HttpResult again = CreateSeed(writer_a_);
  EXPECT_EQ(again.body, first.body);  // the same request changes nothing
  EXPECT_EQ(ItemCount("", reader_a_), 1u);
  HttpResult updated = client_->Post(
      kExamplePath,
      R"({"active":false,"params":{"bankAccounts":["12-3456-1234567-001","06-0384-947723945-00"],)"
      R"("givenName":"Jane","familyName":"Doe","email":"jane@doe.com","phoneNumber":"+6421234567",)"
      R"("unknownKey":"dropped"}})",
      Key(writer_a_));
  ASSERT_EQ(updated.status, 200) << updated.body;
  simdjson::dom::element u = updated.Json();
  EXPECT_EQ(Str(u["id"]), Str(first.Json()["id"]));
  EXPECT_EQ(u["active"].get_bool().value(), false);
  EXPECT_EQ(Str(u["status"]), "pending");
  EXPECT_EQ(Str(u["params"]["givenName"]), "Jane");
  EXPECT_EQ(updated.body.find("unknownKey"), std::string::npos);
  EXPECT_EQ(simdjson::minify(u["invitation"]), simdjson::minify(first.Json()["invitation"]));
  EXPECT_EQ(Str(u["createdAt"]), Str(first.Json()["createdAt"]));
  EXPECT_EQ(ItemCount("", reader_a_), 1u);
  // Another externalId is another record; the same externalId in org B is B's own.
  EXPECT_EQ(
      client_->Post(std::string(kList) + "/kete-enrolment/other%2Fid", kExampleBody, Key(writer_a_))
          .status,
      200);
  HttpResult in_b = CreateSeed(writer_b_);
  EXPECT_NE(Str(in_b.Json()["id"]), Str(first.Json()["id"]));
  EXPECT_EQ(ItemCount("", reader_a_), 2u);
  EXPECT_EQ(ItemCount("", writer_b_), 1u);
}

TEST_F(CentrapayTest, InvalidParamsNameEachField) {
  HttpResult r = client_->Post(
      kExamplePath,
      R"({"active":"maybe","params":{"bankAccounts":["06-0384-947723945-00","06-0384-12-00"],)"
      R"("givenName":"","familyName":"Doe","email":"john@","phoneNumber":"+1555123456"}})",
      Key(writer_a_));
  EXPECT_EQ(ExpectError(r, 400, "INVALID_PARAMS"),
            (std::vector<std::string>{"active", "params.bankAccounts[1]", "params.givenName",
                                      "params.email", "params.phoneNumber"}));
  EXPECT_EQ(r.body.find("john@"), std::string::npos);  // values are never echoed
  EXPECT_EQ(
      ExpectError(client_->Post(kExamplePath, R"({"active":true,"params":{}})", Key(writer_a_)),
                  400, "INVALID_PARAMS"),
      (std::vector<std::string>{"params.bankAccounts", "params.givenName", "params.familyName",
                                "params.email", "params.phoneNumber"}));
  EXPECT_EQ(ExpectError(client_->Post(kExamplePath, "{}", Key(writer_a_)), 400, "INVALID_PARAMS"),
            (std::vector<std::string>{"active", "params"}));
  EXPECT_EQ(ExpectError(client_->Post(kExamplePath, R"({"active":tru)", Key(writer_a_)), 400,
                        "MALFORMED_JSON"),
            std::vector<std::string>{""});
  // Unknown {type} is a 400 naming the path field (item 86), together with the body's errors.
  EXPECT_EQ(ExpectError(client_->Post(std::string(kList) + "/kete/x", kExampleBody, Key(writer_a_)),
                        400, "INVALID_PARAMS"),
            std::vector<std::string>{"type"});
  EXPECT_EQ(
      ExpectError(client_->Post(std::string(kList) + "/nope/x", R"({"params":{}})", Key(writer_a_)),
                  400, "INVALID_PARAMS"),
      (std::vector<std::string>{"type", "active"}));
  EXPECT_EQ(ExpectError(client_->Post(std::string(kList) + "/kete-enrolment/a%0Ab", kExampleBody,
                                      Key(writer_a_)),
                        400, "INVALID_PARAMS"),
            std::vector<std::string>{"externalId"});
  EXPECT_EQ(
      ExpectError(client_->Post(std::string(kList) + "/kete-enrolment/" + std::string(257, 'x'),
                                kExampleBody, Key(writer_a_)),
                  400, "INVALID_PARAMS"),
      std::vector<std::string>{"externalId"});
  EXPECT_EQ(ItemCount("", reader_a_), 0u);  // nothing was stored
}

TEST_F(CentrapayTest, CredentialsPermissionsAndPlatformId) {
  EXPECT_EQ(ExpectError(client_->Post(kExamplePath, kExampleBody), 401, "UNAUTHORIZED"),
            std::vector<std::string>{});
  HttpResult bad = client_->Get(kList, Key("ihk_0000000000000000000000000000000000000000"));
  ExpectError(bad, 401, "UNAUTHORIZED");
  EXPECT_FALSE(bad.Header("www-authenticate").empty());
  ExpectError(client_->Post(kExamplePath, kExampleBody, Key(reader_a_)), 403, "FORBIDDEN");
  ExpectError(client_->Get(kList, Key(other_a_)), 403, "FORBIDDEN");
  ExpectError(client_->Delete(std::string(kList) + "/0123456789abcdef01234567", Key(reader_a_)),
              403, "FORBIDDEN");
  // x-platform-id: another org's for an org key is 403; the root key must name one (item 19-20).
  Headers foreign = Key(writer_a_);
  foreign.emplace_back("x-platform-id", org_b_);
  ExpectError(client_->Get(kList, foreign), 403, "FORBIDDEN");
  ExpectError(client_->Get(kList, Root()), 400, "INVALID_PARAMS");
  Headers root_in_a = Root();
  root_in_a.emplace_back("x-platform-id", org_a_);
  HttpResult by_root = client_->Post(kExamplePath, kExampleBody, root_in_a);
  ASSERT_EQ(by_root.status, 200) << by_root.body;
  EXPECT_EQ(Str(by_root.Json()["createdBy"]), "crn:" + org_a_ + ":root-key:root");
  EXPECT_EQ(ItemCount("", reader_a_), 1u);
}

TEST_F(CentrapayTest, AnotherOrgsIntegrationIsNotFound) {
  const std::string id = Str(CreateSeed(writer_a_).Json()["id"]);
  const std::string path = std::string(kList) + "/" + id;
  ExpectError(client_->Get(path, Key(writer_b_)), 404, "NOT_FOUND");
  ExpectError(client_->Delete(path, Key(writer_b_)), 404, "NOT_FOUND");
  ExpectError(client_->Get(std::string(kList) + "/0123456789abcdef01234567", Key(writer_a_)), 404,
              "NOT_FOUND");
  EXPECT_EQ(ItemCount("", writer_b_), 0u);
  EXPECT_EQ(client_->Get(path, Key(writer_a_)).status, 200);  // B's DELETE changed nothing
  EXPECT_EQ(Str(client_->Get(path, Key(writer_a_)).Json()["status"]), "pending");
}

TEST_F(CentrapayTest, DeleteArchivesAndAnArchivedRecordIsFinal) {
  HttpResult created = CreateSeed(writer_a_);
  const std::string id = Str(created.Json()["id"]);
  const std::string code = Str(created.Json()["invitation"]["code"]);
  HttpResult deleted = client_->Delete(std::string(kList) + "/" + id, Key(writer_a_));
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Str(deleted.Json()["status"]), "archived");
  HttpResult again = client_->Delete(std::string(kList) + "/" + id, Key(writer_a_));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, deleted.body);
  ExpectError(client_->Post(kExamplePath, kExampleBody, Key(writer_a_)), 409,
              "MANAGED_INTEGRATION_ARCHIVED");
  ExpectError(Accept(code, R"({"accountId":"acct"})"), 410, "INVITATION_EXPIRED");
  // Still readable and listed (item 97).
  EXPECT_EQ(Str(client_->Get(std::string(kList) + "/" + id, Key(reader_a_)).Json()["status"]),
            "archived");
  EXPECT_EQ(ItemCount("?status=archived", reader_a_), 1u);
}

TEST_F(CentrapayTest, ListFiltersByTypeAndStatus) {
  const std::string code = Str(CreateSeed(writer_a_).Json()["invitation"]["code"]);
  ASSERT_EQ(
      client_->Post(std::string(kList) + "/kete-enrolment/second", kExampleBody, Key(writer_a_))
          .status,
      200);
  ASSERT_EQ(Accept(code, R"({"accountId":"acct"})").status, 200);
  EXPECT_EQ(ItemCount("", reader_a_), 2u);
  EXPECT_EQ(ItemCount("?type=kete-enrolment", reader_a_), 2u);
  EXPECT_EQ(ItemCount("?status=pending", reader_a_), 1u);
  EXPECT_EQ(ItemCount("?status=active", reader_a_), 1u);
  EXPECT_EQ(ItemCount("?type=kete-enrolment&status=inactive", reader_a_), 0u);
  HttpResult list = client_->Get(std::string(kList) + "?status=active", Key(reader_a_));
  EXPECT_EQ(Str(list.Json()["items"].at(0)["claimedByAccountId"]), "acct");
  EXPECT_EQ(
      ExpectError(client_->Get(std::string(kList) + "?type=nope&status=ACTIVE", Key(reader_a_)),
                  400, "INVALID_PARAMS"),
      (std::vector<std::string>{"type", "status"}));
}

TEST_F(CentrapayTest, InvitationErrorsFollowItem95) {
  const std::string code = Str(CreateSeed(writer_a_).Json()["invitation"]["code"]);
  ExpectError(Accept("AAAAAAAAAAAAAAAAAAAAAA", R"({"accountId":"acct"})"), 404, "NOT_FOUND");
  ExpectError(Accept("not-a-code", R"({"accountId":"acct"})"), 404, "NOT_FOUND");
  EXPECT_EQ(ExpectError(Accept(code, R"({"accountId":"bad id!"})"), 400, "INVALID_PARAMS"),
            std::vector<std::string>{"accountId"});
  EXPECT_EQ(ExpectError(Accept(code, "{}"), 400, "INVALID_PARAMS"),
            std::vector<std::string>{"accountId"});
  // No credential is needed; one sent is ignored, even another org's or a bad one.
  HttpResult ok = Accept(code, R"({"accountId":"acct_1"})",
                         Key("ihk_0000000000000000000000000000000000000000"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  ExpectError(Accept(code, R"({"accountId":"acct_2"})"), 409, "INVITATION_ALREADY_ACCEPTED");
  ExpectError(Accept(code, "not json"), 409, "INVITATION_ALREADY_ACCEPTED");  // state first
  // The code, a credential, never reaches the log: the request log names the route template.
  EXPECT_TRUE(server_.WaitForLog("/api/invitations/{code}/accept")) << server_.Logs();
  EXPECT_EQ(server_.Logs().find(code), std::string::npos);
}

TEST_F(CentrapayTest, AcceptingAnInactiveIntegrationMakesItInactive) {
  HttpResult created = client_->Post(
      kExamplePath,
      std::string(kExampleBody).replace(kExampleBody.find("\"true\""), 6, "\"false\""),
      Key(writer_a_));
  ASSERT_EQ(created.status, 200) << created.body;
  HttpResult accepted =
      Accept(Str(created.Json()["invitation"]["code"]), R"({"accountId":"acct"})");
  EXPECT_EQ(Str(accepted.Json()["status"]), "inactive");
  // Claimed, status follows `active` on update (item 91).
  HttpResult updated = CreateSeed(writer_a_);
  EXPECT_EQ(Str(updated.Json()["status"]), "active");
  EXPECT_EQ(Str(updated.Json()["claimedByAccountId"]), "acct");
}

TEST_F(CentrapayTest, AnExpiredInvitationIsGone) {
  const std::string code = Str(CreateSeed(writer_a_).Json()["invitation"]["code"]);
  if (!AdvanceClock(kInvitationLifetimeSeconds - 60)) GTEST_SKIP() << "no test clock";
  const std::string second =
      Str(client_->Post(std::string(kList) + "/kete-enrolment/later", kExampleBody, Key(writer_a_))
              .Json()["invitation"]["code"]);
  ASSERT_TRUE(AdvanceClock(60));
  ExpectError(Accept(code, R"({"accountId":"acct"})"), 410, "INVITATION_EXPIRED");
  ExpectError(Accept(code, R"({"accountId":"bad id"})"), 410, "INVITATION_EXPIRED");
  EXPECT_EQ(Accept(second, R"({"accountId":"acct"})").status, 200);  // 47h59m old: still valid
}

TEST_F(CentrapayTest, BearerTokensNeedAScopeForThePath) {
  HttpResult created = client_->Post(
      "/v3/integrations/clients",
      R"({"name":"gw","description":"","expirationTokenTime":600,"defaultTillId":1,)"
      R"("scopes":[{"entityId":2,"permission":"READ","resources":[".*/api/managed-integrations.*"]}]})",
      Key(other_a_));
  if (created.status == 404) GTEST_SKIP() << "Capillary clients are not served";
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string key = Str(created.Json()["data"]["clientKey"]);
  const std::string secret = Str(created.Json()["data"]["clientSecret"]);
  HttpResult token = client_->Post(
      "/oauth/token", "grant_type=client_credentials&client_id=" + key + "&client_secret=" + secret,
      {{"Content-Type", "application/x-www-form-urlencoded"}});
  if (token.status == 404) GTEST_SKIP() << "/oauth/token is not served";
  ASSERT_EQ(token.status, 200) << token.body;
  const Headers bearer = {{"Authorization", "Bearer " + Str(token.Json()["access_token"])}};
  CreateSeed(writer_a_);
  EXPECT_EQ(client_->Get(kList, bearer).status, 200);
  EXPECT_EQ(ItemCount("", reader_a_), 1u);
  ExpectError(client_->Post(kExamplePath, kExampleBody, bearer), 403, "FORBIDDEN");
}

TEST_F(CentrapayTest, IntegrationAndInvitationSurviveARestart) {
  HttpResult created = CreateSeed(writer_a_);
  const std::string id = Str(created.Json()["id"]);
  const std::string code = Str(created.Json()["invitation"]["code"]);
  const std::string second_code =
      Str(client_->Post(std::string(kList) + "/kete-enrolment/two", kExampleBody, Key(writer_a_))
              .Json()["invitation"]["code"]);
  ASSERT_EQ(Accept(second_code, R"({"accountId":"acct"})").status, 200);
  HttpResult before = client_->Get(kList, Key(reader_a_));
  EXPECT_EQ(server_.Stop(SIGTERM), 0) << server_.Logs();  // clean shutdown: final snapshot
  ASSERT_TRUE(server_.Start()) << server_.Logs();
  client_.emplace(server_.Client());
  HttpResult got = client_->Get(std::string(kList) + "/" + id, Key(reader_a_));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, created.body);
  EXPECT_EQ(client_->Get(kList, Key(reader_a_)).body, before.body);
  // The invitation index survived: the code still claims, and the claimed one is still claimed.
  HttpResult accepted = Accept(code, R"({"accountId":"after_restart"})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(Str(accepted.Json()["id"]), id);
  ExpectError(Accept(second_code, R"({"accountId":"acct"})"), 409, "INVITATION_ALREADY_ACCEPTED");
  // Idempotency holds across the restart too.
  EXPECT_EQ(ItemCount("", reader_a_), 2u);
  EXPECT_EQ(CreateSeed(writer_a_).body, accepted.body);
}

TEST_F(CentrapayTest, RoutingErrorsUseTheCentrapayEnvelope) {
  HttpResult r = client_->Send("PUT", std::string(kList) + "/abc", "{}", Key(writer_a_));
  EXPECT_EQ(r.status, 405);
  EXPECT_FALSE(Str(r.Json()["message"]).empty()) << r.body;
  EXPECT_FALSE(r.Header("allow").empty());
}

}  // namespace
}  // namespace ihub::e2e
