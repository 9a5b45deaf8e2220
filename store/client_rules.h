// Client rules: what a Capillary v3 client create (POST), update (PUT) and secret rotation may
// carry, read from the request body in one pass and validated (API-DECISIONS items 46, 47,
// 51-55), and the numeric id of a new client (item 58).
//
// Reading never touches the store: the scopes are compiled here, once per write, so the write
// body under the store's writer mutex only checks state and stages the record.
//
// Thread-safety: the functions are pure (each thread uses its own JSON parser).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/json_reader.h"
#include "store/client_record.h"
#include "store/scopes.h"
#include "store/status.h"
#include "store/store.h"

namespace ihub {

inline constexpr size_t kClientKeyLength = 25;     // alphanumerics, as in the seed
inline constexpr size_t kClientSecretLength = 40;  // alphanumerics, as in the seed
inline constexpr size_t kClientNameMaxLength = 256;
inline constexpr size_t kClientDescriptionMaxLength = 1024;
inline constexpr int64_t kMaxExpirationTokenTime = 31'536'000;  // one year, in seconds
inline constexpr int64_t kMaxGracePeriodSeconds = 30LL * 24 * 3600;

// The fields a create or update sets. On update an absent name or description keeps the old
// value (item 55); scopes are always replaced wholesale.
struct ClientFields {
  std::optional<std::string> name;
  std::optional<std::string> description;
  int64_t expiration_token_time = 0;
  int64_t default_till_id = 0;
  std::vector<ScopeEntry> scopes;
  std::shared_ptr<const CompiledScopes> compiled;  // `scopes`, compiled
};

enum class ClientWrite { kCreate, kUpdate };

// Reads a POST (kCreate: name, description required) or PUT (kUpdate: both optional) body;
// expirationTokenTime, defaultTillId and scopes (each {entityId, permission, resources}) are
// required in both. Every invalid field is added to `errors` (a body that is not a JSON object
// leaves one malformed error). Returns InvalidArgument when `errors` is not empty; then `out`
// must not be used. On ok, out.compiled holds the compiled scopes.
Status ReadClientFields(std::string_view body, ClientWrite kind, FieldErrors& errors,
                        ClientFields& out);

// Copies `fields` into `record` (keeping name/description when absent) and stamps the change.
void ApplyClientFields(ClientFields fields, const Attribution& by, int64_t now_ms,
                       ClientRecord& record);

// Reads a rotation body {gracePeriodSeconds}: optional, 0 to 30 days, default 0. An empty body
// counts as {}. Returns InvalidArgument with `errors` filled otherwise.
Status ReadRotateRequest(std::string_view body, FieldErrors& errors, int64_t& grace_seconds);

// Makes `new_secret_hash` the client's secret; the old one keeps matching until
// now_ms + grace_seconds * 1000. Only one previous secret is kept, so an older one still in its
// grace period stops matching at once (item 47).
void RotateClientSecret(const Digest& new_secret_hash, int64_t grace_seconds, int64_t now_ms,
                        const Attribution& by, ClientRecord& record);


// The id of a client created now: one more than the number of clients (they are never erased).
// REQUIRES: called inside a Store::Write body (the writer mutex keeps the count still) that
// creates exactly one client.
inline int64_t NextClientId(const Store& store) {
  return static_cast<int64_t>(store.clients().size()) + 1;
}

}  // namespace ihub
