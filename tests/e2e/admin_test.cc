// Operator API end to end: orgs and org API keys (API.md §2), the root-only
// rule (API-DECISIONS item 23), isolation between orgs, and bad input.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/e2e/e2e_harness.h"

namespace ihub::e2e {
namespace {

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok()) << server_.Logs();
    root_ = {{"X-Api-Key", server_.root_key()}};
  }

  // Creates an org and returns its id.
  std::string CreateOrg(const std::string& name) {
    HttpResult r = client_.Post("/admin/v1/orgs", R"({"name":")" + name + R"("})", root_);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.Json()["id"].get_string().value_unsafe());
  }

  // Creates an API key in org_id and returns the parsed answer.
  HttpResult CreateKey(const std::string& org_id, const std::string& name,
                       const std::string& permissions_json) {
    return client_.Post("/admin/v1/orgs/" + org_id + "/api-keys",
                        R"({"name":")" + name + R"(","permissions":)" + permissions_json + "}",
                        root_);
  }

  TestServer server_;
  HttpClient client_ = server_.Client();
  Headers root_;
};

TEST_F(AdminTest, CreatesReadsAndListsOrgs) {
  HttpResult created = client_.Post("/admin/v1/orgs", R"({"name":"acme"})", root_);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("content-type"), "application/json");
  auto org = created.Json();
  const std::string id(org["id"].get_string().value_unsafe());
  EXPECT_EQ(id.size(), 22u);
  EXPECT_EQ(std::string_view(org["name"].get_string().value_unsafe()), "acme");
  EXPECT_EQ(std::string_view(org["createdAt"].get_string().value_unsafe()).back(), 'Z');

  HttpResult read = client_.Get("/admin/v1/orgs/" + id, root_);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.body, created.body);

  HttpResult list = client_.Get("/admin/v1/orgs", root_);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find(id), std::string::npos);
  EXPECT_TRUE(list.Json()["nextCursor"].is_null());
}

TEST_F(AdminTest, PaginatesOrgsWithStableCursors) {
  for (int i = 0; i < 5; ++i) CreateOrg("org" + std::to_string(i));
  std::string cursor;
  std::set<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    std::string target = "/admin/v1/orgs?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor);
    HttpResult r = client_.Get(target, root_);
    ASSERT_EQ(r.status, 200) << r.body;
    auto items = r.Json()["items"].get_array();
    for (auto item : items.value_unsafe()) {
      EXPECT_TRUE(seen.insert(std::string(item["id"].get_string().value_unsafe())).second);
    }
    auto next = r.Json()["nextCursor"];
    if (next.is_null()) break;
    cursor = std::string(next.get_string().value_unsafe());
  }
  EXPECT_EQ(seen.size(), 5u);

  EXPECT_EQ(client_.Get("/admin/v1/orgs?limit=0", root_).status, 400);
  EXPECT_EQ(client_.Get("/admin/v1/orgs?limit=501", root_).status, 400);
  EXPECT_EQ(client_.Get("/admin/v1/orgs?limit=ten", root_).status, 400);
  EXPECT_EQ(client_.Get("/admin/v1/orgs?cursor=not-a-cursor", root_).status, 400);
}

TEST_F(AdminTest, OperatorEndpointsNeedTheRootKey) {
  const std::string org = CreateOrg("acme");
  HttpResult key = CreateKey(org, "ops", R"(["CLIENT.READ","CLIENT.WRITE"])");
  ASSERT_EQ(key.status, 201) << key.body;
  const Headers org_key = {{"X-Api-Key", std::string(key.Json()["key"].get_string().value_unsafe())}};

  HttpResult none = client_.Post("/admin/v1/orgs", R"({"name":"x"})");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("www-authenticate"), R"(Bearer realm="ihub")");
  EXPECT_EQ(none.Header("content-type"), "application/problem+json");

  EXPECT_EQ(client_.Post("/admin/v1/orgs", R"({"name":"x"})", {{"X-Api-Key", "ihk_nope"}}).status,
            401);
  EXPECT_EQ(client_.Post("/admin/v1/orgs", R"({"name":"x"})", org_key).status, 403);
  // Even its own org: every /admin/v1 endpoint is root-only (item 23).
  EXPECT_EQ(client_.Get("/admin/v1/orgs/" + org, org_key).status, 403);
  EXPECT_EQ(client_.Get("/admin/v1/orgs/" + org + "/api-keys", org_key).status, 403);
  // The root key works as Bearer too (item 18), and header names are case-insensitive.
  EXPECT_EQ(client_.Get("/admin/v1/orgs", {{"Authorization", "Bearer " + server_.root_key()}}).status,
            200);
  EXPECT_EQ(client_.Get("/admin/v1/orgs", {{"x-api-key", server_.root_key()}}).status, 200);
  EXPECT_EQ(client_.Get("/admin/v1/orgs", {{"X-API-KEY", server_.root_key()}}).status, 200);
}

TEST_F(AdminTest, ApiKeyIsShownOnceListedWithoutItAndRevocable) {
  const std::string org = CreateOrg("acme");
  HttpResult created = CreateKey(org, "ops", R"(["TOKEN.INTROSPECT","CLIENT.READ"])");
  ASSERT_EQ(created.status, 201) << created.body;
  auto key = created.Json();
  const std::string key_id(key["id"].get_string().value_unsafe());
  const std::string secret(key["key"].get_string().value_unsafe());
  EXPECT_EQ(secret.rfind("ihk_", 0), 0u);
  EXPECT_EQ(secret.size(), 44u);
  EXPECT_NE(created.body.find(R"("permissions":["CLIENT.READ","TOKEN.INTROSPECT"])"),
            std::string::npos)
      << created.body;

  HttpResult list = client_.Get("/admin/v1/orgs/" + org + "/api-keys", root_);
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find(key_id), std::string::npos);
  EXPECT_EQ(list.body.find(secret), std::string::npos) << "the key is shown only at creation";
  EXPECT_EQ(list.body.find(R"("key")"), std::string::npos);

  // The new key authenticates (its org's clients list), until revoked.
  const Headers as_key = {{"X-Api-Key", secret}};
  EXPECT_EQ(client_.Get("/v3/integrations/clients", as_key).status, 200);
  HttpResult revoked = client_.Delete("/admin/v1/orgs/" + org + "/api-keys/" + key_id, root_);
  EXPECT_EQ(revoked.status, 204);
  EXPECT_TRUE(revoked.body.empty());
  EXPECT_EQ(client_.Get("/v3/integrations/clients", as_key).status, 401);
  EXPECT_EQ(client_.Delete("/admin/v1/orgs/" + org + "/api-keys/" + key_id, root_).status, 404);
  list = client_.Get("/admin/v1/orgs/" + org + "/api-keys", root_);
  EXPECT_EQ(list.body.find(key_id), std::string::npos);
  // Request lines are flushed in batches: wait for them before reading the log.
  EXPECT_TRUE(server_.WaitForLog(R"("msg":"request")"));
  EXPECT_EQ(server_.Logs().find(secret), std::string::npos) << "a key must never be logged";
}

TEST_F(AdminTest, OrgsAreIsolatedFromEachOther) {
  const std::string a = CreateOrg("a");
  const std::string b = CreateOrg("b");
  HttpResult key_a = CreateKey(a, "k", R"(["CLIENT.READ"])");
  ASSERT_EQ(key_a.status, 201);
  const std::string key_a_id(key_a.Json()["id"].get_string().value_unsafe());
  const Headers as_a = {{"X-Api-Key", std::string(key_a.Json()["key"].get_string().value_unsafe())}};

  // Another org's key id answers 404, like one that does not exist.
  EXPECT_EQ(client_.Delete("/admin/v1/orgs/" + b + "/api-keys/" + key_a_id, root_).status, 404);
  EXPECT_EQ(client_.Get("/admin/v1/orgs/" + b + "/api-keys", root_).body.find(key_a_id),
            std::string::npos);
  // An org key naming another org in x-platform-id: 403 (item 20), whether or not it exists.
  EXPECT_EQ(client_.Get("/v3/integrations/clients", {as_a[0], {"x-platform-id", b}}).status, 403);
  EXPECT_EQ(client_.Get("/v3/integrations/clients", {as_a[0], {"x-platform-id", "nope"}}).status, 403);
  // The root key must name an org on org-scoped APIs (item 19): 400 without, 404 for an unknown one.
  EXPECT_EQ(client_.Get("/v3/integrations/clients", root_).status, 400);
  EXPECT_EQ(client_.Get("/v3/integrations/clients", {root_[0], {"x-platform-id", "nope"}}).status, 404);
  EXPECT_EQ(client_.Get("/v3/integrations/clients", {root_[0], {"x-platform-id", a}}).status, 200);
  // Without the permission: 403.
  EXPECT_EQ(client_.Post("/v3/integrations/clients", "{}", as_a).status, 403);
}

TEST_F(AdminTest, BadInputIsRejectedAndChangesNothing) {
  HttpResult malformed = client_.Post("/admin/v1/orgs", R"({"name":)", root_);
  EXPECT_EQ(malformed.status, 400);
  EXPECT_NE(malformed.body.find(R"("code":"MALFORMED_JSON")"), std::string::npos) << malformed.body;

  HttpResult missing = client_.Post("/admin/v1/orgs", R"({"nom":"x"})", root_);
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find(R"("field":"name")"), std::string::npos) << missing.body;
  EXPECT_EQ(client_.Post("/admin/v1/orgs", R"({"name":""})", root_).status, 400);
  EXPECT_EQ(client_.Post("/admin/v1/orgs", R"({"name":7})", root_).status, 400);
  EXPECT_EQ(client_.Post("/admin/v1/orgs", "{\"name\":\"" + std::string(257, 'x') + "\"}", root_).status,
            400);
  EXPECT_EQ(client_.Get("/admin/v1/orgs", root_).body.find(R"("items":[])"), 1u);

  const std::string org = CreateOrg("acme");
  HttpResult bad_permission = CreateKey(org, "k", R"(["CLIENT.READ","CLIENT.FLY"])");
  EXPECT_EQ(bad_permission.status, 400);
  EXPECT_NE(bad_permission.body.find(R"("field":"permissions[1]")"), std::string::npos)
      << bad_permission.body;
  EXPECT_EQ(CreateKey(org, "has:colon", R"([])").status, 400);
  EXPECT_EQ(CreateKey(org, "has space", R"([])").status, 400);
  EXPECT_EQ(CreateKey("unknownorg", "k", R"([])").status, 404);
  EXPECT_EQ(client_.Get("/admin/v1/orgs/unknownorg", root_).status, 404);

  ASSERT_EQ(CreateKey(org, "dup", R"([])").status, 201);
  HttpResult clash = CreateKey(org, "dup", R"([])");
  EXPECT_EQ(clash.status, 409);
  HttpResult keys = client_.Get("/admin/v1/orgs/" + org + "/api-keys", root_);
  EXPECT_EQ(keys.Json()["items"].get_array().value_unsafe().size(), 1u) << keys.body;
}

}  // namespace
}  // namespace ihub::e2e
