// Secrets at rest (API.md §1, §4; API-DECISIONS items 68, 109, 110): third-party secrets sent to
// the Solvimon and OEM APIs never appear in plain text in the data dir (snapshot or journal), in
// the logs, or in any answer after their creation; OEM tokens are kept as hashes. And the
// integration kinds survive a restart from the journal alone (kill -9) and from a snapshot.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/e2e/oauth_fixture.h"

namespace ihub::e2e {
namespace {

constexpr std::string_view kMarker = "S3CRET-MARKER-9d41b7";
constexpr std::string_view kOemMarker = "OEM-CRED-MARKER-51c2e0";

std::string Str(simdjson::dom::element e) {
  std::string_view s;
  return e.get_string().get(s) == simdjson::SUCCESS ? std::string(s) : std::string("<not a string>");
}

// Every file under `dir` whose bytes contain `needle`.
std::vector<std::string> FilesContaining(const std::string& dir, std::string_view needle) {
  std::vector<std::string> hits;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) hits.push_back(entry.path().string());
  }
  return hits;
}

class SecretsAtRestTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    key_ = {{"X-API-KEY", CreateApiKey(org_, R"(["INTEGRATION.READ","INTEGRATION.CREATE",)"
                                             R"("INTEGRATION.UPDATE"])")}};
    partner_ = CreateClient(CreateOrg("partner"));
    HttpResult t = c().Post("/admin/v1/orgs/" + org_ + "/oem-tokens",
                            R"({"clientKey":")" + partner_.key + "\"}", Root());
    ASSERT_EQ(t.status, 201) << t.body;
    oem_token_ = Str(t.Json()["organizationOemToken"]);
    HttpResult v = c().Post("/admin/v1/vendors", R"({"name":"v","integrationType":"custom_hosted",
        "integrationCredentialTemplate":{"api key":"","api user":""}})", Root());
    ASSERT_EQ(v.status, 201) << v.body;
    vendor_ = Str(v.Json()["id"]);
  }
  std::string Partner(std::string_view extra) const {
    return R"({"clientId":")" + partner_.key + R"(","clientSecret":")" + partner_.secret +
           R"(","grantType":"client_credentials","scope":"vendor_manage","organizationOemToken":")" +
           oem_token_ + "\"" + std::string(extra) + "}";
  }
  // Creates one integration of each family holding the markers; returns the Solvimon id.
  std::string CreateBoth() {
    HttpResult s = c().Post("/v1/integrations", R"({"reference":"r","name":"n","description":"d",
        "type":"TAX_CALCULATION","linked_resources_configurations":[],
        "authentication":{"token":")" + std::string(kMarker) + R"(","deep":[")" + std::string(kMarker) + R"("]}})", key_);
    EXPECT_EQ(s.status, 201) << s.body;
    answers_.push_back(s.body);
    HttpResult o = c().Post("/api/oem-api/integration",
                            Partner(R"(,"data":{"vendorId":")" + vendor_ +
                                    R"(","integrationCredentials":{"api key":")" +
                                    std::string(kOemMarker) + R"(","api user":"u"}})"));
    EXPECT_EQ(o.status, 201) << o.body;
    answers_.push_back(o.body);
    return Str(s.Json()["id"]);
  }
  // Every read the two APIs offer, appended to answers_; returns them joined for comparison.
  std::string ReadEverything(const std::string& id) {
    std::string all;
    for (HttpResult r : {c().Get("/v1/integrations/" + id, key_), c().Get("/v1/integrations", key_),
                         c().Post("/api/oem-api/integration/list", Partner("")),
                         c().Get("/admin/v1/vendors", Root())}) {
      EXPECT_EQ(r.status, 200) << r.body;
      answers_.push_back(r.body);
      all += r.body + "\n";
    }
    return all;
  }
  void ExpectNoMarkerAnywhere() {
    for (std::string_view marker : {kMarker, kOemMarker, std::string_view(oem_token_)}) {
      EXPECT_EQ(FilesContaining(server_.data_dir(), marker), std::vector<std::string>{}) << marker;
      EXPECT_EQ(server_.Logs().find(marker), std::string::npos) << marker;
      for (const std::string& a : answers_) EXPECT_EQ(a.find(marker), std::string::npos) << a;
    }
  }

  Headers key_;
  ClientCreds partner_;
  std::string oem_token_, vendor_;
  std::vector<std::string> answers_;
};

TEST_F(SecretsAtRestTest, NoPlainSecretInDataDirLogsOrAnswers) {
  const std::string id = CreateBoth();
  ReadEverything(id);
  // A PUT that sends the masks back (item 69), and its answer.
  HttpResult put = c().Put("/v1/integrations/" + id, R"({"reference":"r","name":"n2","description":"d",
      "type":"TAX_CALCULATION","linked_resources_configurations":[],
      "authentication":{"token":"********","deep":["********"]}})", key_);
  ASSERT_EQ(put.status, 200) << put.body;
  answers_.push_back(put.body);
  HttpResult snap = c().Post("/admin/v1/snapshots", "", Root());
  ASSERT_EQ(snap.status, 201) << snap.body;
  ASSERT_FALSE(std::filesystem::is_empty(server_.data_dir() + "/snapshots"));
  // The grep does see what is stored in plain text (non-secret fields), so its silence counts.
  EXPECT_FALSE(FilesContaining(server_.data_dir(), "TAX_CALCULATION").empty());
  ExpectNoMarkerAnywhere();
  ASSERT_EQ(server_.Stop(SIGTERM), 0);  // the final snapshot too
  ExpectNoMarkerAnywhere();
}

TEST_F(SecretsAtRestTest, IntegrationKindsSurviveJournalAndSnapshotRestarts) {
  const std::string id = CreateBoth();
  const std::string before = ReadEverything(id);
  // kill -9: only the journal has the writes.
  ASSERT_TRUE(server_.Restart(SIGKILL)) << server_.Logs();
  client_ = std::make_unique<HttpClient>(server_.Client());
  ASSERT_TRUE(WaitReady());
  EXPECT_EQ(ReadEverything(id), before);
  // The OEM token still authenticates (its hash survived), and the sealed credentials still open:
  // a PATCH re-seals under the same record id.
  HttpResult patch = c().Patch("/api/oem-api/integration/" +
                                   Str(c().Post("/api/oem-api/integration/list", Partner(""))
                                           .Json()["integrations"].at(0)["id"]),
                               Partner(R"(,"data":{"integrationCredentials":{"api key":"k2","api user":"u2"}})"));
  EXPECT_EQ(patch.status, 200) << patch.body;
  // SIGTERM: a snapshot carries everything.
  ASSERT_TRUE(Restart()) << server_.Logs();
  EXPECT_EQ(ReadEverything(id), before);
  ExpectNoMarkerAnywhere();
}

}  // namespace
}  // namespace ihub::e2e
