// The Capillary create-client request (seed 001) read with the codec, as a handler would: shared
// by the codec tests and bench/codec_benchmark.cc so both exercise the same schema.
//
// Thread-safety: as ReadJsonObject.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/json_reader.h"

namespace ihub::testing_schema {

struct Scope {
  int64_t entity_id = 0;
  std::string permission;
  std::vector<std::string> resources;
};

struct CreateClient {
  std::string name, description;
  int64_t ttl = 0;
  int64_t till = 0;
  std::vector<Scope> scopes;
};

// The seed's sample request, verbatim (odd indentation and blank lines included).
inline constexpr std::string_view kSeedCreateClientBody = R"({
  "description": "Sample description",
  "name": "NewName3",
  "expirationTokenTime": 600,
  "defaultTillId": 15000449,
  "scopes": [
    {
      "entityId": 1,
      "permission": "READWRITE",
      "resources": [
        ".*v3/targetGroups.*"
      ]
    },
     {
      "entityId": 2,
      "permission": "WRITE",
      "resources": [
        
      ]
    }
]
}
)";

// At most 3 scopes, so tests can provoke kTooMany with a short body.
inline Status ReadCreateClient(std::string_view body, CreateClient& req, FieldErrors& errors) {
  return ReadJsonObject(body, errors, [&](ObjectReader& o) {
    o.String("name", {.required = true, .min_len = 1}, req.name);
    o.String("description", {.required = true}, req.description);
    o.Int64("expirationTokenTime", {.required = true, .min = 1, .max = 31536000}, req.ttl);
    o.Int64("defaultTillId", {.required = true, .min = 0}, req.till);
    o.Array("scopes", {.required = true, .max_items = 3}, [&](JsonValueReader& item) {
      Scope& s = req.scopes.emplace_back();
      item.Object([&](ObjectReader& so) {
        so.Int64("entityId", {.required = true}, s.entity_id);
        so.Enum("permission", {.required = true, .allowed = {"READ", "WRITE", "READWRITE"}},
                s.permission);
        so.StringArray("resources", {.required = true}, {.max_len = 1024}, s.resources);
      });
    });
  });
}

}  // namespace ihub::testing_schema
