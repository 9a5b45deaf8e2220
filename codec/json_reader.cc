#include "codec/json_reader.h"

#include <charconv>

#include "codec/json_internal.h"
#include "codec/utf8.h"

namespace ihub {
namespace {

using json_internal::CopyStatus;

od::value& AsValue(void* v) { return *static_cast<od::value*>(v); }

std::string Num(int64_t v) {
  char buf[24];
  return std::string(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
}
std::string Num(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Stores `value` in `out` when it was representable (`fits`) and within [min, max].
template <typename T>
bool CheckRange(JsonValueReader& reader, bool fits, T value, T min, T max, T& out) {
  if (!fits || value < min || value > max) {
    reader.Fail(FieldErrorKind::kOutOfRange, "must be between " + Num(min) + " and " + Num(max));
    return false;
  }
  out = value;
  return true;
}

}  // namespace

std::string_view FieldErrorKindName(FieldErrorKind kind) {
  switch (kind) {
    case FieldErrorKind::kMissing: return "missing";
    case FieldErrorKind::kWrongType: return "wrong_type";
    case FieldErrorKind::kTooLong: return "too_long";
    case FieldErrorKind::kTooShort: return "too_short";
    case FieldErrorKind::kPattern: return "pattern";
    case FieldErrorKind::kUnknownEnum: return "unknown_enum";
    case FieldErrorKind::kOutOfRange: return "out_of_range";
    case FieldErrorKind::kTooMany: return "too_many";
    case FieldErrorKind::kMalformed: return "malformed";
  }
  return "unknown";
}

void FieldErrors::Add(std::string field, FieldErrorKind kind, std::string message) {
  if (items_.size() >= kMaxErrors) {
    truncated_ = true;
    return;
  }
  items_.push_back({std::move(field), kind, std::move(message)});
}

void FieldErrors::SetMalformed(std::string message) {
  items_.clear();
  truncated_ = false;
  malformed_ = true;
  items_.push_back({"", FieldErrorKind::kMalformed, std::move(message)});
}

std::string JsonPath::ToString() const {
  if (parent == nullptr) return std::string();
  std::string s = parent->ToString();
  if (is_index) {
    s.push_back('[');
    s.append(Num(static_cast<int64_t>(index)));
    s.push_back(']');
  } else {
    if (!s.empty()) s.push_back('.');
    s.append(key);
  }
  return s;
}

// ---- JsonValueReader ----

bool JsonValueReader::Ok() const { return !ctx_.malformed; }

bool JsonValueReader::Malformed() {
  ctx_.malformed = true;
  return false;
}

size_t JsonValueReader::index() const { return path_.is_index ? path_.index : 0; }
std::string JsonValueReader::path() const { return path_.ToString(); }

void JsonValueReader::Fail(FieldErrorKind kind, std::string_view what) {
  std::string field = path_.ToString();
  std::string message = field;
  message.push_back(' ');
  message.append(what);
  ctx_.errors->Add(std::move(field), kind, std::move(message));
}

bool JsonValueReader::WrongType(std::string_view what) {
  Fail(FieldErrorKind::kWrongType, what);
  Skip();
  return false;
}

JsonType JsonValueReader::type() {
  od::json_type t;
  if (!Ok() || AsValue(value_).type().get(t)) {
    Malformed();
    return JsonType::kNull;
  }
  switch (t) {
    case od::json_type::object: return JsonType::kObject;
    case od::json_type::array: return JsonType::kArray;
    case od::json_type::string: return JsonType::kString;
    case od::json_type::number: return JsonType::kNumber;
    case od::json_type::boolean: return JsonType::kBool;
    case od::json_type::null: break;
  }
  return JsonType::kNull;
}

bool JsonValueReader::IsNull() { return type() == JsonType::kNull && Ok(); }

void JsonValueReader::Skip() {
  if (consumed_ || !Ok()) return;
  consumed_ = true;
  if (!json_internal::SkipValue(AsValue(value_))) Malformed();
}

bool JsonValueReader::GetString(std::string_view& out) {
  if (type() != JsonType::kString) return Ok() && WrongType("must be a string");
  consumed_ = true;
  if (AsValue(value_).get_string().get(out)) return Malformed();
  return true;
}

bool JsonValueReader::CheckString(const StringRule& rule, std::string_view s) {
  const size_t len = CountCodePoints(s);
  if (len > rule.max_len) {
    Fail(FieldErrorKind::kTooLong, "must be at most " + Num(static_cast<int64_t>(rule.max_len)) +
                                       " characters");
    return false;
  }
  if (len < rule.min_len) {
    Fail(FieldErrorKind::kTooShort,
         rule.min_len == 1 ? std::string("must not be empty")
                           : "must be at least " + Num(static_cast<int64_t>(rule.min_len)) +
                                 " characters");
    return false;
  }
  if (rule.pattern != nullptr && !rule.pattern(s)) {
    Fail(FieldErrorKind::kPattern, rule.pattern_hint != nullptr ? rule.pattern_hint
                                                                : "has an invalid format");
    return false;
  }
  return true;
}

bool JsonValueReader::String(const StringRule& rule, std::string& out) {
  std::string_view s;
  if (!GetString(s) || !CheckString(rule, s)) return false;
  out.assign(s);
  return true;
}

bool JsonValueReader::NumberToken(std::string_view what, std::string_view& token) {
  if (type() != JsonType::kNumber) return Ok() && WrongType(what);
  consumed_ = true;
  token = AsValue(value_).raw_json_token();
  return json_internal::IsJsonNumberToken(token) || Malformed();
}

bool JsonValueReader::Int64(const IntRule& rule, int64_t& out) {
  std::string_view token;
  if (!NumberToken("must be an integer", token)) return false;
  if (token.find_first_of(".eE") != std::string_view::npos) {
    Fail(FieldErrorKind::kWrongType, "must be an integer");
    return false;
  }
  int64_t value = 0;
  // A well-formed integer simdjson cannot hold in 64 bits is out of range, not malformed.
  const bool fits = !AsValue(value_).get_int64().get(value);
  return CheckRange(*this, fits, value, rule.min, rule.max, out);
}

bool JsonValueReader::Double(const DoubleRule& rule, double& out) {
  std::string_view token;
  if (!NumberToken("must be a number", token)) return false;
  double value = 0;
  const bool fits = !AsValue(value_).get_double().get(value);
  return CheckRange(*this, fits, value, rule.min, rule.max, out);
}

bool JsonValueReader::Bool(const BoolRule& rule, bool& out) {
  const JsonType t = type();
  if (t == JsonType::kBool) {
    consumed_ = true;
    if (AsValue(value_).get_bool().get(out)) return Malformed();
    return true;
  }
  if (t == JsonType::kString && rule.accept_string) {
    std::string_view s;
    if (!GetString(s)) return false;
    if (s == "true" || s == "false") {
      out = s == "true";
      return true;
    }
    Fail(FieldErrorKind::kWrongType, "must be a boolean");
    return false;
  }
  return Ok() && WrongType("must be a boolean");
}

bool JsonValueReader::Enum(const EnumRule& rule, size_t& index_out) {
  std::string_view s;
  if (!GetString(s)) return false;
  size_t i = 0;
  for (std::string_view allowed : rule.allowed) {
    if (rule.ignore_case ? EqualsIgnoreCase(s, allowed) : s == allowed) {
      index_out = i;
      return true;
    }
    ++i;
  }
  std::string what = "must be one of ";
  for (const std::string_view& allowed : rule.allowed) {
    if (&allowed != rule.allowed.begin()) what.append(", ");
    what.append(allowed);
  }
  Fail(FieldErrorKind::kUnknownEnum, what);
  return false;
}

bool JsonValueReader::Enum(const EnumRule& rule, std::string& out) {
  size_t index = 0;
  if (!Enum(rule, index)) return false;
  out.assign(rule.allowed.begin()[index]);
  return true;
}

bool JsonValueReader::StringArray(const ArrayRule& rule, const StringRule& item_rule,
                                  std::vector<std::string>& out) {
  out.clear();
  return Array(rule, [&](JsonValueReader& item) {
    std::string_view s;
    if (item.GetString(s) && item.CheckString(item_rule, s)) out.emplace_back(s);
  });
}

bool JsonValueReader::Object(FunctionRef<void(ObjectReader&)> schema) {
  if (type() != JsonType::kObject) return Ok() && WrongType("must be an object");
  consumed_ = true;
  od::object obj;
  if (AsValue(value_).get_object().get(obj)) return Malformed();
  return ObjectReader::Read(ctx_, &obj, path_, schema);
}

bool JsonValueReader::Array(const ArrayRule& rule, FunctionRef<void(JsonValueReader&)> item) {
  if (type() != JsonType::kArray) return Ok() && WrongType("must be an array");
  consumed_ = true;
  od::array arr;
  if (AsValue(value_).get_array().get(arr)) return Malformed();
  size_t count = 0;
  for (auto element_result : arr) {
    od::value element;
    if (std::move(element_result).get(element)) return Malformed();
    if (count < rule.max_items) {
      const JsonPath path{&path_, {}, count, true};
      JsonValueReader reader(ctx_, &element, path);
      item(reader);
      reader.Skip();  // an item the callback left unread is still validated
    } else if (!json_internal::SkipValue(element)) {
      return Malformed();
    }
    if (!Ok()) return false;
    ++count;
  }
  if (count > rule.max_items) {
    Fail(FieldErrorKind::kTooMany,
         "must have at most " + Num(static_cast<int64_t>(rule.max_items)) + " items");
    return false;
  }
  if (count < rule.min_items) {
    Fail(FieldErrorKind::kTooShort,
         rule.min_items == 1 ? std::string("must not be empty")
                             : "must have at least " + Num(static_cast<int64_t>(rule.min_items)) +
                                   " items");
    return false;
  }
  return true;
}

bool JsonValueReader::Raw(const RawRule& rule, std::string& out) {
  const JsonType t = type();
  if (!Ok()) return false;
  if (rule.object_only && t != JsonType::kObject) return WrongType("must be an object");
  consumed_ = true;
  json_internal::CopyState state;
  out.clear();
  state.out = &out;
  state.max_bytes = rule.max_bytes;
  state.max_depth = rule.max_depth;
  json_internal::CopyValue(AsValue(value_), state, 0);
  switch (state.status) {
    case CopyStatus::kOk: return true;
    case CopyStatus::kSyntax: return Malformed();
    case CopyStatus::kTooLarge:
      Fail(FieldErrorKind::kTooLong,
           "must be at most " + Num(static_cast<int64_t>(rule.max_bytes)) + " bytes as JSON");
      break;
    case CopyStatus::kTooDeep:
      Fail(FieldErrorKind::kTooMany,
           "must not nest deeper than " + Num(static_cast<int64_t>(rule.max_depth)) + " levels");
      break;
  }
  out.clear();
  return false;
}

}  // namespace ihub
