// UTF-8 helpers shared by the codec: validation and code point counting.
//
// JSON text and decoded form values must be UTF-8; string limits in the API ("256 characters")
// count code points, not bytes.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace ihub {

// Returns the length (1-4) of the well-formed UTF-8 sequence that starts at `p` (with `n` >= 1
// bytes available), or 0 when the bytes there are not well-formed (overlong forms, surrogates,
// code points above U+10FFFF and truncated sequences are all rejected).
size_t Utf8SequenceLength(const unsigned char* p, size_t n);

// True when `s` is entirely well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// Number of code points in `s`. REQUIRES: `s` is valid UTF-8 (otherwise the count is approximate:
// every byte that is not a continuation byte counts as one).
size_t CountCodePoints(std::string_view s);

}  // namespace ihub
