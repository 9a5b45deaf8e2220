// The OEM partner API against the real ihubd (seed 002; API.md §1, §4; API-DECISIONS items 74-84):
// the seed's requests (placeholders replaced by real credentials) and responses field by field,
// the vendor catalog and OEM tokens of /admin/v1, every check of item 76 in order, and tenant
// isolation.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/oauth_fixture.h"

namespace ihub::e2e {
namespace {

// The seed's requests with "your-client-id", "your-client-secret", "organization-oem-token" and
// "vendor-id" as placeholders, which each test replaces.
constexpr std::string_view kSeedVendors = R"({
"clientId": "your-client-id",
"clientSecret": "your-client-secret",
"grantType": "client_credentials",
"scope": "vendor_manage"
})";
constexpr std::string_view kSeedCreate = R"({
"clientId": "your-client-id",
"clientSecret": "your-client-secret",
"grantType": "client_credentials",
"scope": "vendor_manage",
"organizationOemToken": "organization-oem-token",
"data": {
"vendorId": "vendor-id",
"integrationCredentials": {
"api user": "api-user",
"api key": "api-key"
}
}
})";
constexpr std::string_view kSeedList = R"({
"clientId": "your-client-id",
"clientSecret": "your-client-secret",
"grantType": "client_credentials",
"scope": "vendor_manage",
"organizationOemToken": "organization-oem-token"
})";
constexpr std::string_view kSeedPatch = R"({
"clientId": "your-client-id",
"clientSecret": "your-client-secret",
"grantType": "client_credentials",
"scope": "vendor_manage",
"organizationOemToken": "organization-oem-token",
"data": {
"integrationCredentials": {
"api user": "updated-api-user",
"api key": "updated-api-key"
}
}
})";
// The seed's catalog vendor, and one whose template has the keys the seed's create sends.
constexpr std::string_view kSeedVendor = R"({"name":"vendor name","integrationType":"custom_hosted",
  "integrationStatus":"active","integrationCredentialTemplate":{"api key":"","api username":""}})";
constexpr std::string_view kUserKeyVendor = R"({"name":"other","integrationType":"custom_hosted",
  "integrationCredentialTemplate":{"api user":"","api key":""}})";

std::string Str(simdjson::dom::element e) {
  std::string_view s;
  return e.get_string().get(s) == simdjson::SUCCESS ? std::string(s) : std::string("<not a string>");
}
void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

class OemTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    partner_org_ = CreateOrg("partner");
    other_org_ = CreateOrg("globex");
    partner_ = CreateClient(partner_org_);
    other_partner_ = CreateClient(other_org_);
    token_ = IssueOemToken(org_, partner_.key, Root());
    seed_vendor_ = CreateVendor(kSeedVendor);
    vendor_ = CreateVendor(kUserKeyVendor);
  }
  std::string CreateVendor(std::string_view body) {
    HttpResult r = c().Post("/admin/v1/vendors", body, Root());
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.Json()["id"]);
  }
  std::string IssueOemToken(const std::string& org, const std::string& client_key, const Headers& h) {
    HttpResult r = c().Post("/admin/v1/orgs/" + org + "/oem-tokens",
                            R"({"clientKey":")" + client_key + "\"}", h);
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.Json()["organizationOemToken"]);
  }
  // A seed request with its placeholders filled in.
  std::string Fill(std::string_view seed, const ClientCreds& cl, const std::string& token,
                   const std::string& vendor) const {
    std::string body(seed);
    ReplaceAll(body, "your-client-id", cl.key);
    ReplaceAll(body, "your-client-secret", cl.secret);
    ReplaceAll(body, "organization-oem-token", token);
    ReplaceAll(body, "\"vendor-id\"", "\"" + vendor + "\"");
    return body;
  }
  std::string Fill(std::string_view seed) const { return Fill(seed, partner_, token_, vendor_); }
  static void ExpectError(const HttpResult& r, int status, std::string_view message_part = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(int64_t(r.Json()["status"]), status) << r.body;
    EXPECT_NE(Str(r.Json()["message"]).find(message_part), std::string::npos) << r.body;
  }
  std::string CreateIntegration() {
    HttpResult r = c().Post("/api/oem-api/integration", Fill(kSeedCreate));
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.Json()["integration"]["id"]);
  }

  std::string partner_org_, other_org_, token_, seed_vendor_, vendor_;
  ClientCreds partner_, other_partner_;
};

TEST_F(OemTest, VendorCatalogIsRootManagedAndListedToPartners) {
  HttpResult listed = c().Get("/admin/v1/vendors", Root());
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.Json()["items"].get_array().size(), 2u);
  EXPECT_TRUE(listed.Json()["nextCursor"].is_null());

  HttpResult r = c().Post("/api/oem-api/vendor", Fill(kSeedVendors));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(int64_t(j["status"]), 200);
  EXPECT_EQ(Str(j["message"]), "Successfully fetched MSPC vendors");
  bool found = false;
  for (auto v : j["vendors"].get_array()) {
    if (Str(v["id"]) != seed_vendor_) continue;
    found = true;
    EXPECT_EQ(seed_vendor_.size(), 8u);
    EXPECT_EQ(Str(v["name"]), "vendor name");
    EXPECT_EQ(Str(v["integrationStatus"]), "active");
    EXPECT_EQ(Str(v["integrationType"]), "custom_hosted");
    EXPECT_EQ(simdjson::minify(v["integrationCredentialTemplate"]), R"({"api key":"","api username":""})");
  }
  EXPECT_TRUE(found) << r.body;

  const std::string org_key = CreateApiKey(org_, R"(["INTEGRATION.CREATE"])");
  EXPECT_EQ(c().Post("/admin/v1/vendors", kSeedVendor, {{"X-Api-Key", org_key}}).status, 403);
  EXPECT_EQ(c().Get("/admin/v1/vendors", {{"X-Api-Key", org_key}}).status, 403);
  EXPECT_EQ(c().Post("/admin/v1/vendors", kSeedVendor).status, 401);
  for (std::string_view bad : {R"({"name":"v","integrationType":"t"})",
                               R"({"name":"v","integrationType":"t","integrationCredentialTemplate":{}})",
                               R"({"name":"v","integrationType":"t","integrationCredentialTemplate":{"k":1}})",
                               R"({"name":"","integrationType":"t","integrationCredentialTemplate":{"k":""}})",
                               R"({"name":"v","integrationType":"t","integrationStatus":"on","integrationCredentialTemplate":{"k":""}})",
                               "{"}) {
    HttpResult b = c().Post("/admin/v1/vendors", bad, Root());
    EXPECT_EQ(b.status, 400) << bad << " -> " << b.body;
    EXPECT_EQ(b.Header("Content-Type"), "application/problem+json");
  }
}

TEST_F(OemTest, OemTokensAreIssuedByTheOrgToOneClient) {
  EXPECT_EQ(token_.substr(0, 6), "ihoem_");
  EXPECT_EQ(token_.size(), 50u);
  const std::string creator = CreateApiKey(org_, R"(["INTEGRATION.CREATE"])");
  EXPECT_FALSE(IssueOemToken(org_, partner_.key, {{"X-Api-Key", creator}}).empty());
  const std::string weak = CreateApiKey(org_, R"(["INTEGRATION.READ"])");
  const std::string foreign = CreateApiKey(other_org_, R"(["INTEGRATION.CREATE"])");
  const std::string path = "/admin/v1/orgs/" + org_ + "/oem-tokens";
  const std::string body = R"({"clientKey":")" + partner_.key + "\"}";
  EXPECT_EQ(c().Post(path, body, {{"X-Api-Key", weak}}).status, 403);
  EXPECT_EQ(c().Post(path, body, {{"X-Api-Key", foreign}}).status, 404);
  EXPECT_EQ(c().Post(path, body).status, 401);
  EXPECT_EQ(c().Post(path, R"({"clientKey":"AAAAAAAAAAAAAAAAAAAAAAAAA"})", Root()).status, 404);
  EXPECT_EQ(c().Post("/admin/v1/orgs/nope/oem-tokens", body, Root()).status, 404);
  // An org id far longer than any ihub makes is an unknown org, not a crash.
  EXPECT_EQ(c().Post("/admin/v1/orgs/" + std::string(300, 'o') + "/oem-tokens", body, Root()).status,
            404);
  EXPECT_EQ(c().Post(path, R"({})", Root()).status, 400);
}

TEST_F(OemTest, SeedCreateListAndPatch) {
  HttpResult created = c().Post("/api/oem-api/integration", Fill(kSeedCreate));
  ASSERT_EQ(created.status, 201) << created.body;
  auto j = created.Json();
  const std::string id = Str(j["integration"]["id"]);
  EXPECT_EQ(id.size(), 24u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(Str(j["integration"]["vendorId"]), vendor_);
  EXPECT_EQ(int64_t(j["status"]), 201);
  EXPECT_EQ(Str(j["message"]), "Successfully created an integration for an organization");

  HttpResult listed = c().Post("/api/oem-api/integration/list", Fill(kSeedList));
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto l = listed.Json();
  EXPECT_EQ(int64_t(l["status"]), 200);
  EXPECT_EQ(Str(l["message"]), "Successfully fetched list of user's integrations");
  ASSERT_EQ(l["integrations"].get_array().size(), 1u);
  auto item = l["integrations"].at(0);
  EXPECT_EQ(Str(item["id"]), id);
  EXPECT_EQ(Str(item["vendorId"]), vendor_);
  EXPECT_EQ(simdjson::minify(item["integrationCredentialTemplate"]), R"([{"api user":"","api key":""}])");
  EXPECT_EQ(listed.body.find("api-user\""), std::string::npos);

  HttpResult patched = c().Patch("/api/oem-api/integration/" + id, Fill(kSeedPatch));
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto p = patched.Json();
  EXPECT_EQ(Str(p["integration"]["id"]), id);
  EXPECT_EQ(Str(p["integration"]["vendorId"]), vendor_);
  EXPECT_EQ(int64_t(p["status"]), 200);
  EXPECT_EQ(Str(p["message"]), "Successfully updated a user's integration credentials");
  EXPECT_EQ(patched.body.find("updated-api"), std::string::npos);
}

TEST_F(OemTest, CredentialsMustHaveExactlyTheTemplateKeys) {
  // The seed's own create against the seed's own catalog vendor (item 74).
  HttpResult r = c().Post("/api/oem-api/integration", Fill(kSeedCreate, partner_, token_, seed_vendor_));
  ExpectError(r, 400, "missing: \"api username\"");
  EXPECT_NE(Str(r.Json()["message"]).find("not in the template: \"api user\""), std::string::npos);
  std::string extra = Fill(kSeedCreate);
  ReplaceAll(extra, "\"api key\": \"api-key\"", "\"api key\": \"k\", \"api pin\": \"1\"");
  ExpectError(c().Post("/api/oem-api/integration", extra), 400, "\"api pin\"");
  std::string not_string = Fill(kSeedCreate);
  ReplaceAll(not_string, "\"api-key\"", "42");
  ExpectError(c().Post("/api/oem-api/integration", not_string), 400);
  std::string no_data = Fill(kSeedList);
  ExpectError(c().Post("/api/oem-api/integration", no_data), 400, "data");
  // Nothing was created by the failures.
  EXPECT_EQ(c().Post("/api/oem-api/integration/list", Fill(kSeedList)).Json()["integrations"].get_array().size(), 0u);

  const std::string id = CreateIntegration();
  std::string bad_patch = Fill(kSeedPatch);
  ReplaceAll(bad_patch, "\"api user\"", "\"api username\"");
  ExpectError(c().Patch("/api/oem-api/integration/" + id, bad_patch), 400, "api username");
}

TEST_F(OemTest, ChecksRunInItem76Order) {
  const std::string id = CreateIntegration();
  auto with = [&](std::string_view from, std::string_view to, std::string_view seed = kSeedCreate) {
    std::string body = Fill(seed);
    ReplaceAll(body, from, to);
    return body;
  };
  const std::string url = "/api/oem-api/integration";
  // 1. grantType before everything else (even a bad secret and a bad scope).
  std::string all_bad = with("client_credentials", "password");
  ReplaceAll(all_bad, "vendor_manage", "x");
  ReplaceAll(all_bad, partner_.secret, "wrong");
  ExpectError(c().Post(url, all_bad), 400, "grantType");
  // 2. scope before the client check.
  std::string scope_bad = with("vendor_manage", "read");
  ReplaceAll(scope_bad, partner_.secret, "wrong");
  ExpectError(c().Post(url, scope_bad), 400, "scope");
  // 3. client credentials.
  ExpectError(c().Post(url, with(partner_.secret, "wrong")), 401);
  ExpectError(c().Post(url, with("\"clientSecret\": \"" + partner_.secret + "\",", "")), 401);
  // 4. the OEM token is required, 5. known, 6. issued to this client.
  ExpectError(c().Post(url, with("\"organizationOemToken\": \"" + token_ + "\",", "")), 400,
              "organizationOemToken");
  ExpectError(c().Post(url, with(token_, "ihoem_unknown")), 401);
  ExpectError(c().Post(url, Fill(kSeedCreate, other_partner_, token_, vendor_)), 403);
  // 7. the vendor exists and is active.
  ExpectError(c().Post(url, with("\"" + vendor_ + "\"", "\"99999999\"")), 404, "vendor");
  const std::string inactive = CreateVendor(R"({"name":"old","integrationType":"t",
      "integrationStatus":"inactive","integrationCredentialTemplate":{"api user":"","api key":""}})");
  ExpectError(c().Post(url, with("\"" + vendor_ + "\"", "\"" + inactive + "\"")), 400, "active");
  // 8. the integration exists in the token's org.
  ExpectError(c().Patch(url + "/000000000000000000000000", Fill(kSeedPatch)), 404);
  // Malformed bodies answer in the same envelope.
  ExpectError(c().Post(url, "{nope"), 400);
  ExpectError(c().Post("/api/oem-api/nope", "{}"), 404);
  (void)id;
}

TEST_F(OemTest, AnotherOrgsTokenSeesNoneOfThisOrgsIntegrations) {
  const std::string id = CreateIntegration();
  // The same partner, now holding a token of another org.
  const std::string other_token = IssueOemToken(other_org_, partner_.key, Root());
  HttpResult list = c().Post("/api/oem-api/integration/list",
                             Fill(kSeedList, partner_, other_token, vendor_));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json()["integrations"].get_array().size(), 0u);
  ExpectError(c().Patch("/api/oem-api/integration/" + id,
                        Fill(kSeedPatch, partner_, other_token, vendor_)),
              404);
  // Solvimon cannot see an OEM integration either (one model, separate families).
  const std::string key = CreateApiKey(org_, R"(["INTEGRATION.READ"])");
  EXPECT_EQ(c().Get("/v1/integrations/" + id, {{"X-API-KEY", key}}).status, 404);
}

}  // namespace
}  // namespace ihub::e2e
