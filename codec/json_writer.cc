#include "codec/json_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include "codec/utf8.h"

namespace ihub {
namespace {

// kEscape[c]: 0 = copy as is; 'u' = \u00XX; another letter = that short escape after a backslash;
// 1 = a byte >= 0x80 that starts (or breaks) a multi-byte sequence and must be validated.
constexpr std::array<char, 256> MakeEscapeTable() {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['"'] = '"';
  t['\\'] = '\\';
  t[0x7F] = 'u';  // DEL is legal JSON, but escaping it keeps logs and terminals readable
  for (int c = 0x80; c < 0x100; ++c) t[c] = 1;
  return t;
}
constexpr std::array<char, 256> kEscape = MakeEscapeTable();
constexpr char kHex[] = "0123456789abcdef";

// True when any of the 8 bytes of `w` needs escaping or UTF-8 validation: below 0x20, '"', '\\',
// DEL, or 0x80 and above. Lets the common all-ASCII case advance 8 bytes per step. (The zero-byte
// test can flag a byte next to a real match; that only sends the word down the byte path.)
inline bool WordNeedsWork(uint64_t w) {
  constexpr uint64_t k01 = 0x0101010101010101ULL;
  constexpr uint64_t k80 = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return (v - k01) & ~v & k80; };
  const uint64_t below_space = (w - k01 * 0x20) & ~w & k80;
  return (below_space | has_zero(w ^ (k01 * '"')) | has_zero(w ^ (k01 * '\\')) |
          has_zero(w ^ (k01 * 0x7F)) | (w & k80)) != 0;
}

template <typename T>
std::string_view FormatNumber(char (&buf)[32], T value) {
  const auto r = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view value) {
  const auto* p = reinterpret_cast<const unsigned char*>(value.data());
  const size_t n = value.size();
  out.reserve(out.size() + n + 2);
  out.push_back('"');
  size_t run = 0;  // start of the pending run of bytes copied verbatim
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (!WordNeedsWork(w)) {
        i += 8;
        continue;
      }
    }
    const char e = kEscape[p[i]];
    if (e == 0) {
      ++i;
      continue;
    }
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

JsonWriter& JsonWriter::Key(std::string_view name) {
  Separate();
  AppendJsonString(out_, name);
  out_.push_back(':');
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
