// OAuthFixture: an ihubd with the test clock enabled, plus helpers that set up what the OAuth
// and authorize tests need through the public API (org, org API keys, Capillary clients, tokens).
// Shared by oauth_test.cc and authorize_test.cc.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <string_view>
#include <vector>

#include "codec/form.h"
#include "tests/e2e/e2e_harness.h"

namespace ihub::e2e {

struct ClientCreds {
  std::string key;
  std::string secret;
};

// The seed's create body: TargetGroups READWRITE on .*v3/targetGroups.*, All WRITE everywhere.
inline constexpr std::string_view kSeedClientBody = R"({
  "description": "Sample description", "name": "NewName3", "expirationTokenTime": 600,
  "defaultTillId": 15000449,
  "scopes": [{"entityId": 1, "permission": "READWRITE", "resources": [".*v3/targetGroups.*"]},
             {"entityId": 2, "permission": "WRITE", "resources": []}]})";

class OAuthFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok()) << server_.Logs();
    client_ = std::make_unique<HttpClient>(server_.Client());
    ASSERT_TRUE(WaitReady()) << server_.Logs();
    org_ = CreateOrg("acme");
    ASSERT_FALSE(org_.empty());
  }

  // The server restores in the background and answers 503 until then (item 111).
  bool WaitReady() {
    for (int i = 0; i < 500; ++i) {
      if (c().Get("/readyz").status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  // Restarts the daemon on the same data dir and reconnects.
  bool Restart() {
    client_->Close();
    if (!server_.Restart(SIGTERM)) return false;
    client_ = std::make_unique<HttpClient>(server_.Client());
    return WaitReady();
  }

  HttpClient& c() { return *client_; }
  Headers Root() const { return {{"X-Api-Key", server_.root_key()}}; }
  Headers RootIn(const std::string& org) const {
    return {{"X-Api-Key", server_.root_key()}, {"x-platform-id", org}};
  }

  std::string CreateOrg(std::string_view name) {
    HttpResult r = c().Post("/admin/v1/orgs", std::string(R"({"name":")") + std::string(name) + "\"}",
                            Root());
    EXPECT_EQ(r.status, 201) << r.body;
    auto id = r.Json()["id"].get_string();
    return id.error() ? std::string() : std::string(id.value());
  }

  // An org API key with `permissions` (a JSON array text).
  std::string CreateApiKey(const std::string& org, std::string_view permissions) {
    static int n = 0;
    HttpResult r = c().Post("/admin/v1/orgs/" + org + "/api-keys",
                            R"({"name":"k)" + std::to_string(++n) + R"(","permissions":)" +
                                std::string(permissions) + "}",
                            Root());
    EXPECT_EQ(r.status, 201) << r.body;
    auto key = r.Json()["key"].get_string();
    return key.error() ? std::string() : std::string(key.value());
  }

  ClientCreds CreateClient(const std::string& org, std::string_view body = kSeedClientBody) {
    HttpResult r = c().Post("/v3/integrations/clients", body, RootIn(org));
    EXPECT_EQ(r.status, 200) << r.body;
    auto data = r.Json()["data"];
    auto key = data["clientKey"].get_string();
    auto secret = data["clientSecret"].get_string();
    if (key.error() || secret.error()) return {};
    return {std::string(key.value()), std::string(secret.value())};
  }

  // "Basic base64(urlencode(id):urlencode(secret))" as RFC 6749 §2.3.1 has clients send it.
  static std::string Basic(std::string_view id, std::string_view secret) {
    return "Basic " + Base64Encode(FormEncode(id) + ":" + FormEncode(secret));
  }
  static std::string FormEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char ch : s) {
      if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
        out.push_back(static_cast<char>(ch));
      } else if (ch == ' ') {
        out.push_back('+');
      } else {
        out.push_back('%');
        out.push_back(kHex[ch >> 4]);
        out.push_back(kHex[ch & 15]);
      }
    }
    return out;
  }
  static Headers Form(Headers extra = {}) {
    extra.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return extra;
  }

  HttpResult TokenRequest(const ClientCreds& cl, std::string_view extra_form = "") {
    std::string body = "grant_type=client_credentials";
    if (!extra_form.empty()) body += "&" + std::string(extra_form);
    return c().Post("/oauth/token", body, Form({{"Authorization", Basic(cl.key, cl.secret)}}));
  }
  std::string IssueToken(const ClientCreds& cl, std::string_view extra_form = "") {
    HttpResult r = TokenRequest(cl, extra_form);
    EXPECT_EQ(r.status, 200) << r.body;
    auto t = r.Json()["access_token"].get_string();
    return t.error() ? std::string() : std::string(t.value());
  }

  void AdvanceClock(int64_t seconds) {
    HttpResult r = c().Post("/admin/v1/test/clock",
                            R"({"advanceSeconds":)" + std::to_string(seconds) + "}", Root());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  TestServer server_{{.args = {"--threads", "2"}, .env = {{"IHUB_TEST_CLOCK", "1"}}, .data_dir = {}}};
  std::unique_ptr<HttpClient> client_;
  std::string org_;
};

}  // namespace ihub::e2e
