// ObjectReader (the single pass over an object's fields) and JsonBody (the thread's parser).
#include "codec/json_internal.h"
#include "codec/json_reader.h"

namespace ihub {
namespace {

od::value& AsValue(void* v) { return *static_cast<od::value*>(v); }

}  // namespace

// ---- ObjectReader ----

bool ObjectReader::Read(ReadContext& ctx, void* object, const JsonPath& path,
                        FunctionRef<void(ObjectReader&)> schema) {
  od::object& obj = *static_cast<od::object*>(object);
  ObjectReader reader(ctx, path);
  for (auto field_result : obj) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
      ctx.malformed = true;
      return false;
    }
    reader.key_ = key;
    reader.value_ = &field.value();
    reader.matched_ = false;
    schema(reader);
    if (ctx.malformed) return false;
    // Unknown fields are ignored (API-DECISIONS item 12) but still validated.
    if (!reader.matched_ && !json_internal::SkipValue(field.value())) {
      ctx.malformed = true;
      return false;
    }
  }
  reader.final_ = true;
  reader.key_ = {};
  reader.value_ = nullptr;
  schema(reader);
  return !ctx.malformed;
}

bool ObjectReader::Seen(std::string_view key) const {
  for (size_t i = 0; i < seen_count_; ++i) {
    if (seen_[i] == key) return true;
  }
  for (std::string_view k : seen_overflow_) {
    if (k == key) return true;
  }
  return false;
}

void ObjectReader::MarkSeen(std::string_view key) {
  if (Seen(key)) return;
  if (seen_count_ < kInlineSeen) {
    seen_[seen_count_++] = key;
  } else {
    seen_overflow_.push_back(key);
  }
}

bool ObjectReader::Match(std::string_view key, bool required, bool null_is_absent) {
  if (ctx_.malformed) return false;
  if (final_) {
    if (required && !Seen(key)) {
      std::string field = JsonPath{&path_, key}.ToString();
      std::string message = field + " is required";
      ctx_.errors->Add(std::move(field), FieldErrorKind::kMissing, std::move(message));
    }
    return false;
  }
  if (matched_ || key != key_) return false;
  matched_ = true;
  MarkSeen(key_);
  if (!null_is_absent) return true;
  od::json_type type;
  if (AsValue(value_).type().get(type)) {
    ctx_.malformed = true;
    return false;
  }
  if (type != od::json_type::null) return true;
  bool is_null = false;
  if (AsValue(value_).is_null().get(is_null) || !is_null) {
    ctx_.malformed = true;
  } else if (required) {
    std::string field = JsonPath{&path_, key}.ToString();
    std::string message = field + " is required";
    ctx_.errors->Add(std::move(field), FieldErrorKind::kMissing, std::move(message));
  }
  return false;
}

bool ObjectReader::ReadField(std::string_view key, bool required,
                             FunctionRef<bool(JsonValueReader&)> read) {
  if (!Match(key, required, true)) return false;
  const JsonPath field_path{&path_, key_};
  JsonValueReader value(ctx_, value_, field_path);
  return read(value);
}

bool ObjectReader::Value(std::string_view key, const ObjectRule& rule,
                         FunctionRef<void(JsonValueReader&)> read) {
  if (!Wants(key, rule.required) || !Match(key, rule.required, false)) return false;
  const JsonPath field_path{&path_, key_};
  JsonValueReader value(ctx_, value_, field_path);
  read(value);
  value.Skip();  // whatever the handler left unread is still validated
  return !ctx_.malformed;
}

// ---- JsonBody ----

struct JsonBody::Impl {
  od::parser parser;
  std::string buffer;  // the body plus simdjson's padding
  size_t length = 0;
  od::document doc;
  bool in_use = false;
};

namespace {
thread_local JsonBody::Impl* tls_impl = nullptr;
}  // namespace

JsonBody::JsonBody(std::string_view body) {
  // The thread's parser keeps its buffers warm across requests; a nested JsonBody (rare) gets
  // its own so it cannot invalidate the outer document.
  if (tls_impl == nullptr) {
    thread_local Impl impl;
    tls_impl = &impl;
  }
  if (tls_impl->in_use) {
    impl_ = new Impl;
    owned_ = true;
  } else {
    impl_ = tls_impl;
    owned_ = false;
  }
  impl_->in_use = true;
  impl_->buffer.assign(body);
  impl_->length = body.size();
  impl_->buffer.append(simdjson::SIMDJSON_PADDING, '\0');
}

JsonBody::~JsonBody() {
  if (owned_) {
    delete impl_;
  } else {
    impl_->doc = od::document();
    impl_->in_use = false;
  }
}

Status JsonBody::Parse() {
  // Built only on failure: a Status holds a string, and this runs on every request.
  auto malformed = [] { return Status::InvalidArgument("request body is not valid JSON"); };
  if (impl_->parser.iterate(impl_->buffer.data(), impl_->length, impl_->buffer.size())
          .get(impl_->doc)) {
    return malformed();
  }
  const std::string_view text(impl_->buffer.data(), impl_->length);
  if (!json_internal::RootIsWholeDocument(impl_->doc, text)) return malformed();
  od::json_type type;
  if (impl_->doc.type().get(type)) return malformed();
  if (type != od::json_type::object) {
    return Status::InvalidArgument("request body must be a JSON object");
  }
  parsed_ = true;
  return Status::Ok();
}

Status JsonBody::ReadObject(FieldErrors& errors, FunctionRef<void(ObjectReader&)> schema) {
  ReadContext ctx{&errors};
  od::object obj;
  if (!parsed_ || impl_->doc.get_object().get(obj)) {
    ctx.malformed = true;
  } else {
    const JsonPath root;
    ObjectReader::Read(ctx, &obj, root, schema);
  }
  parsed_ = false;  // the document is consumed
  if (ctx.malformed) errors.SetMalformed("request body is not valid JSON");
  if (errors.empty()) return Status::Ok();
  return Status::InvalidArgument(errors.front().message);
}

Status ReadJsonObject(std::string_view body, FieldErrors& errors,
                      FunctionRef<void(ObjectReader&)> schema) {
  JsonBody json(body);
  if (Status st = json.Parse(); !st.ok()) {
    errors.SetMalformed(st.message());
    return st;
  }
  return json.ReadObject(errors, schema);
}

}  // namespace ihub
