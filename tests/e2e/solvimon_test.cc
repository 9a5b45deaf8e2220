// Solvimon typed integrations against the real ihubd (seed 003; API.md §4; API-DECISIONS items
// 61-73): every field the seed's request and response list, every error it names (400, 401, 403,
// 404, 409), tenant isolation, PUT/PATCH semantics and masking.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/e2e/oauth_fixture.h"

namespace ihub::e2e {
namespace {

// A request with every field of the seed's request schema.
constexpr std::string_view kCreate = R"({
  "reference": "stripe-eu",
  "name": "Stripe EU",
  "description": "Card payments in the EU",
  "type": "PAYMENT_GATEWAY",
  "linked_resources_configurations": [{"resource": "pricing_plan", "id": "pp_1"}],
  "status": null,
  "authentication": {"api_key": "sk_live_SECRET1", "options": {"webhook_secret": "whsec_2", "retries": 3, "live": true}},
  "payment_gateway": {"provider": "stripe", "capture": "automatic"},
  "e_invoicing": null
})";
constexpr std::string_view kBase = "/v1/integrations";

std::string Str(simdjson::dom::element e) {
  std::string_view s;
  return e.get_string().get(s) == simdjson::SUCCESS ? std::string(s) : std::string("<not a string>");
}
std::string Minified(simdjson::dom::element e) { return simdjson::minify(e); }

class SolvimonTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    other_org_ = CreateOrg("globex");
    all_ = {{"X-API-KEY", CreateApiKey(org_, R"(["INTEGRATION.READ","INTEGRATION.CREATE",)"
                                              R"("INTEGRATION.UPDATE","INTEGRATION.DELETE"])")}};
    reader_ = {{"X-API-KEY", CreateApiKey(org_, R"(["INTEGRATION.READ"])")}};
    other_ = {{"X-API-KEY", CreateApiKey(other_org_, R"(["INTEGRATION.READ","INTEGRATION.CREATE",)"
                                                     R"("INTEGRATION.UPDATE","INTEGRATION.DELETE"])")}};
  }
  std::string Create(std::string_view body = kCreate, const Headers& h = {}) {
    HttpResult r = c().Post(kBase, body, h.empty() ? all_ : h);
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.Json()["id"]);
  }
  void ExpectProblem(const HttpResult& r, int status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
    int64_t s = 0;
    EXPECT_EQ(r.Json()["status"].get_int64().get(s), simdjson::SUCCESS);
    EXPECT_EQ(s, status);
  }
  // The fields of the error named `field`, if the 400 lists it.
  static bool NamesField(const HttpResult& r, std::string_view field) {
    simdjson::dom::array errors;
    if (r.Json()["errors"].get_array().get(errors)) return false;
    for (auto e : errors) {
      if (Str(e["field"]) == field) return true;
    }
    return false;
  }

  std::string other_org_;
  Headers all_, reader_, other_;
};

TEST_F(SolvimonTest, CreateAnswersEveryResponseFieldWithSecretsMasked) {
  HttpResult r = c().Post(kBase, kCreate, all_);
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.Json();
  EXPECT_EQ(Str(j["reference"]), "stripe-eu");
  EXPECT_EQ(Str(j["name"]), "Stripe EU");
  EXPECT_EQ(Str(j["description"]), "Card payments in the EU");
  EXPECT_EQ(Str(j["type"]), "PAYMENT_GATEWAY");
  EXPECT_EQ(Minified(j["linked_resources_configurations"]), R"([{"resource":"pricing_plan","id":"pp_1"}])");
  EXPECT_EQ(Str(j["object_type"]), "integration");
  const std::string id = Str(j["id"]);
  EXPECT_EQ(id.substr(0, 5), "intg_");
  EXPECT_EQ(id.size(), 27u);
  EXPECT_EQ(Str(j["status"]), "ACTIVE");
  EXPECT_TRUE(j["message"].is_null());
  EXPECT_EQ(Minified(j["authentication"]),
            R"({"api_key":"********","options":{"webhook_secret":"********","retries":3,"live":true}})");
  EXPECT_EQ(Minified(j["payment_gateway"]), R"({"provider":"stripe","capture":"automatic"})");
  EXPECT_TRUE(j["e_invoicing"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(r.body.find("sk_live_SECRET1"), std::string::npos);

  HttpResult got = c().Get(std::string(kBase) + "/" + id, reader_);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, r.body);
}

TEST_F(SolvimonTest, ListPaginatesAndFilters) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(Create(R"({"reference":"r)" + std::to_string(i) +
                         R"(","name":"n","description":"","type":"DATA_EXPORT",)"
                         R"("linked_resources_configurations":[],"status":")" +
                         (i == 2 ? "INACTIVE" : "ACTIVE") + "\"}"));
  }
  Create(R"({"reference":"t","name":"n","description":"d","type":"TAX_CALCULATION",
             "linked_resources_configurations":[]})", other_);  // another org: never listed
  HttpResult p1 = c().Get(std::string(kBase) + "?limit=2", reader_);
  ASSERT_EQ(p1.status, 200) << p1.body;
  EXPECT_EQ(p1.Json()["data"].get_array().size(), 2u);
  EXPECT_EQ(int64_t(p1.Json()["page"]), 1);
  EXPECT_EQ(int64_t(p1.Json()["limit"]), 2);
  EXPECT_EQ(int64_t(p1.Json()["total"]), 3);
  EXPECT_TRUE(bool(p1.Json()["has_more"]));
  HttpResult p2 = c().Get(std::string(kBase) + "?limit=2&page=2", reader_);
  EXPECT_EQ(p2.Json()["data"].get_array().size(), 1u);
  EXPECT_FALSE(bool(p2.Json()["has_more"]));
  HttpResult all = c().Get(kBase, reader_);
  EXPECT_EQ(int64_t(all.Json()["limit"]), 20);
  EXPECT_EQ(int64_t(all.Json()["total"]), 3);

  HttpResult inactive = c().Get(std::string(kBase) + "?status=INACTIVE", reader_);
  ASSERT_EQ(inactive.Json()["data"].get_array().size(), 1u);
  EXPECT_EQ(Str(inactive.Json()["data"].at(0)["id"]), ids[2]);
  EXPECT_EQ(int64_t(c().Get(std::string(kBase) + "?type=PAYMENT_GATEWAY", reader_).Json()["total"]), 0);
  EXPECT_EQ(int64_t(c().Get(std::string(kBase) + "?type=DATA_EXPORT", reader_).Json()["total"]), 3);

  ExpectProblem(c().Get(std::string(kBase) + "?limit=101", reader_), 400);
  ExpectProblem(c().Get(std::string(kBase) + "?page=0", reader_), 400);
  ExpectProblem(c().Get(std::string(kBase) + "?type=FAX", reader_), 400);
  ExpectProblem(c().Get(std::string(kBase) + "?status=active", reader_), 400);
}

TEST_F(SolvimonTest, PutReplacesAndPatchMerges) {
  const std::string url = std::string(kBase) + "/" + Create();
  HttpResult patched = c().Patch(url, R"({"name":"Renamed","authentication":{"api_key":"********","options":{"webhook_secret":"new"}}})", all_);
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto p = patched.Json();
  EXPECT_EQ(Str(p["name"]), "Renamed");
  EXPECT_EQ(Str(p["reference"]), "stripe-eu");  // untouched keys kept
  EXPECT_EQ(Minified(p["payment_gateway"]), R"({"provider":"stripe","capture":"automatic"})");
  EXPECT_EQ(Minified(p["authentication"]), R"({"api_key":"********","options":{"webhook_secret":"********"}})");

  // PATCH null clears an optional field; status goes back to its default.
  HttpResult cleared = c().Patch(url, R"({"payment_gateway":null,"status":"INACTIVE"})", all_);
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.Json()["payment_gateway"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(Str(cleared.Json()["status"]), "INACTIVE");
  // Changing type by PATCH needs the old object nulled (item 70): it is, so this works.
  HttpResult retyped = c().Patch(url, R"({"type":"EMAIL_PROVIDER","email_provider":{"from":"a@b.c"}})", all_);
  ASSERT_EQ(retyped.status, 200) << retyped.body;
  EXPECT_EQ(Str(retyped.Json()["type"]), "EMAIL_PROVIDER");

  // PUT replaces: omitted authentication and type object are gone, status defaults to ACTIVE.
  HttpResult put = c().Put(url, R"({"reference":"stripe-eu","name":"Only","description":"d",
      "type":"E_INVOICING","linked_resources_configurations":[]})", all_);
  ASSERT_EQ(put.status, 200) << put.body;
  auto j = put.Json();
  EXPECT_EQ(Str(j["name"]), "Only");
  EXPECT_TRUE(j["authentication"].is_null());
  EXPECT_TRUE(j["email_provider"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(Str(j["status"]), "ACTIVE");
  EXPECT_EQ(c().Get(url, reader_).body, put.body);

  // PUT requires what create requires; PATCH may not null a required field.
  HttpResult bad_put = c().Put(url, R"({"name":"x"})", all_);
  ExpectProblem(bad_put, 400);
  EXPECT_TRUE(NamesField(bad_put, "reference"));
  EXPECT_TRUE(NamesField(bad_put, "linked_resources_configurations"));
  ExpectProblem(c().Patch(url, R"({"reference":null})", all_), 400);
}

TEST_F(SolvimonTest, FailingRequestsChangeNothing) {
  const std::string url = std::string(kBase) + "/" + Create();
  const std::string before = c().Get(url, reader_).body;
  // A valid name with an invalid type object: nothing of it is stored.
  HttpResult r = c().Patch(url, R"({"name":"Changed","e_invoicing":{"x":1}})", all_);
  ExpectProblem(r, 400);
  EXPECT_TRUE(NamesField(r, "e_invoicing"));
  EXPECT_EQ(c().Get(url, reader_).body, before);
}

TEST_F(SolvimonTest, FieldRulesAnswer400NamingEachField) {
  struct Case {
    std::string body;
    std::string field;
  };
  const std::string tail = R"(,"type":"DATA_EXPORT","linked_resources_configurations":[]})";
  const std::vector<Case> cases = {
      {R"({"reference":"has space","name":"n","description":"d")" + tail, "reference"},
      {R"({"reference":"","name":"n","description":"d")" + tail, "reference"},
      {R"({"reference":")" + std::string(257, 'r') + R"(","name":"n","description":"d")" + tail, "reference"},
      {R"({"reference":"r","name":"two\nlines","description":"d")" + tail, "name"},
      {R"({"reference":"r","name":"n","description":")" + std::string(257, 'd') + "\"" + tail, "description"},
      {R"({"reference":"r","name":"n","description":"d","type":"FAX","linked_resources_configurations":[]})", "type"},
      {R"({"reference":"r","name":"n","description":"d","type":"DATA_EXPORT","linked_resources_configurations":[1]})", "linked_resources_configurations[0]"},
      {R"({"reference":"r","name":"n","description":"d","type":"DATA_EXPORT","linked_resources_configurations":[],"status":"PENDING"})", "status"},
      {R"({"reference":"r","name":"n","description":"d","type":"DATA_EXPORT","linked_resources_configurations":[],"authentication":"secret"})", "authentication"},
      {R"({"reference":"r","name":"n","description":"d","type":"DATA_EXPORT","linked_resources_configurations":[],"payment_gateway":{}})", "payment_gateway"},
      {R"({"reference":"r","name":7,"description":"d")" + tail, "name"},
      {R"({"name":"n","description":"d")" + tail, "reference"},
      {"{\"reference\":\"r\",\"name\":\"n\",\"description\":\"d\",\"type\":\"DATA_EXPORT\","
       "\"linked_resources_configurations\":[],\"authentication\":{\"a\":{\"b\":{\"c\":{\"d\":"
       "{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":1}}}}}}}}}}", "authentication"},
  };
  for (const Case& k : cases) {
    HttpResult r = c().Post(kBase, k.body, all_);
    ExpectProblem(r, 400);
    EXPECT_TRUE(NamesField(r, k.field)) << k.field << ": " << r.body;
  }
  HttpResult malformed = c().Post(kBase, "{not json", all_);
  ExpectProblem(malformed, 400);
  EXPECT_EQ(Str(malformed.Json()["code"]), "MALFORMED_JSON");
  EXPECT_EQ(int64_t(c().Get(kBase, reader_).Json()["total"]), 0);
}

TEST_F(SolvimonTest, ReferenceIsUniqueInTheOrgAndReusableAfterDelete) {
  const std::string id = Create();
  ExpectProblem(c().Post(kBase, kCreate, all_), 409);
  Create(kCreate, other_);  // another org may use it
  HttpResult del = c().Delete(std::string(kBase) + "/" + id, all_);
  EXPECT_EQ(del.status, 204) << del.body;
  EXPECT_TRUE(del.body.empty());
  ExpectProblem(c().Get(std::string(kBase) + "/" + id, reader_), 404);
  ExpectProblem(c().Delete(std::string(kBase) + "/" + id, all_), 404);
  Create();
}

TEST_F(SolvimonTest, AuthErrorsAndTenantIsolation) {
  const std::string url = std::string(kBase) + "/" + Create();
  ExpectProblem(c().Get(url), 401);
  ExpectProblem(c().Get(url, {{"X-API-KEY", "ihk_0000000000000000000000000000000000000000"}}), 401);
  ExpectProblem(c().Post(kBase, kCreate, reader_), 403);
  ExpectProblem(c().Patch(url, R"({"name":"x"})", reader_), 403);
  ExpectProblem(c().Delete(url, reader_), 403);
  Headers wrong_platform = reader_;
  wrong_platform.emplace_back("x-platform-id", other_org_);
  ExpectProblem(c().Get(url, wrong_platform), 403);
  ExpectProblem(c().Get(url, Root()), 400);  // the root key must name an org (item 19)
  EXPECT_EQ(c().Get(url, RootIn(org_)).status, 200);
  // Another org's id is 404 on every method, and its failed writes change nothing.
  ExpectProblem(c().Get(url, other_), 404);
  ExpectProblem(c().Put(url, kCreate, other_), 404);
  ExpectProblem(c().Patch(url, R"({"name":"x"})", other_), 404);
  ExpectProblem(c().Delete(url, other_), 404);
  EXPECT_EQ(Str(c().Get(url, reader_).Json()["name"]), "Stripe EU");
  EXPECT_EQ(int64_t(c().Get(kBase, other_).Json()["total"]), 0);
  // Other versions are not served (item 72), in this family's envelope.
  ExpectProblem(c().Get("/v2/integrations", reader_), 404);
  ExpectProblem(c().Post("/v2/integrations", kCreate, all_), 404);
}

TEST_F(SolvimonTest, BearerTokenWithAScopeThatGrantsThePath) {
  const ClientCreds client = CreateClient(org_);  // scopes: All WRITE, TargetGroups READWRITE
  const std::string token = IssueToken(client);
  ASSERT_FALSE(token.empty());
  HttpResult r = c().Post(kBase, kCreate, {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(r.status, 201) << r.body;
  // All grants WRITE only: a GET is forbidden.
  ExpectProblem(c().Get(std::string(kBase) + "/" + Str(r.Json()["id"]),
                        {{"Authorization", "Bearer " + token}}),
                403);
}

}  // namespace
}  // namespace ihub::e2e
