// Word-at-a-time byte tests ("SIMD within a register") for the codec's scanning loops: the
// common case (plain ASCII with nothing to escape or decode) advances 8 bytes per step.
//
// The zero-byte test may also flag a byte just above a real match (borrow propagation); callers
// only use a flagged word to fall back to the byte-wise path, so that is harmless.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <cstring>

namespace ihub::swar {

inline constexpr uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kHighs = 0x8080808080808080ULL;

inline uint64_t Load(const unsigned char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof(w));
  return w;
}

// Non-zero when some byte of `w` is zero.
inline uint64_t HasZero(uint64_t w) { return (w - kOnes) & ~w & kHighs; }
// Non-zero when some byte of `w` equals `c`.
inline uint64_t HasByte(uint64_t w, unsigned char c) { return HasZero(w ^ (kOnes * c)); }
// Non-zero when some byte of `w` is below `n` (n <= 128).
inline uint64_t HasLess(uint64_t w, unsigned char n) { return (w - kOnes * n) & ~w & kHighs; }
// Non-zero when some byte of `w` is 0x80 or above.
inline uint64_t HasHigh(uint64_t w) { return w & kHighs; }

}  // namespace ihub::swar
