// Records: the kinds of data the store keeps, and the schema vocabulary tables are built from.
//
// A record kind is a plain struct with:
//   - `static constexpr std::string_view kKind`: a stable name (metrics, snapshots, counts);
//   - `using Key` / `using KeyHash` and `const Key& key() const`: the primary key;
//   - optionally `list_group() const` (a string or string_view): records with the same group are listed
//     together, ordered by key, with stable cursors (the owning org's id; "" for one global list);
//   - `using Indexes = IndexList<...>`: unique secondary indexes (each a struct with `Key`, `Hash`
//     and `static Key KeyOf(const Record&)`); the index holds a copy of the record, so a lookup
//     through it yields the whole record in one probe;
//   - a cereal `serialize(Archive&)` that lists every field (journal and snapshots).
// Adding a kind: write its struct here, append it to `RecordKinds` at the bottom (append only: the
// position is part of the journal and snapshot format), add an accessor in store.h.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <cereal/types/array.hpp>
#include <cereal/types/string.hpp>

#include "store/secrets.h"
#include "store/sharded_map.h"

namespace ihub {

// Type lists for the schema.
template <typename... Indexes>
struct IndexList {};
template <typename... Records>
struct KindList {};

// "<orgId>:<name>": the key of an index over names unique within an org. Org ids are base62, so
// the first ':' always ends the org id whatever the name holds.
inline std::string OrgScopedKey(std::string_view org_id, std::string_view name) {
  std::string key;
  key.reserve(org_id.size() + 1 + name.size());
  key.append(org_id).push_back(':');
  key.append(name);
  return key;
}

// ---- Permissions of org API keys (API.md §1) ----

enum class Permission : uint32_t {
  kClientRead = 1u << 0,
  kClientWrite = 1u << 1,
  kIntegrationRead = 1u << 2,
  kIntegrationCreate = 1u << 3,
  kIntegrationUpdate = 1u << 4,
  kIntegrationDelete = 1u << 5,
  kManagedIntegrationRead = 1u << 6,
  kManagedIntegrationWrite = 1u << 7,
  kTokenIntrospect = 1u << 8,
};
inline constexpr int kPermissionCount = 9;

inline constexpr std::array<std::string_view, kPermissionCount> kPermissionNames = {
    "CLIENT.READ",          "CLIENT.WRITE",          "INTEGRATION.READ",
    "INTEGRATION.CREATE",   "INTEGRATION.UPDATE",    "INTEGRATION.DELETE",
    "MANAGED_INTEGRATION.READ", "MANAGED_INTEGRATION.WRITE", "TOKEN.INTROSPECT"};

// The permission's wire name ("CLIENT.READ", ...).
inline std::string_view PermissionName(Permission p) {
  return kPermissionNames[std::countr_zero(static_cast<uint32_t>(p))];
}
// The permission for a wire name (exact, case-sensitive), or nullopt.
inline std::optional<Permission> PermissionFromName(std::string_view name) {
  for (int i = 0; i < kPermissionCount; ++i) {
    if (kPermissionNames[i] == name) return static_cast<Permission>(1u << i);
  }
  return std::nullopt;
}
// The wire names of the bits set in `mask`, in the order of the enum.
inline std::vector<std::string_view> PermissionNames(uint32_t mask) {
  std::vector<std::string_view> names;
  for (int i = 0; i < kPermissionCount; ++i) {
    if (mask & (1u << i)) names.push_back(kPermissionNames[i]);
  }
  return names;
}
inline bool HasPermission(uint32_t mask, Permission p) {
  return (mask & static_cast<uint32_t>(p)) != 0;
}

// ---- Orgs ----

struct OrgRecord {
  static constexpr std::string_view kKind = "orgs";
  using Key = std::string;
  using KeyHash = DefaultShardHash;
  using Indexes = IndexList<>;

  std::string id;
  std::string name;
  int64_t created_at_ms = 0;

  const Key& key() const { return id; }
  std::string_view list_group() const { return {}; }  // one global list
  template <typename Archive>
  void serialize(Archive& ar) {
    ar(id, name, created_at_ms);
  }
};

// ---- Org API keys ----

struct ApiKeyRecord;
// Authentication: SHA-256 of the presented key -> the key's record, in one lookup.
struct ApiKeyByHash {
  using Key = Digest;
  using Hash = DigestHash;
  static const Digest& KeyOf(const ApiKeyRecord& r);
};
// Names are unique among an org's keys: OrgScopedKey(org_id, name) -> the key's record.
struct ApiKeyByOrgName {
  using Key = std::string;
  using Hash = DefaultShardHash;
  static std::string KeyOf(const ApiKeyRecord& r);
};

struct ApiKeyRecord {
  static constexpr std::string_view kKind = "api_keys";
  using Key = std::string;
  using KeyHash = DefaultShardHash;
  using Indexes = IndexList<ApiKeyByHash, ApiKeyByOrgName>;

  std::string id;
  std::string org_id;
  std::string name;
  uint32_t permissions = 0;  // bitmask of Permission
  Digest key_hash{};         // Sha256(key); the key itself is never stored
  int64_t created_at_ms = 0;

  const Key& key() const { return id; }
  std::string_view list_group() const { return org_id; }
  template <typename Archive>
  void serialize(Archive& ar) {
    ar(id, org_id, name, permissions, key_hash, created_at_ms);
  }
};

inline const Digest& ApiKeyByHash::KeyOf(const ApiKeyRecord& r) { return r.key_hash; }
inline std::string ApiKeyByOrgName::KeyOf(const ApiKeyRecord& r) {
  return OrgScopedKey(r.org_id, r.name);
}

// Kinds defined in their own headers (included at the bottom, so that each of those headers can
// include this one for the schema vocabulary).
struct ClientRecord;  // store/client_record.h
struct TokenRecord;   // store/token_record.h
struct IntegrationRecord;  // store/integration_record.h
struct VendorRecord;       // store/vendor_record.h
struct OemTokenRecord;     // store/oem_token_record.h

// Every kind the store holds. APPEND ONLY: the order fixes the journal's and snapshots' variant
// indexes (store/mutation.h).
using RecordKinds = KindList<OrgRecord, ApiKeyRecord, ClientRecord, TokenRecord,
                             IntegrationRecord, VendorRecord, OemTokenRecord>;

}  // namespace ihub

#include "store/client_record.h"  // IWYU pragma: export
#include "store/token_record.h"   // IWYU pragma: export
#include "store/integration_record.h"  // IWYU pragma: export
#include "store/vendor_record.h"       // IWYU pragma: export
#include "store/oem_token_record.h"    // IWYU pragma: export
