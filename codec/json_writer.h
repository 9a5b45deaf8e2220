// JsonWriter: builds JSON answers by appending to a caller-owned std::string, without a DOM.
//
// Handlers keep one buffer per connection (or thread) and clear it per request, so after warm-up a
// response costs no allocation at all: the writer itself holds only a reference and one flag.
// Commas are inserted automatically; the caller only states structure. Strings are escaped so the
// output is always valid JSON, even when given bytes that are not UTF-8 (each invalid byte becomes
// U+FFFD rather than corrupting the document). Non-finite doubles are written as null.
//
// The writer does not check nesting (EndObject after BeginArray is the caller's bug); it is
// meant to be driven by straight-line code that mirrors the answer's shape.
//
// Thread-safety: a JsonWriter and its buffer belong to one thread at a time.
//
// Example:
//   std::string& out = conn.scratch;  out.clear();
//   JsonWriter w(out);
//   w.BeginObject();
//   w.Field("active", true).Field("client_id", key).Field("exp", exp_seconds);
//   w.Key("scopes").BeginArray().String("READ").EndArray();
//   w.EndObject();                     // out == {"active":true,"client_id":"…","exp":…,"scopes":["READ"]}
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace ihub {

namespace json_detail {
// The one escaping rule, shared by AppendJsonString and the compile-time check of JsonKey.
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
inline constexpr std::array<char, 256> kEscape = MakeEscapeTable();
}  // namespace json_detail

// Appends `value` to `out` as a quoted, escaped JSON string: `"` and `\` are escaped, \b \f \n \r \t
// use their short forms, other control characters (and DEL) become \u00XX, and each byte that does
// not belong to a well-formed UTF-8 sequence becomes \ufffd. Everything else is copied as is.
void AppendJsonString(std::string& out, std::string_view value);

// An object key. A string literal is checked at compile time: when it needs no escaping (every
// key name in ihub's code) writing it is one copy, with no scan for characters to escape. Any
// other string is escaped like a value. Key names are a third of a typical answer's strings.
class JsonKey {
 public:
  template <size_t N>
  consteval JsonKey(const char (&literal)[N])  // NOLINT: implicit on purpose
      : text_(literal, N - 1), plain_(IsPlainLiteral(literal, N - 1)) {}
  JsonKey(std::string_view text) : text_(text) {}    // NOLINT: implicit
  JsonKey(const std::string& text) : text_(text) {}  // NOLINT: implicit

  std::string_view text() const { return text_; }
  bool plain() const { return plain_; }

 private:
  // Bytes AppendJsonString copies unchanged, and nothing else.
  static consteval bool IsPlainLiteral(const char* s, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (json_detail::kEscape[static_cast<unsigned char>(s[i])] != 0) return false;
    }
    return true;
  }

  std::string_view text_;
  bool plain_ = false;
};

class JsonWriter {
 public:
  // Starts with room for a typical answer: growing an empty string to a 250-byte introspection
  // answer took five reallocations.
  explicit JsonWriter(std::string& out) : out_(out) {
    if (out_.capacity() < kInitialCapacity) out_.reserve(kInitialCapacity);
  }
  static constexpr size_t kInitialCapacity = 384;
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }

  // Writes an object key; the next call writes its value.
  JsonWriter& Key(JsonKey name);

  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Uint(uint64_t value);
  JsonWriter& Double(double value);  // shortest round-trip form; NaN and infinities as null
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Writes `json` verbatim as one value. REQUIRES: `json` is one valid JSON value (for example
  // a fragment this writer produced earlier, or a value captured by JsonValueReader::Raw).
  JsonWriter& Raw(std::string_view json);

  // Field(key, value) == Key(key) then the value, typed by overload. Integers of any width and
  // signedness go to Int/Uint; `const char*` is a string (not a bool).
  JsonWriter& Field(JsonKey key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(JsonKey key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(JsonKey key, const std::string& value) { return Key(key).String(value); }
  JsonWriter& Field(JsonKey key, bool value) { return Key(key).Bool(value); }
  JsonWriter& Field(JsonKey key, double value) { return Key(key).Double(value); }
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  JsonWriter& Field(JsonKey key, T value) {
    Key(key);
    if constexpr (std::signed_integral<T>) {
      return Int(static_cast<int64_t>(value));
    } else {
      return Uint(static_cast<uint64_t>(value));
    }
  }
  JsonWriter& FieldNull(JsonKey key) { return Key(key).Null(); }
  JsonWriter& FieldRaw(JsonKey key, std::string_view json) { return Key(key).Raw(json); }

  std::string& out() { return out_; }

 private:
  void Separate() {
    if (need_comma_) out_.push_back(',');
  }
  JsonWriter& Open(char c) {
    Separate();
    out_.push_back(c);
    need_comma_ = false;
    return *this;
  }
  JsonWriter& Close(char c) {
    out_.push_back(c);
    need_comma_ = true;
    return *this;
  }

  std::string& out_;
  // True when the last thing written was a complete value, so the next value or key needs a comma.
  bool need_comma_ = false;
};

}  // namespace ihub
