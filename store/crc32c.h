// CRC32C (Castagnoli): the checksum of journal records and snapshot payloads.
//
// Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at run
// time) and a table-driven portable loop otherwise; both give the same values.
// Stored checksums are masked (see MaskCrc) so that a CRC computed over bytes
// that themselves contain a CRC does not degenerate.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ihub::crc32c {

// Returns the CRC32C of `data` appended to a stream whose CRC so far is
// `crc` (0 for an empty stream). Extend(Extend(0, a), b) == Value(a + b).
uint32_t Extend(uint32_t crc, const void* data, size_t n);

inline uint32_t Value(std::string_view data) { return Extend(0, data.data(), data.size()); }

// The table-driven implementation, always available; exposed so tests can
// compare it with the hardware path.
uint32_t ExtendPortable(uint32_t crc, const void* data, size_t n);

// True when Extend uses the SSE4.2 instruction on this machine.
bool HardwareAccelerated();

// Masked form that goes on disk. Unmask(Mask(c)) == c.
constexpr uint32_t kMaskDelta = 0xa282ead8u;
constexpr uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
constexpr uint32_t Unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace ihub::crc32c
