// Internal to codec/: the simdjson-facing pieces shared by json_reader.cc and json_raw.cc.
// Handlers never include this (it pulls in simdjson.h); they use json_reader.h / json_raw.h.
//
// Thread-safety: functions work on the caller's parser state only.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "codec/function_ref.h"
#include "codec/json_reader.h"
#include "codec/json_writer.h"

namespace ihub {

namespace od = simdjson::ondemand;

// A location in the document: a chain of nodes on the stack, formatted only for error messages.
struct JsonPath {
  const JsonPath* parent = nullptr;  // nullptr for the root
  std::string_view key;
  size_t index = 0;
  bool is_index = false;

  std::string ToString() const;
};

struct ReadContext {
  FieldErrors* errors = nullptr;
  bool malformed = false;
};

namespace json_internal {

// Nesting beyond this is rejected as malformed: simdjson on-demand does not bound depth while
// skipping, and the walkers below recurse once per level.
inline constexpr size_t kMaxNesting = 128;

using LeafFn = FunctionRef<void(std::string_view path, std::string_view value, JsonWriter& w)>;

enum class CopyStatus { kOk, kTooLarge, kTooDeep, kSyntax };

struct CopyState {
  std::string* out = nullptr;  // nullptr: validate only
  size_t start = 0;            // out->size() when the copy began
  size_t max_bytes = SIZE_MAX;
  size_t max_depth = kMaxNesting;
  const LeafFn* leaf = nullptr;  // replaces how string leaves (not keys) are written
  std::string path;              // maintained only when leaf is set, e.g. "a.b[2]"
  CopyStatus status = CopyStatus::kOk;
};

// Walks `v` completely, validating it, and (while state.status stays kOk) writes it minified to
// state.out. Exceeding a limit sets kTooLarge/kTooDeep and stops the output but not the
// validation. Returns false (and sets kSyntax) when the JSON is malformed.
bool CopyValue(od::value& v, CopyState& state, size_t depth);

// Validates and discards `v`. Returns false when it is malformed.
bool SkipValue(od::value& v);

// True when the document's root value spans all of `text` but trailing whitespace (simdjson
// on-demand stops at the root's end and never reports what follows). Leaves `doc` rewound.
bool RootIsWholeDocument(od::document& doc, std::string_view text);

// True when `token` (possibly followed by whitespace) is a number in JSON's grammar. Used to tell
// a number simdjson cannot represent (out of range) from a malformed one.
bool IsJsonNumberToken(std::string_view token);

}  // namespace json_internal
}  // namespace ihub
