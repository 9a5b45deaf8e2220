// JSON request reading: simdjson on-demand, in one pass, straight into typed request structs,
// with per-field errors that each API family maps into its own envelope.
//
// How it works. The handler writes one "schema" callback that names every field it knows:
//
//   struct Scope { int64_t entity_id = 0; std::string permission; std::vector<std::string> resources; };
//   struct CreateClient { std::string name, description; int64_t ttl = 0; std::vector<Scope> scopes; };
//
//   CreateClient req;
//   FieldErrors errors;
//   Status st = ReadJsonObject(request_body, errors, [&](ObjectReader& o) {
//     o.String("name", {.required = true, .min_len = 1}, req.name);
//     o.String("description", {.required = true}, req.description);
//     o.Int64("expirationTokenTime", {.required = true, .min = 1, .max = 31536000}, req.ttl);
//     o.Array("scopes", {.required = true, .max_items = 50}, [&](JsonValueReader& item) {
//       Scope& s = req.scopes.emplace_back();
//       item.Object([&](ObjectReader& so) {
//         so.Int64("entityId", {.required = true}, s.entity_id);
//         so.Enum("permission", {.required = true, .allowed = {"READ", "WRITE", "READWRITE"}},
//                 s.permission);
//         so.StringArray("resources", {.required = true}, {.max_len = 1024}, s.resources);
//       });
//     });
//   });
//   if (!st.ok()) return InvalidRequest(errors);   // errors names every bad field, e.g.
//                                                  // "scopes[1].permission"; errors.malformed()
//                                                  // says the body was not JSON at all.
//
// The reader iterates the object's fields exactly once, in document order (the only robust and
// fastest way to use simdjson on-demand). For each field it calls the schema callback; the one
// declaration whose key matches reads the value, the others are a cheap key comparison. Unknown
// fields are skipped, but still fully validated, so malformed JSON anywhere is rejected. After the
// last field the callback runs once more so each `.required` field that never appeared is reported
// as kMissing. Hence the callback must be straight-line declarations (no side effects besides the
// reads), and nested callbacks (Object, Array, Value) run while the field is being read.
//
// A JSON null for an object field counts as absent (a required one is kMissing; an optional one
// leaves `out` untouched). Handlers that must tell null from absent (PATCH) use Value() and
// JsonValueReader::IsNull(). Duplicate keys: each occurrence is read, so the last one wins.
// String limits count Unicode code points; the default max_len is 256 (API-DECISIONS item 11).
// Messages name the field ("scopes[0].entityId must be an integer") and never echo a value.
//
// Thread-safety: each thread has its own parser; a JsonBody and its readers belong to the thread
// that made them. Readers are only valid inside the callbacks that receive them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/function_ref.h"
#include "store/status.h"

namespace ihub {

enum class FieldErrorKind {
  kMissing,      // required and absent (or null)
  kWrongType,    // e.g. a string where an integer belongs; booleans and floats are not integers
  kTooLong,      // string longer than max_len; free-form value larger than max_bytes
  kTooShort,     // string shorter than min_len; array with fewer than min_items
  kPattern,      // string rejected by the rule's pattern predicate
  kUnknownEnum,  // string not among the allowed values
  kOutOfRange,   // number outside [min, max]
  kTooMany,      // array with more than max_items; free-form value nested deeper than max_depth
  kMalformed,    // the body is not a JSON object (syntax, invalid UTF-8, trailing data); field ""
};

// "missing", "wrong_type", "too_long", "too_short", "pattern", "unknown_enum", "out_of_range",
// "too_many", "malformed".
std::string_view FieldErrorKindName(FieldErrorKind kind);

struct FieldError {
  std::string field;  // path like "params.bankAccounts[0]"; "" for the body itself
  FieldErrorKind kind;
  std::string message;  // names the field, never the value
};

// The errors of one request, in document order, capped at kMaxErrors so a hostile body cannot
// make the answer huge.
class FieldErrors {
 public:
  static constexpr size_t kMaxErrors = 50;

  // Handlers may add their own checks (e.g. "entityId not in the catalog") with the same shape.
  void Add(std::string field, FieldErrorKind kind, std::string message);
  // Replaces all errors by one kMalformed error for the whole body.
  void SetMalformed(std::string message);

  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  bool malformed() const { return malformed_; }
  bool truncated() const { return truncated_; }  // some errors were dropped past kMaxErrors
  const std::vector<FieldError>& items() const { return items_; }
  const FieldError& front() const { return items_.front(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<FieldError> items_;
  bool malformed_ = false;
  bool truncated_ = false;
};

// Rules. `required` only matters for object fields; array items are always present.
struct StringRule {
  bool required = false;
  size_t min_len = 0;                             // code points
  size_t max_len = 256;                           // code points
  bool (*pattern)(std::string_view) = nullptr;    // true = acceptable
  const char* pattern_hint = nullptr;             // e.g. "must not contain whitespace"
};
struct IntRule {
  bool required = false;
  int64_t min = std::numeric_limits<int64_t>::min();
  int64_t max = std::numeric_limits<int64_t>::max();
};
struct DoubleRule {
  bool required = false;
  double min = -std::numeric_limits<double>::max();
  double max = std::numeric_limits<double>::max();
};
struct BoolRule {
  bool required = false;
  bool accept_string = false;  // also accept "true"/"false" (Centrapay's `active`)
};
struct EnumRule {
  bool required = false;
  std::initializer_list<std::string_view> allowed;
  bool ignore_case = false;  // `out` still receives the allowed spelling
};
struct ArrayRule {
  bool required = false;
  size_t min_items = 0;
  size_t max_items = 100;
};
struct ObjectRule {
  bool required = false;
};
// Free-form values kept as given (API-DECISIONS item 67): stored as minified JSON.
struct RawRule {
  bool required = false;
  size_t max_bytes = 16 * 1024;  // of the minified text
  size_t max_depth = 8;          // nested objects/arrays; a scalar has depth 0
  bool object_only = true;       // a non-object is kWrongType
};

enum class JsonType { kObject, kArray, kString, kNumber, kBool, kNull };

struct JsonPath;      // a field's location, formatted only when an error names it
struct ReadContext;   // shared state of one read (errors, malformed flag)
class ObjectReader;

// One JSON value: an array item, or an object field's value inside Value(). Each method consumes
// the value (call at most one of them), returns true when `out` was set, and otherwise records a
// FieldError under this value's path.
class JsonValueReader {
 public:
  JsonType type();  // kNull also for values the caller must reject; see IsNull
  bool IsNull();
  size_t index() const;      // position in the enclosing array (0 for object fields)
  std::string path() const;  // e.g. "scopes[1]"

  bool String(const StringRule& rule, std::string& out);
  bool Int64(const IntRule& rule, int64_t& out);
  bool Double(const DoubleRule& rule, double& out);
  bool Bool(const BoolRule& rule, bool& out);
  bool Enum(const EnumRule& rule, std::string& out);
  bool Enum(const EnumRule& rule, size_t& index_out);  // index into rule.allowed
  bool StringArray(const ArrayRule& rule, const StringRule& item_rule, std::vector<std::string>& out);
  bool Object(FunctionRef<void(ObjectReader&)> schema);
  // Calls `item` for each element (after max_items, the rest are validated but not passed on).
  bool Array(const ArrayRule& rule, FunctionRef<void(JsonValueReader&)> item);
  // Captures the value as minified JSON (strings re-escaped canonically, numbers as written).
  bool Raw(const RawRule& rule, std::string& out);
  // Validates and discards the value.
  void Skip();
  // Records an error of the handler's own under this value's path.
  void Fail(FieldErrorKind kind, std::string_view what);  // message = path + " " + what

  JsonValueReader(ReadContext& ctx, void* value, const JsonPath& path)
      : ctx_(ctx), value_(value), path_(path) {}

 private:
  friend class ObjectReader;
  bool Ok() const;
  bool Malformed();                      // marks the whole read malformed; returns false
  bool WrongType(std::string_view what);  // records kWrongType, skips the value; returns false
  bool GetString(std::string_view& out);
  // The value's number token, or false (kWrongType `what` when not a number; malformed).
  bool NumberToken(std::string_view what, std::string_view& token);
  bool CheckString(const StringRule& rule, std::string_view s);

  ReadContext& ctx_;
  void* value_;  // simdjson::ondemand::value*, kept opaque so handlers need not include simdjson
  const JsonPath& path_;
  bool consumed_ = false;
};

// The fields of one JSON object; see the file comment for the calling pattern. Each method
// returns true when this call read the current field successfully (so in the final pass, and for
// non-matching keys, it returns false).
class ObjectReader {
 public:
  bool String(std::string_view key, const StringRule& rule, std::string& out) {
    return Wants(key, rule.required) &&
           ReadField(key, rule.required, [&](JsonValueReader& v) { return v.String(rule, out); });
  }
  bool String(std::string_view key, const StringRule& rule, std::optional<std::string>& out) {
    return Wants(key, rule.required) && ReadField(key, rule.required, [&](JsonValueReader& v) {
             return v.String(rule, out.emplace()) || (out.reset(), false);
           });
  }
  bool Int64(std::string_view key, const IntRule& rule, int64_t& out) {
    return Wants(key, rule.required) &&
           ReadField(key, rule.required, [&](JsonValueReader& v) { return v.Int64(rule, out); });
  }
  bool Int64(std::string_view key, const IntRule& rule, std::optional<int64_t>& out) {
    return Wants(key, rule.required) && ReadField(key, rule.required, [&](JsonValueReader& v) {
             return v.Int64(rule, out.emplace()) || (out.reset(), false);
           });
  }
  bool Double(std::string_view key, const DoubleRule& rule, double& out) {
    return Wants(key, rule.required) &&
           ReadField(key, rule.required, [&](JsonValueReader& v) { return v.Double(rule, out); });
  }
  bool Bool(std::string_view key, const BoolRule& rule, bool& out) {
    return Wants(key, rule.required) &&
           ReadField(key, rule.required, [&](JsonValueReader& v) { return v.Bool(rule, out); });
  }
  bool Bool(std::string_view key, const BoolRule& rule, std::optional<bool>& out) {
    return Wants(key, rule.required) && ReadField(key, rule.required, [&](JsonValueReader& v) {
             return v.Bool(rule, out.emplace()) || (out.reset(), false);
           });
  }
  bool Enum(std::string_view key, const EnumRule& rule, std::string& out) {
    return Wants(key, rule.required) &&
           ReadField(key, rule.required, [&](JsonValueReader& v) { return v.Enum(rule, out); });
  }
  bool Enum(std::string_view key, const EnumRule& rule, size_t& index_out) {
    return Wants(key, rule.required) && ReadField(key, rule.required, [&](JsonValueReader& v) {
             return v.Enum(rule, index_out);
           });
  }
  bool StringArray(std::string_view key, const ArrayRule& rule, const StringRule& item_rule,
                   std::vector<std::string>& out) {
    return Wants(key, rule.required) && ReadField(key, rule.required, [&](JsonValueReader& v) {
             return v.StringArray(rule, item_rule, out);
           });
  }
  bool Object(std::string_view key, const ObjectRule& rule, FunctionRef<void(ObjectReader&)> schema) {
    return Wants(key, rule.required) &&
           ReadField(key, rule.required, [&](JsonValueReader& v) { return v.Object(schema); });
  }
  bool Array(std::string_view key, const ArrayRule& rule, FunctionRef<void(JsonValueReader&)> item) {
    return Wants(key, rule.required) &&
           ReadField(key, rule.required, [&](JsonValueReader& v) { return v.Array(rule, item); });
  }
  bool Raw(std::string_view key, const RawRule& rule, std::string& out) {
    return Wants(key, rule.required) &&
           ReadField(key, rule.required, [&](JsonValueReader& v) { return v.Raw(rule, out); });
  }
  // Any value, null included, read by the handler's own code. `required` reports kMissing only
  // when the key is absent.
  bool Value(std::string_view key, const ObjectRule& rule, FunctionRef<void(JsonValueReader&)> read);

  // The current field's key (empty in the final pass). Rarely needed: for maps with free keys.
  std::string_view current_key() const { return key_; }
  bool final_pass() const { return final_; }


 private:
  friend class JsonValueReader;
  friend class JsonBody;
  // Reads `object` (a simdjson::ondemand::object*) at `path` in one pass.
  static bool Read(ReadContext& ctx, void* object, const JsonPath& path,
                   FunctionRef<void(ObjectReader&)> schema);

  ObjectReader(ReadContext& ctx, const JsonPath& path) : ctx_(ctx), path_(path) {}
  // True when `key` names the current field and its value should be read now; marks it seen.
  // In the final pass, reports `key` as missing when required and never seen.
  bool Match(std::string_view key, bool required, bool null_is_absent);

  // The inline part of matching, so the many non-matching declarations cost a compare each:
  // in the field passes, is `key` the current, not yet matched field; in the final pass, could
  // it be missing.
  bool Wants(std::string_view key, bool required) const {
    return final_ ? required : (!matched_ && key == key_);
  }
  // Reads the current field with `read` (null counts as absent), or in the final pass reports
  // `key` missing when it never appeared.
  bool ReadField(std::string_view key, bool required, FunctionRef<bool(JsonValueReader&)> read);
  bool Seen(std::string_view key) const;
  void MarkSeen(std::string_view key);

  static constexpr size_t kInlineSeen = 24;
  ReadContext& ctx_;
  const JsonPath& path_;
  std::string_view key_;  // points into the parser's string buffer, valid for the whole read
  void* value_ = nullptr;
  bool final_ = false;
  bool matched_ = false;
  // Keys seen so far, for kMissing in the final pass; inline so typical objects never allocate.
  std::string_view seen_[kInlineSeen];
  size_t seen_count_ = 0;
  std::vector<std::string_view> seen_overflow_;
};

// The request body, parsed with this thread's simdjson parser (one copy into a padded buffer).
// REQUIRES: at most one JsonBody per thread reads at a time for the fast path; a nested one still
// works but allocates its own parser.
class JsonBody {
 public:
  explicit JsonBody(std::string_view body);
  ~JsonBody();
  JsonBody(const JsonBody&) = delete;
  JsonBody& operator=(const JsonBody&) = delete;

  // Starts parsing: InvalidArgument when the body is not JSON text (syntax found so far, invalid
  // UTF-8) or its root is not an object. Errors deeper inside appear during ReadObject.
  Status Parse();
  // Reads the root object in one pass. Returns ok when `errors` stayed empty; otherwise
  // InvalidArgument with the first error's message. A syntax error anywhere (or trailing data)
  // leaves one kMalformed error. REQUIRES: Parse() returned ok; call once.
  Status ReadObject(FieldErrors& errors, FunctionRef<void(ObjectReader&)> schema);

  struct Impl;  // parser, padded copy, document; defined in json_body.cc

 private:
  Impl* impl_;
  bool owned_;  // impl_ is a heap parser (nested use) rather than the thread's
  bool parsed_ = false;
};

// Parse() then ReadObject(); a parse failure becomes one kMalformed error.
Status ReadJsonObject(std::string_view body, FieldErrors& errors,
                      FunctionRef<void(ObjectReader&)> schema);

}  // namespace ihub
