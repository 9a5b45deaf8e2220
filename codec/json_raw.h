// Free-form JSON values kept as given (API-DECISIONS items 67-69): walking a stored value to
// rewrite its string leaves, e.g. masking every secret string in `authentication` as "********".
//
// Values are captured from requests with ObjectReader::Raw / JsonValueReader::Raw (minified,
// bounded in size and depth); the functions here re-read such stored text.
//
// Thread-safety: each thread uses its own parser (separate from JsonBody's, so these may run
// inside a JsonBody read callback); no shared state.
#pragma once

#include <string>
#include <string_view>

#include "codec/function_ref.h"
#include "codec/json_writer.h"
#include "store/status.h"

namespace ihub {

// The mask API-DECISIONS item 68 prescribes for secret string leaves.
inline constexpr std::string_view kSecretMask = "********";

// Appends `json` minified to `out`, calling `leaf(path, value, w)` for every string value (not
// keys) instead of writing it; `leaf` must write exactly one JSON value with `w` (String, Raw,
// Null, ...). `path` names the leaf as in FieldError ("a.b[2]"; "" when `json` is a bare string);
// `value` is unescaped. Returns InvalidArgument when `json` is malformed or nests deeper than 128
// levels (then `out` holds partial output).
Status RewriteStringLeaves(
    std::string_view json,
    FunctionRef<void(std::string_view path, std::string_view value, JsonWriter& w)> leaf,
    std::string& out);

// Appends `json` to `out` with every string leaf replaced by kSecretMask; keys, numbers, booleans
// and nulls unchanged.
Status MaskStringLeaves(std::string_view json, std::string& out);

// Appends `json` minified to `out`. InvalidArgument when malformed.
Status MinifyJson(std::string_view json, std::string& out);

}  // namespace ihub
