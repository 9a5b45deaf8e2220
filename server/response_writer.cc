// Response framing; see response_writer.h.
#include "server/response_writer.h"

#include <charconv>

namespace ihub {
namespace {

// The fields the session frames itself; a handler's copy of them is not sent.
bool FramedBySession(const HttpResponse::value_type& f) {
  switch (f.name()) {
    case bhttp::field::content_length:
    case bhttp::field::connection:
    case bhttp::field::transfer_encoding:
      return true;
    default:
      break;
  }
  const std::string_view name = f.name_string();
  return name.size() == 12 && boost::beast::iequals(name, "x-request-id");
}

void AppendUnsigned(std::string& out, uint64_t v) {
  char digits[20];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), v);
  (void)ec;  // 20 digits always suffice for 64 bits
  out.append(digits, end);
}

bool CarriesBody(unsigned code) { return code >= 200 && code != 204 && code != 304; }

}  // namespace

void AppendResponse(const HttpResponse& response, const ResponseFraming& framing,
                    std::string& out) {
  const unsigned code = response.result_int();
  const std::string_view reason = bhttp::obsolete_reason(response.result());
  const std::string_view body = response.body();

  out.append(framing.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendUnsigned(out, code);
  out.push_back(' ');
  out.append(reason);
  out.append("\r\n");
  for (const auto& f : response) {
    if (FramedBySession(f)) continue;
    out.append(f.name_string());
    out.append(": ");
    out.append(f.value());
    out.append("\r\n");
  }
  out.append("x-request-id: ");
  out.append(framing.request_id);
  out.append("\r\n");
  if (framing.version == 10) {
    if (framing.keep_alive) out.append("Connection: keep-alive\r\n");
  } else if (!framing.keep_alive) {
    out.append("Connection: close\r\n");
  }
  const bool with_body = CarriesBody(code);
  if (with_body) {
    out.append("Content-Length: ");
    AppendUnsigned(out, body.size());
    out.append("\r\n");
  }
  out.append("\r\n");
  if (with_body && !framing.head) out.append(body);
}

}  // namespace ihub
