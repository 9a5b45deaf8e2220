// HttpRequest: one parsed HTTP/1.1 request as handlers see it, and RequestParser, which fills one
// from the wire with Beast's basic_parser.
//
// Why not beast::http::request<string_body>: its field container allocates one block per header
// and keeps them in a case-insensitive ordered set, so a typical API request paid a dozen
// allocations and a few hundred character comparisons before any handler ran. Here the request
// line and every field are copied into one string and indexed by a small vector, both reused by
// the connection's next request, so parsing a request allocates nothing once a connection is
// warm. Lookups are a linear scan: requests carry a handful of fields (at most 100, item 11).
//
// The interface is the subset of Beast's message that handlers use (find/end, method, target,
// version, keep_alive, body), so handler code reads the same.
//
// Thread-safety: plain values, owned by one connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

namespace ihub {

namespace bhttp = boost::beast::http;

class HttpRequest {
 public:
  class Field {
   public:
    bhttp::field name() const { return name_; }
    std::string_view name_string() const { return name_string_; }
    std::string_view value() const { return value_; }

   private:
    friend class HttpRequest;
    bhttp::field name_ = bhttp::field::unknown;
    uint32_t name_offset_ = 0;  // into the request's text until the header is complete
    uint32_t value_offset_ = 0;
    std::string_view name_string_;
    std::string_view value_;
  };
  using const_iterator = std::vector<Field>::const_iterator;

  HttpRequest() = default;
  // Views point into the request's own text: copying would leave them pointing at the original.
  HttpRequest(const HttpRequest&) = delete;
  HttpRequest& operator=(const HttpRequest&) = delete;

  bhttp::verb method() const { return method_; }
  std::string_view method_string() const { return method_string_; }
  std::string_view target() const { return target_; }
  unsigned version() const { return version_; }  // 10 or 11
  bool keep_alive() const { return keep_alive_; }
  const std::string& body() const { return body_; }
  std::string& body() { return body_; }

  const_iterator begin() const { return fields_.begin(); }
  const_iterator end() const { return fields_.end(); }
  size_t field_count() const { return fields_.size(); }
  // The first field of that name, or end(). By name: ASCII case-insensitive.
  const_iterator find(bhttp::field name) const;
  const_iterator find(std::string_view name) const;

  // Forgets the request, keeping the buffers (up to a bound) for the next one.
  void Clear();

 private:
  friend class RequestParser;
  void SetRequestLine(bhttp::verb method, std::string_view method_string, std::string_view target,
                      int version);
  void AddField(bhttp::field name, std::string_view name_string, std::string_view value);
  void FinishHeader(bool keep_alive);

  std::string text_;  // method, target, then each field's name and value
  std::vector<Field> fields_;
  std::string body_;
  bhttp::verb method_ = bhttp::verb::unknown;
  std::string_view method_string_;
  std::string_view target_;
  uint32_t target_offset_ = 0;
  unsigned version_ = 11;
  bool keep_alive_ = true;
};

// A Beast parser that writes into an HttpRequest it does not own. One parser per message (Beast's
// parsers do not restart); the request outlives it. Limits are the base class's (header_limit,
// body_limit); fields beyond them are refused by the parser before they reach the request.
class RequestParser : public bhttp::basic_parser<true> {
 public:
  // Clears `into` and parses the next message into it.
  explicit RequestParser(HttpRequest& into);

 private:
  using string_view = boost::beast::string_view;
  using error_code = boost::beast::error_code;

  void on_request_impl(bhttp::verb method, string_view method_str, string_view target,
                       int version, error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code&) override {}  // requests only
  void on_field_impl(bhttp::field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  HttpRequest& request_;
};

}  // namespace ihub
