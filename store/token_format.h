// Token format: ihub's opaque OAuth access tokens and the key they are stored under.
//
// A token is "ihat_" + 44 base62 characters drawn from the CSPRNG (44 * log2(62) ≈ 262 bits) + a
// 6-character base62 checksum: the CRC32C of the 49 characters before it, written as a fixed-width
// base62 number (62^6 > 2^32). The checksum lets a mistyped, truncated or made-up token be refused
// without touching the store; it is not a signature (anyone can compute it, API-DECISIONS item 36).
//
// The store never holds a token, only a TokenKey: the first 16 bytes of SHA-256(token). The token
// has more than 256 bits of entropy, so the digest cannot be inverted, and 128 bits make an
// accidental collision between two live tokens negligible. SHA-256 output is uniformly random, so
// the key's low 64 bits serve directly as a hash table's (avalanching) hash.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ihub {

inline constexpr std::string_view kAccessTokenPrefix = "ihat_";
inline constexpr size_t kAccessTokenRandomLength = 44;
inline constexpr size_t kAccessTokenChecksumLength = 6;
inline constexpr size_t kAccessTokenLength =
    kAccessTokenPrefix.size() + kAccessTokenRandomLength + kAccessTokenChecksumLength;  // 55

// The store key of a token: the first 16 bytes of SHA-256(token), as two words.
struct TokenKey {
  uint64_t lo = 0;
  uint64_t hi = 0;

  bool operator==(const TokenKey&) const = default;
  template <typename Archive>
  void serialize(Archive& ar) {
    ar(lo, hi);
  }
};

// ShardedMap hasher for TokenKey: the bytes are already uniformly random, so `lo` is the hash
// (declared avalanching: no extra mixing).
struct TokenKeyHash {
  using is_avalanching = void;
  size_t operator()(const TokenKey& k) const noexcept { return static_cast<size_t>(k.lo); }
};

// A new access token (CSPRNG; aborts the process if the CSPRNG fails, as secrets.h does).
std::string NewAccessToken();

// True when `token` has the exact shape above and its checksum matches. Cheap (no hashing beyond
// a hardware CRC32C of 49 bytes) and allocation-free: the gate before any store access.
bool IsWellFormedAccessToken(std::string_view token);

// The store key of `token`. REQUIRES nothing of `token` (any bytes hash), but callers check
// IsWellFormedAccessToken first so that malformed input never reaches the store. Allocation-free.
TokenKey TokenKeyOf(std::string_view token);

}  // namespace ihub
