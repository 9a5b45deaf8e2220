// Secrets: CSPRNG bytes and identifiers, SHA-256 digests, constant-time comparison, hex.
//
// Everything here is backed by OpenSSL 3 (RAND_bytes from the per-thread DRBG; SHA-256 through a
// pre-fetched EVP_MD, which uses the CPU's SHA extensions where present). Formats of ids and keys
// follow API-DECISIONS item 25.
//
// Thread-safety: every function is safe to call from any thread. A CSPRNG failure is not
// recoverable (the process could only hand out guessable secrets), so it aborts the process.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ihub {

// A SHA-256 digest. Secrets (API keys, client secrets, tokens) are stored only as their digest.
using Digest = std::array<uint8_t, 32>;

// Hasher for Digest keys in a ShardedMap: a digest is already uniformly random, so its first
// 8 bytes are the hash (declared avalanching: no extra mixing).
struct DigestHash {
  using is_avalanching = void;
  size_t operator()(const Digest& d) const noexcept {
    uint64_t v;
    std::memcpy(&v, d.data(), sizeof(v));
    return static_cast<size_t>(v);
  }
};

inline constexpr std::string_view kBase62Alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
inline constexpr size_t kIdLength = 22;             // record ids: 22 base62 (~131 bits)
inline constexpr size_t kKeySecretLength = 40;      // random part of API and root keys
inline constexpr std::string_view kApiKeyPrefix = "ihk_";
inline constexpr std::string_view kRootKeyPrefix = "ihub_root_";

// Fills `out` with bytes from OpenSSL's CSPRNG.
void RandomBytes(std::span<uint8_t> out);

// Returns n characters drawn uniformly (rejection sampling, no modulo bias) from kBase62Alphabet.
std::string RandomBase62(size_t n);

// A new record id: kIdLength base62 characters.
std::string NewId();
// A new org API key: "ihk_" + 40 base62. Shown once, then stored only as Sha256(key).
std::string NewApiKey();
// A new root key: "ihub_root_" + 40 base62.
std::string NewRootKey();

// SHA-256 of `data`.
Digest Sha256(std::string_view data);

// True when a and b are equal, in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
bool ConstantTimeEquals(const Digest& a, const Digest& b);

// True when s is non-empty and every character is in kBase62Alphabet.
bool IsBase62(std::string_view s);

// Lower-case hex of `bytes`.
std::string HexEncode(std::span<const uint8_t> bytes);
inline std::string HexEncode(const Digest& d) { return HexEncode(std::span<const uint8_t>(d)); }

// Parses exactly 64 hex digits (either case) into a digest; nullopt otherwise.
std::optional<Digest> DigestFromHex(std::string_view hex);

}  // namespace ihub
