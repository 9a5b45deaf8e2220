// Session admission: the request limits of API-DECISIONS item 11 and the answers to requests
// that break them or cannot be parsed, and the request id every answer carries.
#include "server/envelopes.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/services.h"
#include "server/session.h"

namespace ihub {
namespace {

constexpr size_t kMaxHeaderLine = 16 * 1024;     // longer: 431
constexpr int kMaxHeaderFields = 100;            // more: 431

bool ValidClientRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Appends v in lower-case hex (no leading zeros) at out[pos]; returns the new pos.
size_t PutHex(char* out, size_t pos, uint64_t v) {
  char tmp[16];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v & 0xf];
    v >>= 4;
  } while (v != 0);
  while (n > 0) out[pos++] = tmp[--n];
  return pos;
}

// The target of a request line that Beast refused to parse, to pick the
// error envelope by path prefix ("" when it cannot be found).
std::string_view RawTarget(std::string_view raw) {
  size_t sp = raw.find(' ');
  if (sp == std::string_view::npos) return {};
  raw.remove_prefix(sp + 1);
  return raw.substr(0, std::min(raw.find(' '), raw.find('\r')));
}

}  // namespace

// Limits Beast does not enforce itself (API-DECISIONS item 11).
bool Session::CheckHeader() {
  const HttpRequest& req = Incoming();
  if (req.target().size() > kMaxRequestLine) {
    RejectRaw(bhttp::status::uri_too_long, "URI_TOO_LONG", "request line too long");
    return false;
  }
  int fields = 0;
  size_t total = 0;
  for (const auto& f : req) {
    size_t line = f.name_string().size() + f.value().size() + 4;
    total += line;
    if (line > kMaxHeaderLine || ++fields > kMaxHeaderFields || total > kMaxHeaderFieldBytes) {
      RejectRaw(bhttp::status::request_header_fields_too_large, "HEADERS_TOO_LARGE",
                "request headers too large");
      return false;
    }
  }
  auto length = parser_->content_length();
  if (length && *length > shared_.max_body) {
    RejectRaw(bhttp::status::payload_too_large, "PAYLOAD_TOO_LARGE",
              "request body exceeds the limit of " + std::to_string(shared_.max_body) + " bytes");
    return false;
  }
  return true;
}

// Answers a request that could not be parsed or broke a limit, then closes:
// the rest of the input cannot be trusted to start at a request boundary.
void Session::RejectRaw(bhttp::status status, std::string_view code, std::string_view message) {
  std::string_view target;
  const bool header_done = parser_ && parser_->is_header_done();
  if (header_done) {
    target = Incoming().target();
  } else {
    auto data = buffer_.data();
    target = RawTarget(std::string_view(static_cast<const char*>(data.data()), data.size()));
  }
  ApiFamily family = FamilyForPath(target.substr(0, target.find('?')));
  Pending& p = Push();  // the slot the parser was filling
  if (!header_done) p.request.Clear();
  parser_.reset();
  p.keep_alive = false;
  rejected_ = true;
  p.metrics_slot = shared_.services.metrics.UnmatchedSlot(family);
  AssignRequestId(p);
  p.response = MakeErrorResponse(family, status, code, message);
  no_more_requests_ = true;
  buffer_.clear();
  Finish(p);
}

void Session::AssignRequestId(Pending& p) {
  auto it = p.request.find("x-request-id");
  if (it != p.request.end() && ValidClientRequestId(it->value())) {
    p.request_id_len = static_cast<uint8_t>(it->value().size());
    std::copy(it->value().begin(), it->value().end(), p.request_id.begin());
    return;
  }
  // boot id, loop, per-loop counter: unique per process run without any sharing.
  char* out = p.request_id.data();
  size_t pos = PutHex(out, 0, shared_.boot_id);
  out[pos++] = '-';
  pos = PutHex(out, pos, static_cast<uint64_t>(loop_.index));
  out[pos++] = '-';
  pos = PutHex(out, pos, ++loop_.requests);
  p.request_id_len = static_cast<uint8_t>(pos);
}

// An error from Beast's parser: 413, 414 or 431 for the limits it enforces, else 400.
void Session::RejectParseError(beast::error_code ec) {
  auto data = buffer_.data();
  std::string_view raw(static_cast<const char*>(data.data()), data.size());
  if (ec == bhttp::error::body_limit) {
    RejectRaw(bhttp::status::payload_too_large, "PAYLOAD_TOO_LARGE",
              "request body exceeds the limit of " + std::to_string(shared_.max_body) + " bytes");
  } else if (ec == bhttp::error::header_limit) {
    size_t eol = raw.find("\r\n");
    if (eol == std::string_view::npos || eol > kMaxRequestLine) {
      RejectRaw(bhttp::status::uri_too_long, "URI_TOO_LONG", "request line too long");
    } else {
      RejectRaw(bhttp::status::request_header_fields_too_large, "HEADERS_TOO_LARGE",
                "request headers too large");
    }
  } else {
    RejectRaw(bhttp::status::bad_request, "BAD_REQUEST", "malformed HTTP request");
  }
}

}  // namespace ihub
