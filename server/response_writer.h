// Response framing: turns a handler's HttpResponse into the bytes sent on the wire.
//
// The session owns framing, not the handler: the status line's version, Content-Length,
// Connection and x-request-id are decided per connection and written here, and whatever a handler
// set for them is ignored. Every answer is appended to one per-connection output buffer, so the
// answers that are ready together (pipelining) go out in one write, and serving a request costs
// no allocation once the buffer has grown to its working size. Beast's serializer is not used on
// this path: it walks the fields through several layers of buffer-sequence adaptors and cost more
// than the rest of the answer (measured in docs/performance.md).
//
// Thread-safety: pure functions on the caller's buffer.
#pragma once

#include <string>
#include <string_view>

#include "server/http.h"

namespace ihub {

// What the connection decides about one answer.
struct ResponseFraming {
  unsigned version = 11;        // of the request: 10 answers HTTP/1.0, anything else HTTP/1.1
  bool keep_alive = true;       // false: "Connection: close" (HTTP/1.1) / no keep-alive (1.0)
  bool head = false;            // a HEAD request: headers (Content-Length included), no body
  std::string_view request_id;  // echoed as x-request-id
};

// Appends the status line, the handler's fields (except Content-Length, Connection,
// Transfer-Encoding and x-request-id), the framing fields and the body to `out`.
// 1xx, 204 and 304 answers carry neither body nor Content-Length (RFC 9110 §8.6).
void AppendResponse(const HttpResponse& response, const ResponseFraming& framing,
                    std::string& out);

}  // namespace ihub
