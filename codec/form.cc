#include "codec/form.h"

#include <algorithm>
#include <array>

#include "codec/swar.h"
#include "codec/utf8.h"

namespace ihub {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr char kStandardChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrlChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<int8_t, 256> MakeDecodeTable(const char* chars) {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(chars[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr std::array<int8_t, 256> kStandardDecode = MakeDecodeTable(kStandardChars);
constexpr std::array<int8_t, 256> kUrlDecode = MakeDecodeTable(kUrlChars);

bool IsOws(char c) { return c == ' ' || c == '\t'; }

}  // namespace

Status PercentDecode(std::string_view in, bool plus_as_space, std::string& out) {
  const size_t start = out.size();
  size_t run = 0;  // start of the pending run copied verbatim
  const auto* bytes = reinterpret_cast<const unsigned char*>(in.data());
  for (size_t i = 0; i < in.size(); ++i) {
    // Skip 8 bytes at a time while there is nothing to decode.
    while (i + 8 <= in.size() && (swar::HasByte(swar::Load(bytes + i), '%') |
                                  swar::HasByte(swar::Load(bytes + i), '+')) == 0) {
      i += 8;
    }
    if (i >= in.size()) break;
    const char c = in[i];
    if (c == '%') {
      out.append(in.data() + run, i - run);
      const int hi = i + 2 < in.size() ? HexValue(in[i + 1]) : -1;
      const int lo = hi >= 0 ? HexValue(in[i + 2]) : -1;
      if (lo < 0) return Status::InvalidArgument("invalid percent-encoding");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
      run = i + 1;
    } else if (c == '+' && plus_as_space) {
      out.append(in.data() + run, i - run);
      out.push_back(' ');
      run = i + 1;
    }
  }
  out.append(in.data() + run, in.size() - run);
  if (!IsValidUtf8(std::string_view(out).substr(start))) {
    return Status::InvalidArgument("percent-encoded text is not UTF-8");
  }
  return Status::Ok();
}

Result<std::string> DecodePathSegment(std::string_view segment) {
  std::string out;
  if (Status st = PercentDecode(segment, false, out); !st.ok()) return st;
  if (out.find('\0') != std::string::npos) {
    return Status::InvalidArgument("path segment contains a NUL byte");
  }
  return out;
}

// ---- FormFields ----

std::optional<std::string_view> FormFields::Get(std::string_view key) const {
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (this->key(i) == key) return value(i);
  }
  return std::nullopt;
}

size_t FormFields::Count(std::string_view key) const {
  size_t n = 0;
  for (size_t i = 0; i < entries_.size(); ++i) n += this->key(i) == key;
  return n;
}

std::optional<std::string_view> FormFields::duplicate_key() const {
  if (!duplicate_) return std::nullopt;
  return key(*duplicate_);
}

void FormFields::Clear() {
  storage_.clear();
  entries_.clear();
  duplicate_.reset();
}

void FormFields::FindDuplicate() {
  const size_t n = entries_.size();
  // Typical forms have a handful of fields: a quadratic scan beats sorting there.
  if (n <= 32) {
    for (size_t i = 0; i < n && !duplicate_; ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (key(i) == key(j)) {
          duplicate_ = j;
          break;
        }
      }
    }
    return;
  }
  std::vector<std::pair<std::string_view, size_t>> keys;
  keys.reserve(n);
  for (size_t i = 0; i < n; ++i) keys.emplace_back(key(i), i);
  std::sort(keys.begin(), keys.end());
  for (size_t i = 1; i < n; ++i) {
    if (keys[i].first == keys[i - 1].first &&
        (!duplicate_ || keys[i - 1].second < *duplicate_)) {
      duplicate_ = keys[i - 1].second;
    }
  }
}

Status ParseForm(std::string_view body, FormFields& out) {
  out.Clear();
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find('&', pos);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(pos, end - pos);
    pos = end + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string_view raw_key = pair.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    FormFields::Entry e{};
    e.key_off = static_cast<uint32_t>(out.storage_.size());
    if (Status st = PercentDecode(raw_key, true, out.storage_); !st.ok()) return st;
    e.key_len = static_cast<uint32_t>(out.storage_.size() - e.key_off);
    e.val_off = static_cast<uint32_t>(out.storage_.size());
    if (Status st = PercentDecode(raw_value, true, out.storage_); !st.ok()) return st;
    e.val_len = static_cast<uint32_t>(out.storage_.size() - e.val_off);
    out.entries_.push_back(e);
  }
  out.FindDuplicate();
  return Status::Ok();
}

// ---- Base64 ----

void Base64Append(std::string& out, std::string_view data, Base64Alphabet alphabet) {
  const char* chars = alphabet == Base64Alphabet::kUrl ? kUrlChars : kStandardChars;
  const bool pad = alphabet == Base64Alphabet::kStandard;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const size_t n = data.size();
  out.reserve(out.size() + (n + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    const char quad[4] = {chars[v >> 18], chars[(v >> 12) & 63], chars[(v >> 6) & 63],
                          chars[v & 63]};
    out.append(quad, 4);
  }
  if (i + 1 == n) {
    const uint32_t v = uint32_t{p[i]} << 16;
    out.push_back(chars[v >> 18]);
    out.push_back(chars[(v >> 12) & 63]);
    if (pad) out.append("==");
  } else if (i + 2 == n) {
    const uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8);
    out.push_back(chars[v >> 18]);
    out.push_back(chars[(v >> 12) & 63]);
    out.push_back(chars[(v >> 6) & 63]);
    if (pad) out.push_back('=');
  }
}

std::string Base64Encode(std::string_view data, Base64Alphabet alphabet) {
  std::string out;
  Base64Append(out, data, alphabet);
  return out;
}

Result<std::string> Base64Decode(std::string_view text, Base64Alphabet alphabet) {
  const auto& table = alphabet == Base64Alphabet::kUrl ? kUrlDecode : kStandardDecode;
  // Built only on failure: a Status holds a string, and decoding runs on every Basic login.
  auto bad = [] { return Status::InvalidArgument("invalid base64"); };
  // Padding, when present, must complete the last quad exactly.
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  if (padding != 0 && text.size() % 4 != 0) return bad();
  text.remove_suffix(padding);
  if (text.size() % 4 == 1) return bad();
  std::string out(text.size() / 4 * 3 + (text.size() % 4) * 3 / 4, '\0');
  // Whole quads first, four characters to three bytes; a bad character anywhere in a quad shows
  // as a negative value, so one test per quad (Basic logins decode some 90 characters each).
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  char* o = out.data();
  const size_t whole = text.size() / 4;
  for (size_t q = 0; q < whole; ++q, in += 4, o += 3) {
    const int32_t a = table[in[0]], b = table[in[1]], c = table[in[2]], d = table[in[3]];
    if ((a | b | c | d) < 0) return bad();
    const uint32_t v = static_cast<uint32_t>(a << 18 | b << 12 | c << 6 | d);
    o[0] = static_cast<char>(v >> 16);
    o[1] = static_cast<char>(v >> 8);
    o[2] = static_cast<char>(v);
  }
  // Then the 2 or 3 characters of a short last quad (1 was refused above).
  const size_t rest = text.size() % 4;
  uint32_t acc = 0;
  for (size_t i = 0; i < rest; ++i) {
    const int8_t v = table[in[i]];
    if (v < 0) return bad();
    acc = acc << 6 | static_cast<uint32_t>(v);
  }
  if (rest == 2) {
    if ((acc & 0xF) != 0) return bad();  // leftover bits must be zero: one encoding per string
    o[0] = static_cast<char>(acc >> 4);
  } else if (rest == 3) {
    if ((acc & 0x3) != 0) return bad();
    o[0] = static_cast<char>(acc >> 10);
    o[1] = static_cast<char>(acc >> 2);
  }
  return out;
}

// ---- Basic auth ----

Result<BasicCredentials> ParseBasicAuth(std::string_view header) {
  while (!header.empty() && IsOws(header.front())) header.remove_prefix(1);
  while (!header.empty() && IsOws(header.back())) header.remove_suffix(1);
  constexpr std::string_view kScheme = "basic";
  if (header.size() < kScheme.size()) return Status::Unauthenticated("not Basic credentials");
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) {
      return Status::Unauthenticated("not Basic credentials");
    }
  }
  if (header.size() > kScheme.size() && !IsOws(header[kScheme.size()])) {
    return Status::Unauthenticated("not Basic credentials");  // e.g. "Basicfoo"
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && IsOws(token.front())) token.remove_prefix(1);
  auto bad = [] { return Status::InvalidArgument("malformed Basic credentials"); };
  Result<std::string> decoded = Base64Decode(token);
  if (!decoded.ok()) return bad();
  const std::string_view pair = *decoded;
  const size_t colon = pair.find(':');
  if (colon == std::string_view::npos || colon == 0) return bad();
  BasicCredentials creds;
  if (!PercentDecode(pair.substr(0, colon), true, creds.user).ok() ||
      !PercentDecode(pair.substr(colon + 1), true, creds.password).ok()) {
    return bad();
  }
  return creds;
}

}  // namespace ihub
