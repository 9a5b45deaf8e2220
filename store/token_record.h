// TokenRecord: one issued OAuth access token, kept by its TokenKey (store/token_format.h) and
// never by its text.
//
// The record is small on purpose (56 bytes, one 64-byte slot of the token table, slot_map.h): a million live
// tokens must fit in about 200 MB at most. It names its client by the client key (a fixed array,
// not a std::string, so there is no heap block per token) rather than copying the client's org
// or scopes: every use of a token reads the client too, so deleting a client or changing its
// scopes takes effect on all its tokens at once without touching them (API-DECISIONS items 30,
// 48). The token has no org listing and no secondary index, for the same memory reason; expired
// tokens are reclaimed in the background by Store::EraseIf, outside the journal (item 37).
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include <cereal/types/array.hpp>

#include "store/records.h"
#include "store/slot_map.h"
#include "store/token_format.h"

namespace ihub {

struct TokenRecord {
  static constexpr std::string_view kKind = "tokens";
  using Key = TokenKey;
  using KeyHash = TokenKeyHash;
  using Indexes = IndexList<>;
  // One cache line per token in memory, found in one probe (slot_map.h).
  using PrimaryMap = SlotMap<TokenRecord, TokenKeyHash>;
  static constexpr size_t kClientKeySize = 25;  // Capillary client keys (API.md §4)

  TokenKey token_key;
  std::array<char, kClientKeySize> client_key{};
  uint8_t entity_mask = 0;  // catalog entities granted (bit i = DefaultCatalog()[i]; item 29)
  bool revoked = false;     // kept with the flag until reclaimed after expiry (item 41)
  // Unix seconds as 32-bit unsigned (good until 2106): 8 bytes less per token, and one million
  // tokens are what this record is sized for.
  uint32_t issued_at_s = 0;
  uint32_t expires_at_s = 0;  // inactive from this second on

  const Key& key() const { return token_key; }
  std::string_view client_key_view() const {
    return std::string_view(client_key.data(), client_key.size());
  }
  // REQUIRES: key.size() == kClientKeySize (callers take it from a ClientRecord).
  void set_client_key(std::string_view key) {
    client_key.fill('\0');
    key.copy(client_key.data(), client_key.size());
  }
  bool expired(int64_t now_s) const { return now_s >= static_cast<int64_t>(expires_at_s); }
  // Clamps a time in seconds into the field's range.
  static uint32_t Seconds(int64_t s) {
    return static_cast<uint32_t>(std::clamp<int64_t>(s, 0, UINT32_MAX));
  }

  // On disk the times stay 64-bit, as in snapshot format v1 (tests/testdata): the narrower
  // in-memory field is a layout choice, not a format change.
  template <typename Archive>
  void save(Archive& ar) const {
    ar(token_key, client_key, entity_mask, revoked, static_cast<int64_t>(issued_at_s),
       static_cast<int64_t>(expires_at_s));
  }
  template <typename Archive>
  void load(Archive& ar) {
    int64_t issued_at = 0;
    int64_t expires_at = 0;
    ar(token_key, client_key, entity_mask, revoked, issued_at, expires_at);
    issued_at_s = Seconds(issued_at);
    expires_at_s = Seconds(expires_at);
  }
};

// How long an expired token is kept so that /v1/authorize can still answer EXPIRED rather than
// NOT_FOUND (item 37).
inline constexpr int64_t kExpiredTokenRetentionSeconds = 3600;

}  // namespace ihub
