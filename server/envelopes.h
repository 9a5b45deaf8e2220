// Error envelopes: the body each API family uses for an error, so that
// router-level failures (404, 405, 413, 431, 400, 503, 500) look like that
// API's own errors (API-DECISIONS items 6, 7, 49, 61, 76, 85).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "server/http.h"

namespace ihub {

// Returns a complete error response for `family` with Content-Length set:
//   Admin, Ops, Authorize, Solvimon: RFC 9457 application/problem+json
//     {"type":"about:blank","title":<reason>,"status":N,"detail":message,"code":code}
//   OAuth:     {"error":"invalid_request"|"server_error"|"temporarily_unavailable",
//               "error_description":message}
//   Capillary: {"data":null,"errors":[{"code":code,"message":message}]}
//   OEM:       {"status":N,"message":message}
//   Centrapay: {"message":code,"description":message}
// `code` is an upper-case token such as "NOT_FOUND"; message must hold no secret.
// Version, Content-Length and Connection are the session's to frame (server/response_writer.h).
HttpResponse MakeErrorResponse(ApiFamily family, bhttp::status status, std::string_view code,
                               std::string_view message);

// Returns a response with `body` (already JSON) as application/json.
HttpResponse MakeJsonResponse(bhttp::status status, std::string body);

// Lower-case family name used as the `api` label in metrics and logs.
std::string_view FamilyName(ApiFamily family);

}  // namespace ihub
