// HashString: the hash of every string-keyed map in the store (ShardedMap's DefaultShardHash, the
// client table's inline keys, the auth throttle's windows).
//
// XXH3 from xxHash: a 25-character client key, hashed on every token validation and client
// lookup, takes a handful of multiplies instead of boost::hash's (1.81) mixing of one small group
// of bytes at a time, which was about a tenth of an in-cache validation in token_benchmark. It is
// seeded once per process with the kernel's per-process random bytes (AT_RANDOM), so that keys a
// client chooses (a lookup path, a throttled client key) cannot be picked to collide. Its output
// avalanches: ShardedMap uses it without mixing it again.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <sys/auxv.h>

#include <cstdint>
#include <cstring>
#include <string_view>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ihub {

// The process's hash seed: 8 of the 16 random bytes the kernel hands every process at exec.
inline uint64_t StringHashSeed() noexcept {
  static const uint64_t seed = [] {
    uint64_t s = 0x9e3779b97f4a7c15ULL;  // only if the auxiliary vector has no AT_RANDOM
    if (const auto* bytes = reinterpret_cast<const unsigned char*>(getauxval(AT_RANDOM))) {
      std::memcpy(&s, bytes + 8, sizeof s);
    }
    return s;
  }();
  return seed;
}

inline uint64_t HashString(std::string_view s) noexcept {
  return XXH3_64bits_withSeed(s.data(), s.size(), StringHashSeed());
}

}  // namespace ihub
