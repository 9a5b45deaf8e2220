// Problem details (RFC 9457): the error envelope of the operator API, the
// authorize endpoint and the Solvimon integrations API (API-DECISIONS items 7,
// 42, 61), and the one place that maps a store Status to an HTTP status.
//
// Body: {"type":"about:blank","title":<reason>,"status":N,"detail":<message>,
//        "code":<CODE>,"errors":[{"field","message"}]}  (errors only for 400s
// from field validation). Messages never echo a request value.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "codec/json_reader.h"
#include "server/http.h"
#include "store/status.h"

namespace ihub {

// The HTTP status for a store/codec status code (kOk maps to 200).
bhttp::status HttpStatusOf(StatusCode code);
// An upper-case code for the status: INVALID_REQUEST, NOT_FOUND, CONFLICT, ...
std::string_view ProblemCodeOf(StatusCode code);

// A problem response for a non-ok status; 401 carries WWW-Authenticate.
HttpResponse ProblemResponse(const RequestContext& ctx, const Status& status);
// A 400 naming every bad field (a malformed body has one error for field "").
HttpResponse ProblemResponse(const RequestContext& ctx, const FieldErrors& errors);

// A JSON response that keeps the request's HTTP version and keep-alive; a 401 carries
// WWW-Authenticate.
HttpResponse JsonResponse(const RequestContext& ctx, bhttp::status status, std::string body);
// An empty response (204 and the like).
HttpResponse EmptyResponse(const RequestContext& ctx, bhttp::status status);

}  // namespace ihub
