#include "codec/json_raw.h"

#include <charconv>

#include "codec/json_internal.h"

namespace ihub {
namespace json_internal {
namespace {

// Checks the size limit after each write, so output never runs far past max_bytes.
bool Emitting(CopyState& s) {
  if (s.out == nullptr || s.status != CopyStatus::kOk) return false;
  if (s.out->size() - s.start > s.max_bytes) {
    s.status = CopyStatus::kTooLarge;
    return false;
  }
  return true;
}

bool Syntax(CopyState& s) {
  s.status = CopyStatus::kSyntax;
  return false;
}

bool CopyNumber(od::value& v, CopyState& s) {
  std::string_view token = v.raw_json_token();
  if (!IsJsonNumberToken(token)) return Syntax(s);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r')) {
    token.remove_suffix(1);
  }
  if (Emitting(s)) JsonWriter(*s.out).Raw(token);
  return true;
}

bool CopyObject(od::value& v, CopyState& s, size_t depth) {
  od::object obj;
  if (v.get_object().get(obj)) return Syntax(s);
  if (Emitting(s)) s.out->push_back('{');
  bool first = true;
  const size_t path_len = s.path.size();
  for (auto field_result : obj) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return Syntax(s);
    if (Emitting(s)) {
      if (!first) s.out->push_back(',');
      AppendJsonString(*s.out, key);
      s.out->push_back(':');
    }
    first = false;
    if (s.leaf != nullptr) {
      if (path_len != 0) s.path.push_back('.');
      s.path.append(key);
    }
    if (!CopyValue(field.value(), s, depth)) return false;
    s.path.resize(path_len);
  }
  if (Emitting(s)) s.out->push_back('}');
  return true;
}

bool CopyArray(od::value& v, CopyState& s, size_t depth) {
  od::array arr;
  if (v.get_array().get(arr)) return Syntax(s);
  if (Emitting(s)) s.out->push_back('[');
  size_t index = 0;
  const size_t path_len = s.path.size();
  for (auto element_result : arr) {
    od::value element;
    if (std::move(element_result).get(element)) return Syntax(s);
    if (Emitting(s) && index != 0) s.out->push_back(',');
    if (s.leaf != nullptr) {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof(buf), index);
      s.path.push_back('[');
      s.path.append(buf, r.ptr);
      s.path.push_back(']');
    }
    if (!CopyValue(element, s, depth)) return false;
    s.path.resize(path_len);
    ++index;
  }
  if (Emitting(s)) s.out->push_back(']');
  return true;
}

}  // namespace

bool CopyValue(od::value& v, CopyState& s, size_t depth) {
  od::json_type type;
  if (v.type().get(type)) return Syntax(s);
  switch (type) {
    case od::json_type::object:
    case od::json_type::array:
      if (depth + 1 > kMaxNesting) return Syntax(s);
      if (depth + 1 > s.max_depth && s.status == CopyStatus::kOk) s.status = CopyStatus::kTooDeep;
      return type == od::json_type::object ? CopyObject(v, s, depth + 1)
                                           : CopyArray(v, s, depth + 1);
    case od::json_type::string: {
      std::string_view str;
      if (v.get_string().get(str)) return Syntax(s);
      if (Emitting(s)) {
        JsonWriter w(*s.out);
        if (s.leaf != nullptr) {
          (*s.leaf)(s.path, str, w);
        } else {
          w.String(str);
        }
      }
      return true;
    }
    case od::json_type::number:
      return CopyNumber(v, s);
    case od::json_type::boolean: {
      bool b;
      if (v.get_bool().get(b)) return Syntax(s);
      if (Emitting(s)) JsonWriter(*s.out).Bool(b);
      return true;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (v.is_null().get(is_null) || !is_null) return Syntax(s);
      if (Emitting(s)) JsonWriter(*s.out).Null();
      return true;
    }
  }
  return Syntax(s);
}

bool SkipValue(od::value& v) {
  CopyState state;
  return CopyValue(v, state, 0);
}

bool RootIsWholeDocument(od::document& doc, std::string_view text) {
  std::string_view raw;
  if (doc.raw_json().get(raw)) return false;
  doc.rewind();
  const size_t end = static_cast<size_t>(raw.data() - text.data()) + raw.size();
  for (size_t i = end; i < text.size(); ++i) {
    const char c = text[i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

bool IsJsonNumberToken(std::string_view t) {
  size_t i = 0;
  const size_t n = t.size();
  auto digit = [&](size_t k) { return k < n && t[k] >= '0' && t[k] <= '9'; };
  if (i < n && t[i] == '-') ++i;
  if (!digit(i)) return false;
  if (t[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < n && t[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  for (; i < n; ++i) {
    if (t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r') return false;
  }
  return true;
}

}  // namespace json_internal

namespace {

// Walks `json` with a parser of its own, so a rewrite can run while the thread's JsonBody is
// mid-read. The text is wrapped as "[json]" because a simdjson document is not a value: inside
// an array any root type goes through the same value walker.
Status Walk(std::string_view json, const json_internal::LeafFn* leaf, std::string& out) {
  thread_local od::parser parser;
  thread_local std::string buffer;
  buffer.clear();
  buffer.push_back('[');
  buffer.append(json);
  buffer.push_back(']');
  const size_t len = buffer.size();
  buffer.append(simdjson::SIMDJSON_PADDING, '\0');
  // Built only on failure: a Status holds a string, and this runs on every request.
  auto malformed = [] { return Status::InvalidArgument("not valid JSON"); };
  od::document doc;
  if (parser.iterate(buffer.data(), len, buffer.size()).get(doc) ||
      !json_internal::RootIsWholeDocument(doc, std::string_view(buffer.data(), len))) {
    return malformed();
  }
  od::array root;
  if (doc.get_array().get(root)) return malformed();
  json_internal::CopyState state;
  state.out = &out;
  state.start = out.size();
  state.leaf = leaf;
  size_t count = 0;
  for (auto element_result : root) {
    od::value element;
    if (std::move(element_result).get(element) || ++count > 1 ||
        !json_internal::CopyValue(element, state, 0)) {
      return Status::InvalidArgument("not valid JSON");
    }
  }
  if (count != 1 || state.status != json_internal::CopyStatus::kOk) {
    return Status::InvalidArgument("not valid JSON");
  }
  return Status::Ok();
}

}  // namespace

Status RewriteStringLeaves(
    std::string_view json,
    FunctionRef<void(std::string_view path, std::string_view value, JsonWriter& w)> leaf,
    std::string& out) {
  const json_internal::LeafFn fn = leaf;
  return Walk(json, &fn, out);
}

Status MaskStringLeaves(std::string_view json, std::string& out) {
  return RewriteStringLeaves(
      json, [](std::string_view, std::string_view, JsonWriter& w) { w.String(kSecretMask); }, out);
}

Status MinifyJson(std::string_view json, std::string& out) { return Walk(json, nullptr, out); }

}  // namespace ihub

