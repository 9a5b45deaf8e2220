// Query strings: splitting a request target, decoding `?a=b&c=d` (same rules as forms), bounded
// integer parameters, and the list parameters every paginated endpoint reads
// (`limit`, `cursor`, `page`, `type`, `status`; API-DECISIONS items 1-2 give the bounds).
//
// Thread-safety: pure functions.
//
// Example (admin list: limit 1-500, default 50, cursor):
//   ListQuery q;
//   FieldErrors errors;
//   if (!ParseListQuery(SplitTarget(req.target).query, {.default_limit = 50, .max_limit = 500},
//                       q, errors)) {
//     return Problem400(errors);  // e.g. field "limit", kOutOfRange
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "codec/form.h"
#include "codec/json_reader.h"
#include "store/status.h"

namespace ihub {

struct Target {
  std::string_view path;   // still percent-encoded; decode segments with DecodePathSegment
  std::string_view query;  // without the '?'; empty when absent
};
// Splits "/a/b?x=1#frag" into {"/a/b", "x=1"} (a fragment, never sent by conforming clients, is
// dropped).
Target SplitTarget(std::string_view target);

// Decodes a query string into `out` ('+' is a space, as in forms). InvalidArgument on a bad
// escape or invalid UTF-8.
inline Status ParseQuery(std::string_view query, FormFields& out) { return ParseForm(query, out); }

// Parses a decimal integer (optional leading '-', digits only, no spaces or '+') in [min, max].
// InvalidArgument naming neither the value nor the bounds; callers phrase their own message.
Result<int64_t> ParseBoundedInt(std::string_view text, int64_t min, int64_t max);

struct ListQueryRule {
  int64_t default_limit = 50;
  int64_t max_limit = 500;
};

struct ListQuery {
  int64_t limit = 0;                  // default_limit when absent
  int64_t page = 1;                   // from 1; Solvimon lists
  std::optional<std::string> cursor;  // admin lists: id of the last item of the previous page
  std::optional<std::string> type;    // Centrapay filters
  std::optional<std::string> status;
};

// Reads the list parameters of `query` (other parameters are ignored; a repeated one uses its
// first value). Each bad parameter becomes a FieldError named after it: a non-integer limit or
// page is kWrongType, one out of bounds kOutOfRange, a cursor/type/status over 256 characters
// kTooLong; an undecodable query string is one kMalformed error. Returns errors.empty().
bool ParseListQuery(std::string_view query, const ListQueryRule& rule, ListQuery& out,
                    FieldErrors& errors);

}  // namespace ihub
