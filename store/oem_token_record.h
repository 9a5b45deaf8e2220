// OemTokenRecord: an `organizationOemToken` (API.md §1, API-DECISIONS items 81, 82): issued by an
// org to one partner API client, it lets that client act on the org's OEM integrations. Kept only
// by the SHA-256 of the token, so one probe by digest authenticates it; the token text exists only
// in the answer that issued it. Tokens never expire and are not revocable (item 82).
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <cereal/types/array.hpp>
#include <cereal/types/string.hpp>

#include "store/records.h"
#include "store/secrets.h"

namespace ihub {

inline constexpr std::string_view kOemTokenPrefix = "ihoem_";
inline constexpr size_t kOemTokenRandomLength = 44;  // base62, ~262 bits

struct OemTokenRecord {
  static constexpr std::string_view kKind = "oem_tokens";
  using Key = Digest;  // Sha256(token)
  using KeyHash = DigestHash;
  using Indexes = IndexList<>;

  Digest token_hash{};
  std::string org_id;      // the org that issued it
  std::string client_key;  // the partner's API client (any org's, item 60)
  std::string created_by;  // CRN of the issuing caller
  int64_t created_at_ms = 0;

  const Key& key() const { return token_hash; }

  template <typename Archive>
  void serialize(Archive& ar) {
    ar(token_hash, org_id, client_key, created_by, created_at_ms);
  }
  bool operator==(const OemTokenRecord&) const = default;
};

}  // namespace ihub
