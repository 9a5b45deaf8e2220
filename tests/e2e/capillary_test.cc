// Capillary v3 clients against the real ihubd: every endpoint with the seed's own request
// bodies, and every error path (API.md §4, API-DECISIONS items 47-60).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/codec/capillary_schema.h"
#include "tests/e2e/e2e_harness.h"

namespace ihub::e2e {
namespace {

// The seed's "Sample POST Request", verbatim.
constexpr std::string_view kSeedCreate = testing_schema::kSeedCreateClientBody;

// The seed's "Sample PUT Request", verbatim.
constexpr std::string_view kSeedUpdate = R"({
  "description": "Sample description",
  "name": "NewName2",
"expirationTokenTime": 600,
 "defaultTillId": 15000449,
 "scopes": [
    {
      "entityId": 1,
      "permission": "READWRITE",
      "resources": [
        ".*v3/targetGroups.*"
      ]
    }
]
}
)";

constexpr std::string_view kClients = "/v3/integrations/clients";

std::string Str(simdjson::dom::element e) {
  std::string_view s;
  return e.get_string().get(s) == simdjson::SUCCESS ? std::string(s) : std::string("<not a string>");
}
int64_t Int(simdjson::dom::element e) {
  int64_t v = 0;
  return e.get_int64().get(v) == simdjson::SUCCESS ? v : -999;
}
bool IsAlnum(const std::string& s, size_t n) {
  return s.size() == n && std::regex_match(s, std::regex("[A-Za-z0-9]+"));
}

class CapillaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok()) << server_.Logs();
    ASSERT_TRUE(WaitReady()) << server_.Logs();
    org_a_ = CreateOrg("acme");
    org_b_ = CreateOrg("globex");
    writer_a_ = CreateKey(org_a_, "writer", R"(["CLIENT.READ","CLIENT.WRITE"])", &writer_a_id_);
    reader_a_ = CreateKey(org_a_, "reader", R"(["CLIENT.READ"])");
    writer_b_ = CreateKey(org_b_, "writer", R"(["CLIENT.READ","CLIENT.WRITE"])");
  }

  // The daemon answers 503 while it restores its data dir (item 111).
  bool WaitReady() {
    for (int i = 0; i < 200; ++i) {
      if (client().Get("/readyz").status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  Headers Root() const { return {{"X-Api-Key", server_.root_key()}}; }
  static Headers Key(const std::string& key) { return {{"X-Api-Key", key}}; }

  std::string CreateOrg(const std::string& name) {
    HttpResult r = client().Post("/admin/v1/orgs", R"({"name":")" + name + "\"}", Root());
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.Json()["id"]);
  }
  std::string CreateKey(const std::string& org, const std::string& name,
                        const std::string& permissions, std::string* id = nullptr) {
    HttpResult r = client().Post("/admin/v1/orgs/" + org + "/api-keys",
                                R"({"name":")" + name + R"(","permissions":)" + permissions + "}",
                                Root());
    EXPECT_EQ(r.status, 201) << r.body;
    if (id != nullptr) *id = Str(r.Json()["id"]);
    return Str(r.Json()["key"]);
  }
  // Creates the seed's client in org A; returns the answer.
  HttpResult CreateSeedClient() {
    HttpResult r = client().Post(kClients, kSeedCreate, Key(writer_a_));
    EXPECT_EQ(r.status, 200) << r.body;
    return r;
  }
  size_t ClientCount(const std::string& key) {
    HttpResult r = client().Get(kClients, Key(key));
    EXPECT_EQ(r.status, 200) << r.body;
    simdjson::dom::array items;
    return r.Json()["data"].get_array().get(items) == simdjson::SUCCESS ? items.size() : 9999;
  }
  // Expects a Capillary error: status, data null, and `code` in every entry; returns the entries.
  static std::vector<std::string> ExpectError(const HttpResult& r, int status,
                                              std::string_view code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_TRUE(r.Json()["data"].is_null()) << r.body;
    std::vector<std::string> messages;
    simdjson::dom::array errors;
    EXPECT_EQ(r.Json()["errors"].get_array().get(errors), simdjson::SUCCESS) << r.body;
    for (simdjson::dom::element e : errors) {
      EXPECT_EQ(Str(e["code"]), code) << r.body;
      messages.push_back(Str(e["message"]));
    }
    EXPECT_FALSE(messages.empty()) << r.body;
    return messages;
  }

  TestServer server_;
  HttpClient& client() { return *client_; }

  std::optional<HttpClient> client_{server_.Client()};
  std::string org_a_, org_b_, writer_a_, writer_a_id_, reader_a_, writer_b_;
};

TEST_F(CapillaryTest, ScopesAnswerTheDefaultCatalog) {
  HttpResult r = client().Get("/v3/integrations/scopes", Key(reader_a_));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            R"({"data":[{"id":1,"entity":"TargetGroups"},{"id":2,"entity":"All"},)"
            R"({"id":3,"entity":"Transaction"}],"errors":null})");
}

TEST_F(CapillaryTest, CreateWithTheSeedBodyAnswersTheSeedShape) {
  HttpResult r = CreateSeedClient();
  EXPECT_TRUE(r.Json()["errors"].is_null());
  simdjson::dom::element d = r.Json()["data"];
  EXPECT_EQ(Int(d["id"]), 1);  // the first client of the server (item 58)
  EXPECT_EQ(Str(d["name"]), "NewName3");
  EXPECT_EQ(Str(d["description"]), "Sample description");
  EXPECT_TRUE(IsAlnum(Str(d["clientKey"]), 25)) << r.body;
  EXPECT_TRUE(IsAlnum(Str(d["clientSecret"]), 40));
  EXPECT_EQ(d["isValid"].get_bool().value(), true);
  EXPECT_EQ(Int(d["expirationTokenTime"]), 600);
  EXPECT_EQ(Int(d["defaultTillId"]), 15000449);
  // Scopes always carry resources (item 50).
  EXPECT_EQ(simdjson::minify(d["scopes"]),
            R"([{"permission":"READWRITE","entityId":1,"resources":[".*v3/targetGroups.*"]},)"
            R"({"permission":"WRITE","entityId":2,"resources":[]}])");
  simdjson::dom::element a = d["attribution"];
  const std::regex time(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000)");
  EXPECT_TRUE(std::regex_match(Str(a["createdOn"]), time)) << r.body;
  EXPECT_EQ(Str(a["createdOn"]), Str(a["lastUpdatedOn"]));
  for (const char* who : {"createdBy", "lastUpdatedBy"}) {
    EXPECT_EQ(Str(a[who]["id"]), writer_a_id_);
    EXPECT_EQ(Str(a[who]["code"]), "crn:" + org_a_ + ":api-key:writer");
    EXPECT_EQ(Str(a[who]["name"]), "writer");
    EXPECT_EQ(Str(a[who]["description"]), "");
    EXPECT_EQ(Str(a[who]["type"]), "API_KEY");
  }
}

TEST_F(CapillaryTest, GetListPutAndDeleteFollowTheSeed) {
  HttpResult created = CreateSeedClient();
  const std::string key = Str(created.Json()["data"]["clientKey"]);
  const std::string path = std::string(kClients) + "/" + key;

  HttpResult got = client().Get(path, Key(reader_a_));
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body.find("clientSecret"), std::string::npos);  // the secret only at creation
  EXPECT_EQ(Str(got.Json()["data"]["clientKey"]), key);
  EXPECT_EQ(Int(got.Json()["data"]["id"]), 1);

  HttpResult list = client().Get(kClients, Key(reader_a_));
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find("clientSecret"), std::string::npos);
  EXPECT_EQ(Str(list.Json()["data"].at(0)["clientKey"]), key);
  EXPECT_TRUE(list.Json()["errors"].is_null());

  HttpResult put = client().Put(path, kSeedUpdate, Key(writer_a_));
  EXPECT_EQ(put.status, 200) << put.body;
  simdjson::dom::element d = put.Json()["data"];
  EXPECT_EQ(Str(d["name"]), "NewName2");
  EXPECT_EQ(simdjson::minify(d["scopes"]),
            R"([{"permission":"READWRITE","entityId":1,"resources":[".*v3/targetGroups.*"]}])");
  // PUT without name/description keeps them (item 55).
  put = client().Put(path,
                    R"({"expirationTokenTime":30,"defaultTillId":0,"scopes":[{"entityId":3,)"
                    R"("permission":"READ","resources":[]}]})",
                    Key(writer_a_));
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Str(put.Json()["data"]["name"]), "NewName2");
  EXPECT_EQ(Int(put.Json()["data"]["expirationTokenTime"]), 30);

  HttpResult del = client().Delete(path, Key(writer_a_));
  EXPECT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(del.Json()["data"]["isValid"].get_bool().value(), false);
  got = client().Get(path, Key(reader_a_));
  EXPECT_EQ(got.Json()["data"]["isValid"].get_bool().value(), false);
  // A second DELETE answers the same, changing nothing (item 56).
  HttpResult again = client().Delete(path, Key(writer_a_));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(Str(again.Json()["data"]["attribution"]["lastUpdatedOn"]),
            Str(del.Json()["data"]["attribution"]["lastUpdatedOn"]));
  ExpectError(client().Put(path, kSeedUpdate, Key(writer_a_)), 409, "CLIENT_DELETED");
  ExpectError(client().Post(path + "/secrets/rotate", "{}", Key(writer_a_)), 409, "CLIENT_DELETED");
  EXPECT_EQ(Str(client().Get(path, Key(reader_a_)).Json()["data"]["name"]), "NewName2");
}

TEST_F(CapillaryTest, IdsAreOneServerWideSequence) {
  EXPECT_EQ(Int(CreateSeedClient().Json()["data"]["id"]), 1);
  HttpResult b = client().Post(kClients, kSeedCreate, Key(writer_b_));
  EXPECT_EQ(Int(b.Json()["data"]["id"]), 2);
  EXPECT_EQ(Int(CreateSeedClient().Json()["data"]["id"]), 3);
}

TEST_F(CapillaryTest, IdsContinueAfterARestart) {
  EXPECT_EQ(Int(CreateSeedClient().Json()["data"]["id"]), 1);
  EXPECT_EQ(Int(CreateSeedClient().Json()["data"]["id"]), 2);
  ASSERT_TRUE(server_.Restart()) << server_.Logs();
  client_.emplace(server_.Client());
  ASSERT_TRUE(WaitReady()) << server_.Logs();
  EXPECT_EQ(ClientCount(writer_a_), 2u);
  EXPECT_EQ(Int(CreateSeedClient().Json()["data"]["id"]), 3);
}

TEST_F(CapillaryTest, InvalidBodiesNameEachFieldAndChangeNothing) {
  struct Case {
    std::string body;
    std::vector<std::string> fields;  // each must be named by an error message
  };
  const std::string long_pattern(513, 'a');
  const Case cases[] = {
      {"{}", {"name", "description", "expirationTokenTime", "defaultTillId", "scopes"}},
      {R"({"name":"n","description":"","expirationTokenTime":60,"defaultTillId":1,)"
       R"("scopes":[{"entityId":1,"permission":"EXECUTE","resources":[]}]})",
       {"scopes[0].permission"}},
      {R"({"name":"n","description":"","expirationTokenTime":60,"defaultTillId":1,)"
       R"("scopes":[{"entityId":1,"permission":"READ","resources":[]},)"
       R"({"entityId":9,"permission":"READ","resources":[]},{"entityId":4,"permission":"READ"}]})",
       {"scopes[1].entityId", "scopes[2].entityId", "scopes[2].resources"}},
      {R"({"name":"n","description":"","expirationTokenTime":60,"defaultTillId":1,)"
       R"("scopes":[{"entityId":1,"permission":"READ","resources":["(unclosed"]}]})",
       {"scopes[0].resources[0]"}},
      {(R"({"name":"n","description":"","expirationTokenTime":60,"defaultTillId":1,)"
        R"("scopes":[{"entityId":1,"permission":"READ","resources":[")" +
        long_pattern + R"("]}]})"),
       {"scopes[0].resources[0]"}},
      {R"({"name":"n","description":"","expirationTokenTime":"600","defaultTillId":true,)"
       R"("scopes":[{"entityId":"1","permission":"READ","resources":[]}]})",
       {"expirationTokenTime", "defaultTillId", "scopes[0].entityId"}},
      {R"({"name":"","description":"","expirationTokenTime":0,"defaultTillId":-1,"scopes":{}})",
       {"name", "expirationTokenTime", "defaultTillId", "scopes"}},
      {R"({"name":"n",)", {""}},  // malformed JSON: one error
  };
  for (const Case& c : cases) {
    HttpResult r = client().Post(kClients, c.body, Key(writer_a_));
    std::vector<std::string> messages = ExpectError(r, 400, "INVALID_INPUT");
    EXPECT_EQ(messages.size(), c.fields.size()) << c.body << " -> " << r.body;
    for (const std::string& field : c.fields) {
      EXPECT_TRUE(std::any_of(messages.begin(), messages.end(),
                              [&](const std::string& m) { return m.find(field) != m.npos; }))
          << field << " not named in " << r.body;
    }
  }
  EXPECT_EQ(ClientCount(writer_a_), 0u);
}

TEST_F(CapillaryTest, CredentialsPermissionsAndPlatformId) {
  ExpectError(client().Get(kClients), 401, "UNAUTHORIZED");
  ExpectError(client().Get(kClients, Key("ihk_notakey")), 401, "UNAUTHORIZED");
  ExpectError(client().Post(kClients, kSeedCreate, Key(reader_a_)), 403, "FORBIDDEN");
  Headers mismatched = Key(writer_a_);
  mismatched.emplace_back("x-platform-id", org_b_);
  ExpectError(client().Post(kClients, kSeedCreate, mismatched), 403, "FORBIDDEN");
  ExpectError(client().Get(kClients, Root()), 400, "INVALID_INPUT");  // root must name the org
  EXPECT_EQ(ClientCount(writer_a_), 0u);

  Headers root_in_a = Root();
  root_in_a.emplace_back("x-platform-id", org_a_);
  HttpResult r = client().Post(kClients, kSeedCreate, root_in_a);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Str(r.Json()["data"]["attribution"]["createdBy"]["type"]), "ROOT_KEY");
  EXPECT_EQ(Str(r.Json()["data"]["attribution"]["createdBy"]["id"]), "root");
  EXPECT_EQ(ClientCount(writer_a_), 1u);
}

TEST_F(CapillaryTest, AnotherOrgsClientIsNotFound) {
  const std::string key = Str(CreateSeedClient().Json()["data"]["clientKey"]);
  const std::string path = std::string(kClients) + "/" + key;
  ExpectError(client().Get(path, Key(writer_b_)), 404, "NOT_FOUND");
  ExpectError(client().Put(path, kSeedUpdate, Key(writer_b_)), 404, "NOT_FOUND");
  ExpectError(client().Delete(path, Key(writer_b_)), 404, "NOT_FOUND");
  ExpectError(client().Post(path + "/secrets/rotate", "{}", Key(writer_b_)), 404, "NOT_FOUND");
  ExpectError(client().Get(std::string(kClients) + "/nosuchclientkey0000000000", Key(writer_a_)),
              404, "NOT_FOUND");
  EXPECT_EQ(ClientCount(writer_b_), 0u);
  HttpResult still = client().Get(path, Key(writer_a_));
  EXPECT_EQ(still.Json()["data"]["isValid"].get_bool().value(), true);
  EXPECT_EQ(Str(still.Json()["data"]["name"]), "NewName3");
}

TEST_F(CapillaryTest, RotationAnswersANewSecretOnce) {
  HttpResult created = CreateSeedClient();
  const std::string key = Str(created.Json()["data"]["clientKey"]);
  const std::string rotate = std::string(kClients) + "/" + key + "/secrets/rotate";
  HttpResult r = client().Post(rotate, R"({"gracePeriodSeconds":3600})", Key(writer_a_));
  EXPECT_EQ(r.status, 200) << r.body;
  const std::string secret = Str(r.Json()["data"]["clientSecret"]);
  EXPECT_TRUE(IsAlnum(secret, 40));
  EXPECT_NE(secret, Str(created.Json()["data"]["clientSecret"]));
  EXPECT_TRUE(std::regex_match(Str(r.Json()["data"]["previousSecretValidUntil"]),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000)")));
  EXPECT_EQ(client().Get(std::string(kClients) + "/" + key, Key(writer_a_)).body.find(secret),
            std::string::npos);
  for (const char* bad : {R"({"gracePeriodSeconds":-1})", R"({"gracePeriodSeconds":2592001})",
                          R"({"gracePeriodSeconds":"60"})", "[1"}) {
    ExpectError(client().Post(rotate, bad, Key(writer_a_)), 400, "INVALID_INPUT");
  }
  ExpectError(client().Post(rotate, "{}", Key(reader_a_)), 403, "FORBIDDEN");
}

// Client credentials at the token endpoint: the old secret works during the grace period only.
TEST_F(CapillaryTest, RotatedSecretsAtTheTokenEndpoint) {
  HttpResult created = CreateSeedClient();
  const std::string key = Str(created.Json()["data"]["clientKey"]);
  const std::string first = Str(created.Json()["data"]["clientSecret"]);
  auto token = [&](const std::string& secret) {
    return client()
        .Post("/oauth/token",
              "grant_type=client_credentials&client_id=" + key + "&client_secret=" + secret,
              {{"Content-Type", "application/x-www-form-urlencoded"}})
        .status;
  };
  if (token(first) == 404) GTEST_SKIP() << "/oauth/token is not served yet";
  EXPECT_EQ(token(first), 200);
  const std::string rotate = std::string(kClients) + "/" + key + "/secrets/rotate";
  HttpResult r = client().Post(rotate, R"({"gracePeriodSeconds":3600})", Key(writer_a_));
  const std::string second = Str(r.Json()["data"]["clientSecret"]);
  EXPECT_EQ(token(first), 200);   // in its grace period
  EXPECT_EQ(token(second), 200);
  r = client().Post(rotate, "{}", Key(writer_a_));  // no grace: only the newest works
  const std::string third = Str(r.Json()["data"]["clientSecret"]);
  EXPECT_EQ(token(first), 401);
  EXPECT_EQ(token(second), 401);
  EXPECT_EQ(token(third), 200);
  client().Delete(std::string(kClients) + "/" + key, Key(writer_a_));
  EXPECT_EQ(token(third), 401);  // a deleted client's credentials fail (item 48)
}

}  // namespace
}  // namespace ihub::e2e
