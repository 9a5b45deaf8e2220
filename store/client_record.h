// ClientRecord: a Capillary v3 API client (seed 001): an org's OAuth client with its scopes, the
// SHA-256 of its secret (and of the previous secret during a rotation's grace period), and the
// attribution of who created and last changed it (API-DECISIONS items 47, 56-58).
//
// The compiled form of the scopes (`compiled`) is derived data: it is never serialized, and is
// rebuilt with CompiledScopes::Compile whenever a record is loaded from the journal or a snapshot,
// so the hot path (token validation, authorize) never compiles a pattern.
//
// Thread-safety: plain values; `compiled` points to an immutable CompiledScopes that copies of the
// record share and that any thread may read.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <cereal/types/array.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "store/records.h"
#include "store/scopes.h"
#include "store/secrets.h"
#include "store/sharded_map.h"

namespace ihub {

// Who created or last changed a client (item 57): for an API key its id, CRN and name with type
// "API_KEY"; for the root key id "root" and type "ROOT_KEY"; for a Bearer client its numeric id,
// key and type "API_CLIENT".
struct Attribution {
  std::string id;
  std::string code;
  std::string name;
  std::string type;

  template <typename Archive>
  void serialize(Archive& ar) {
    ar(id, code, name, type);
  }
  bool operator==(const Attribution&) const = default;
};

struct ClientRecord {
  static constexpr std::string_view kKind = "clients";
  using Key = std::string;  // the 25-character clientKey
  using KeyHash = DefaultShardHash;
  using Indexes = IndexList<>;

  // Server-wide sequence from 1 (item 58). Clients are never erased (DELETE is a soft delete,
  // item 56), so the next id is the number of clients + 1, read inside the creating write body.
  int64_t id = 0;
  std::string org_id;
  std::string client_key;
  std::string name;
  std::string description;
  int64_t expiration_token_time = 0;  // seconds a token of this client lives
  int64_t default_till_id = 0;
  bool is_valid = true;  // false after DELETE (soft delete, item 56); never true again
  std::vector<ScopeEntry> scopes;
  Digest secret_hash{};  // Sha256(secret); the secret itself is never stored
  // The secret replaced by the last rotation stays usable until this instant (item 47).
  Digest previous_secret_hash{};
  int64_t previous_secret_valid_until_ms = 0;
  int64_t created_on_ms = 0;
  int64_t last_updated_on_ms = 0;
  Attribution created_by;
  Attribution last_updated_by;
  // `scopes` compiled; NOT serialized. Null only if a loaded record's scopes no longer compile
  // (then the client is granted nothing).
  std::shared_ptr<const CompiledScopes> compiled;

  const Key& key() const { return client_key; }
  std::string_view list_group() const { return org_id; }

  // True when `presented_hash` (Sha256 of a presented secret) is the current secret's, or the
  // previous secret's while now_ms is before its grace deadline. Both digests are always compared,
  // in constant time, so the timing says nothing about which one matched.
  bool SecretMatches(const Digest& presented_hash, int64_t now_ms) const {
    const bool current = ConstantTimeEquals(presented_hash, secret_hash);
    const bool previous = ConstantTimeEquals(presented_hash, previous_secret_hash);
    return current | (previous & (now_ms < previous_secret_valid_until_ms));
  }

  // Recompiles `compiled` from `scopes`. Returns the compile error (naming the field) if any.
  Status Recompile() {
    auto result = CompiledScopes::Compile(std::span<const ScopeEntry>(scopes));
    if (!result.ok()) {
      compiled = nullptr;
      return result.status();
    }
    compiled = std::move(result).value();
    return Status::Ok();
  }

  template <typename Archive>
  void save(Archive& ar) const {
    ar(id, org_id, client_key, name, description, expiration_token_time, default_till_id,
       is_valid, scopes, secret_hash, previous_secret_hash, previous_secret_valid_until_ms,
       created_on_ms, last_updated_on_ms, created_by, last_updated_by);
  }
  template <typename Archive>
  void load(Archive& ar) {
    ar(id, org_id, client_key, name, description, expiration_token_time, default_till_id,
       is_valid, scopes, secret_hash, previous_secret_hash, previous_secret_valid_until_ms,
       created_on_ms, last_updated_on_ms, created_by, last_updated_by);
    // Scopes were validated when written; a failure here would mean RE2 changed its limits. The
    // client then grants nothing rather than the load failing.
    (void)Recompile();
  }
};

}  // namespace ihub
