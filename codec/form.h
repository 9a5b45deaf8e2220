// URL and form decoding: percent-decoding, application/x-www-form-urlencoded bodies (and query
// strings, see query.h), path segments, Base64, and HTTP Basic client credentials.
//
// Decoded text must be UTF-8 (it may end up in a JSON answer, e.g. an OAuth `scope`), so invalid
// UTF-8 after decoding is an error like a bad escape. Error messages never echo input.
//
// Thread-safety: pure functions; a FormFields belongs to one thread at a time.
//
// Example (OAuth token endpoint):
//   FormFields form;                                       // reusable: Parse clears it
//   if (!ParseForm(req.body, form).ok() || form.duplicate_key()) return InvalidRequest();
//   std::string_view grant = form.Get("grant_type").value_or("");
//   if (auto basic = ParseBasicAuth(req.authorization); basic.ok()) { use basic->user ... }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"

namespace ihub {

// Appends the percent-decoding of `in` to `out`. With `plus_as_space` (form encoding), '+' is a
// space; otherwise it stays '+'. InvalidArgument when a '%' is not followed by two hex digits or
// the decoded bytes are not UTF-8 (then `out` holds partial output).
Status PercentDecode(std::string_view in, bool plus_as_space, std::string& out);

// Decodes one path segment (already split on '/'): "%2F" becomes '/', '+' stays '+'.
// InvalidArgument also when the result contains a NUL byte.
Result<std::string> DecodePathSegment(std::string_view segment);

// The fields of a form body or query string, decoded, in order. Storage is reused across
// ParseForm calls, so a thread-local FormFields costs no allocation once warm.
class FormFields {
 public:
  // The first value of `key`, or nullopt when absent. The view lives until the next ParseForm.
  std::optional<std::string_view> Get(std::string_view key) const;
  size_t Count(std::string_view key) const;
  // The first key that occurs more than once (a repeated OAuth parameter is invalid_request,
  // API-DECISIONS item 34), or nullopt.
  std::optional<std::string_view> duplicate_key() const;

  size_t size() const { return entries_.size(); }
  std::string_view key(size_t i) const { return View(entries_[i].key_off, entries_[i].key_len); }
  std::string_view value(size_t i) const { return View(entries_[i].val_off, entries_[i].val_len); }

  void Clear();

 private:
  friend Status ParseForm(std::string_view body, FormFields& out);
  struct Entry {
    uint32_t key_off, key_len, val_off, val_len;
  };
  std::string_view View(uint32_t off, uint32_t len) const {
    return std::string_view(storage_).substr(off, len);
  }
  void FindDuplicate();

  std::string storage_;  // all decoded keys and values, back to back
  std::vector<Entry> entries_;
  std::optional<size_t> duplicate_;  // index into entries_
};

// Parses `body` as application/x-www-form-urlencoded into `out` (cleared first): pairs split on
// '&', key and value on the first '='; a pair without '=' has an empty value; empty pairs
// ("a=1&&b=2") are skipped. InvalidArgument on a bad escape or invalid UTF-8.
Status ParseForm(std::string_view body, FormFields& out);

// Base64 (RFC 4648). kStandard is '+/' with '=' padding; kUrl is '-_' without padding.
enum class Base64Alphabet { kStandard, kUrl };
std::string Base64Encode(std::string_view data, Base64Alphabet alphabet = Base64Alphabet::kStandard);
void Base64Append(std::string& out, std::string_view data,
                  Base64Alphabet alphabet = Base64Alphabet::kStandard);
// Decodes `text`; padding is optional but, when present, must be correct. InvalidArgument on any
// character outside the alphabet (whitespace included) or a length that cannot be Base64.
Result<std::string> Base64Decode(std::string_view text,
                                 Base64Alphabet alphabet = Base64Alphabet::kStandard);

struct BasicCredentials {
  std::string user;      // the client_id
  std::string password;  // the client_secret
};

// Parses an `Authorization` header value "Basic <base64(user:password)>" (scheme
// case-insensitive). Per RFC 6749 §2.3.1 the client id and secret are form-urlencoded before
// Base64, so each is decoded ('+' is a space). Unauthenticated when the scheme is not Basic
// (so callers can try other schemes); InvalidArgument when it is Basic but malformed (bad
// Base64, no ':', bad escape, empty user).
Result<BasicCredentials> ParseBasicAuth(std::string_view header);

}  // namespace ihub
