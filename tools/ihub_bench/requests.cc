#include "tools/ihub_bench/requests.h"

#include <charconv>

#include "codec/form.h"

namespace ihub::bench {
namespace {

constexpr std::string_view kForm = "application/x-www-form-urlencoded";
constexpr std::string_view kJson = "application/json";
// The path /v1/authorize asks about: entity 2 (All) grants every path, so a valid token of a
// seeded client is allowed and the server does the whole decision.
constexpr std::string_view kAuthorizeTail = R"(","method":"GET","path":"/v3/targetGroups/1"})";

void AppendNumber(uint64_t v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, end);
}

}  // namespace

RequestBuilder::RequestBuilder(const Dataset& data, std::string host_header)
    : data_(data), host_header_(std::move(host_header)) {
  basic_.Reserve(data.clients(), data.clients() * 92);
  std::string pair;
  for (size_t i = 0; i < data.clients(); ++i) {
    // RFC 6749 §2.3.1 form-encodes both parts first; ihub's keys and secrets are alphanumeric.
    pair.assign(data.client_keys[i]).append(":").append(data.client_secrets[i]);
    basic_.Add(Base64Encode(pair));
  }
}

void RequestBuilder::Start(std::string_view method, std::string_view path, std::string* out) const {
  out->append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: ");
  out->append(host_header_).append("\r\n");
}

void RequestBuilder::Header(std::string_view name, std::string_view value, std::string* out) const {
  out->append(name).append(": ").append(value).append("\r\n");
}

// Ends the headers and appends the body a+b+c.
void RequestBuilder::Body(std::string_view content_type, std::string_view a, std::string_view b,
                          std::string_view c, std::string* out) const {
  Header("Content-Type", content_type, out);
  out->append("Content-Length: ");
  AppendNumber(a.size() + b.size() + c.size(), out);
  out->append("\r\n\r\n").append(a).append(b).append(c);
}

void RequestBuilder::Introspect(uint64_t token_index, std::string* out) const {
  const size_t t = token_index % data_.token_count();
  Start("POST", "/oauth/introspect", out);
  Header("X-Api-Key", data_.org_keys[data_.client_org[data_.token_client[t]]], out);
  // Tokens are base62 with '_', all unreserved in a form body: no escaping needed.
  Body(kForm, "token=", data_.tokens[t], {}, out);
}

void RequestBuilder::Authorize(uint64_t token_index, std::string* out) const {
  const size_t t = token_index % data_.token_count();
  Start("POST", "/v1/authorize", out);
  Header("X-Api-Key", data_.org_keys[data_.client_org[data_.token_client[t]]], out);
  Body(kJson, R"({"token":")", data_.tokens[t], kAuthorizeTail, out);
}

void RequestBuilder::ClientGet(uint64_t client_index, std::string* out) const {
  const size_t c = client_index % data_.clients();
  out->append("GET /v3/integrations/clients/").append(data_.client_keys[c]);
  out->append(" HTTP/1.1\r\nHost: ").append(host_header_).append("\r\n");
  Header("X-Api-Key", data_.org_keys[data_.client_org[c]], out);
  out->append("\r\n");
}

void RequestBuilder::IssueToken(uint64_t client_index, std::string* out) const {
  const size_t c = client_index % data_.clients();
  Start("POST", "/oauth/token", out);
  out->append("Authorization: Basic ").append(basic_[c]).append("\r\n");
  Body(kForm, "grant_type=client_credentials", {}, {}, out);
}

void RequestBuilder::CreateOrg(std::string_view root_key, uint64_t i, std::string* out) const {
  Start("POST", "/admin/v1/orgs", out);
  Header("X-Api-Key", root_key, out);
  std::string name = "bench-org-" + std::to_string(i);
  Body(kJson, R"({"name":")", name, R"("})", out);
}

void RequestBuilder::CreateApiKey(std::string_view root_key, std::string_view org_id,
                                  std::string* out) const {
  std::string path = "/admin/v1/orgs/";
  path.append(org_id).append("/api-keys");
  Start("POST", path, out);
  Header("X-Api-Key", root_key, out);
  Body(kJson,
       R"({"name":"ihub-bench","permissions":["CLIENT.READ","CLIENT.WRITE","TOKEN.INTROSPECT"]})",
       {}, {}, out);
}

void RequestBuilder::CreateClient(std::string_view org_key, uint64_t i, int64_t ttl_s,
                                  std::string* out) const {
  Start("POST", "/v3/integrations/clients", out);
  Header("X-Api-Key", org_key, out);
  std::string body = R"({"name":"bench-client-)" + std::to_string(i) +
                     R"(","description":"ihub-bench","expirationTokenTime":)" +
                     std::to_string(ttl_s) +
                     R"(,"defaultTillId":0,"scopes":[{"entityId":2,"permission":"READWRITE","resources":[]}]})";
  Body(kJson, body, {}, {}, out);
}

}  // namespace ihub::bench
