// Requests: the bytes of each HTTP request ihub-bench sends, for seeding and for every scenario.
//
// Each function appends one complete HTTP/1.1 request (keep-alive, with Host and
// Content-Length) to `out`. The driver keeps one buffer per connection and appends into it, so
// building a request is a few memcpy calls and no allocation once the buffer has grown.
//
// Thread-safety: RequestBuilder is read-only after construction and shared by all threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tools/ihub_bench/dataset.h"
#include "tools/ihub_bench/options.h"

namespace ihub::bench {

class RequestBuilder {
 public:
  // REQUIRES: `data` outlives the builder. `host_header` is the value of Host ("127.0.0.1:8080").
  RequestBuilder(const Dataset& data, std::string host_header);

  // Hot-path requests; indexes are taken modulo the dataset's sizes.
  void Introspect(uint64_t token_index, std::string* out) const;  // POST /oauth/introspect
  void Authorize(uint64_t token_index, std::string* out) const;   // POST /v1/authorize
  void ClientGet(uint64_t client_index, std::string* out) const;  // GET /v3/integrations/clients/{k}
  void IssueToken(uint64_t client_index, std::string* out) const; // POST /oauth/token (Basic)

  // Seeding requests.
  void CreateOrg(std::string_view root_key, uint64_t i, std::string* out) const;
  void CreateApiKey(std::string_view root_key, std::string_view org_id, std::string* out) const;
  void CreateClient(std::string_view org_key, uint64_t i, int64_t ttl_s, std::string* out) const;

  // The HTTP Basic credential of client `i`, base64 of "key:secret".
  std::string_view BasicCredential(uint64_t i) const { return basic_[i]; }

 private:
  void Start(std::string_view method, std::string_view path, std::string* out) const;
  void Header(std::string_view name, std::string_view value, std::string* out) const;
  void Body(std::string_view content_type, std::string_view a, std::string_view b,
            std::string_view c, std::string* out) const;

  const Dataset& data_;
  std::string host_header_;
  StringTable basic_;  // per client
};

}  // namespace ihub::bench
