#include "codec/json_writer.h"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "codec/swar.h"
#include "codec/utf8.h"

namespace ihub {
namespace {

using json_detail::kEscape;
constexpr char kHex[] = "0123456789abcdef";

// True when any of the 8 bytes of `w` needs escaping or UTF-8 validation: below 0x20, '"', '\\',
// DEL, or 0x80 and above.
inline bool WordNeedsWork(uint64_t w) {
  return (swar::HasLess(w, 0x20) | swar::HasByte(w, '"') | swar::HasByte(w, '\\') |
          swar::HasByte(w, 0x7F) | swar::HasHigh(w)) != 0;
}

template <typename T>
std::string_view FormatNumber(char (&buf)[32], T value) {
  const auto r = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
}

// Index of the first byte at or after `i` that needs escaping or UTF-8 validation, or `n`.
size_t SkipPlain(const unsigned char* p, size_t i, size_t n) {
#if defined(__SSE2__)
  // 16 bytes per step. The compare is signed, so bytes >= 0x80 count as "below 0x20" too: both
  // need work. The first flagged byte is found exactly, so no byte-wise pass follows.
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i del = _mm_set1_epi8(0x7F);
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i work = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, quote)),
                                      _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, del)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(work));
    if (mask != 0) return i + static_cast<size_t>(std::countr_zero(mask));
    i += 16;
  }
#endif
  while (i + 8 <= n && !WordNeedsWork(swar::Load(p + i))) i += 8;
  while (i < n && kEscape[p[i]] == 0) ++i;
  return i;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view value) {
  const auto* p = reinterpret_cast<const unsigned char*>(value.data());
  const size_t n = value.size();
  size_t i = SkipPlain(p, 0, n);
  if (i == n) {
    // Most strings (ids, names, keys) need no escaping: quotes around one copy.
    out.push_back('"');
    if (n != 0) out.append(value.data(), n);  // an empty view may hold a null pointer
    out.push_back('"');
    return;
  }
  out.reserve(out.size() + n + 8);
  out.push_back('"');
  size_t run = 0;  // start of the pending run of bytes copied verbatim
  for (; i < n; i = SkipPlain(p, i, n)) {
    const char e = kEscape[p[i]];
    if (e == 1) {
      const size_t len = Utf8SequenceLength(p + i, n - i);
      if (len != 0) {
        i += len;
        continue;
      }
    }
    out.append(value.data() + run, i - run);
    if (e == 1) {
      out.append("\\ufffd");
    } else if (e == 'u') {
      const char esc[6] = {'\\', 'u', '0', '0', kHex[p[i] >> 4], kHex[p[i] & 0xF]};
      out.append(esc, 6);
    } else {
      const char esc[2] = {'\\', e};
      out.append(esc, 2);
    }
    ++i;
    run = i;
  }
  out.append(value.data() + run, n - run);
  out.push_back('"');
}

JsonWriter& JsonWriter::Key(JsonKey name) {
  Separate();
  if (name.plain()) {
    out_.push_back('"');
    out_.append(name.text());
    out_.append("\":", 2);
  } else {
    AppendJsonString(out_, name.text());
    out_.push_back(':');
  }
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  Separate();
  AppendJsonString(out_, value);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  char buf[32];
  return Raw(FormatNumber(buf, value));
}

JsonWriter& JsonWriter::Uint(uint64_t value) {
  char buf[32];
  return Raw(FormatNumber(buf, value));
}

JsonWriter& JsonWriter::Double(double value) {
  if (!std::isfinite(value)) return Null();
  char buf[32];
  return Raw(FormatNumber(buf, value));  // shortest text that reads back as the same double
}

JsonWriter& JsonWriter::Bool(bool value) { return Raw(value ? "true" : "false"); }

JsonWriter& JsonWriter::Null() { return Raw("null"); }

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  out_.append(json);
  need_comma_ = true;
  return *this;
}

}  // namespace ihub
