// HttpRequest and RequestParser; see http_request.h.
#include "server/http_request.h"

#include <boost/beast/core/string.hpp>

namespace ihub {
namespace {

// Buffers above these sizes are released after their request instead of kept for the next, so
// one large request does not pin memory in every slot of a long-lived connection.
constexpr size_t kKeptTextBytes = 16 * 1024;
constexpr size_t kKeptBodyBytes = 64 * 1024;
constexpr size_t kKeptFields = 32;
constexpr size_t kInitialText = 512;
constexpr size_t kInitialFields = 16;

std::string_view View(boost::beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

HttpRequest::const_iterator HttpRequest::find(bhttp::field name) const {
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    if (it->name_ == name) return it;
  }
  return fields_.end();
}

HttpRequest::const_iterator HttpRequest::find(std::string_view name) const {
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    if (boost::beast::iequals(it->name_string_, name)) return it;
  }
  return fields_.end();
}

void HttpRequest::Clear() {
  if (text_.capacity() > kKeptTextBytes) std::string().swap(text_);
  if (body_.capacity() > kKeptBodyBytes) std::string().swap(body_);
  if (fields_.capacity() > kKeptFields) std::vector<Field>().swap(fields_);
  text_.clear();
  body_.clear();
  fields_.clear();
  method_ = bhttp::verb::unknown;
  method_string_ = {};
  target_ = {};
  target_offset_ = 0;
  version_ = 11;
  keep_alive_ = true;
}

void HttpRequest::SetRequestLine(bhttp::verb method, std::string_view method_string,
                                 std::string_view target, int version) {
  method_ = method;
  version_ = version == 10 ? 10 : 11;
  // Room for a typical request on a slot's first use; Clear() keeps it for the next. Reserved
  // here, not in the constructor: a connection has 16 slots and most never carry a request.
  if (text_.capacity() < kInitialText) text_.reserve(kInitialText);
  if (fields_.capacity() < kInitialFields) fields_.reserve(kInitialFields);
  text_.append(method_string);
  target_offset_ = static_cast<uint32_t>(text_.size());
  text_.append(target);
  // Views are fixed once the header is complete (FinishHeader): text_ may still grow.
}

void HttpRequest::AddField(bhttp::field name, std::string_view name_string,
                           std::string_view value) {
  Field& f = fields_.emplace_back();
  f.name_ = name;
  f.name_offset_ = static_cast<uint32_t>(text_.size());
  text_.append(name_string);
  f.value_offset_ = static_cast<uint32_t>(text_.size());
  text_.append(value);
  f.name_string_ = std::string_view(nullptr, name_string.size());
  f.value_ = std::string_view(nullptr, value.size());
}

void HttpRequest::FinishHeader(bool keep_alive) {
  keep_alive_ = keep_alive;
  const char* base = text_.data();
  method_string_ = std::string_view(base, target_offset_);
  const size_t target_end = fields_.empty() ? text_.size() : fields_.front().name_offset_;
  target_ = std::string_view(base + target_offset_, target_end - target_offset_);
  for (Field& f : fields_) {
    f.name_string_ = std::string_view(base + f.name_offset_, f.name_string_.size());
    f.value_ = std::string_view(base + f.value_offset_, f.value_.size());
  }
}

RequestParser::RequestParser(HttpRequest& into) : request_(into) { request_.Clear(); }

void RequestParser::on_request_impl(bhttp::verb method, string_view method_str,
                                    string_view target, int version, error_code&) {
  request_.SetRequestLine(method, View(method_str), View(target), version);
}

void RequestParser::on_field_impl(bhttp::field name, string_view name_string, string_view value,
                                  error_code&) {
  request_.AddField(name, View(name_string), View(value));
}

void RequestParser::on_header_impl(error_code&) { request_.FinishHeader(keep_alive()); }

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                      error_code&) {
  // The base class has already refused a length above body_limit.
  if (content_length) request_.body_.reserve(static_cast<size_t>(*content_length));
}

size_t RequestParser::on_body_impl(string_view body, error_code&) {
  request_.body_.append(body.data(), body.size());
  return body.size();
}

size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  request_.body_.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace ihub
