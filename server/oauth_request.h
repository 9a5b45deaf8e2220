// OAuth request plumbing: reading the parameters of /oauth/* requests (form-encoded, absent
// Content-Type, or JSON: API-DECISIONS item 13) and writing RFC 6749 §5.2 answers.
//
// Parameters are views into thread-local storage reused by every request on the io thread, so a
// warm thread parses without allocating; they are valid until the next ParseOAuthParams on the
// same thread (handlers run to completion before the next request on their loop).
//
// Thread-safety: functions are safe from any io thread; an OAuthParams belongs to its thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/http.h"
#include "store/status.h"

namespace ihub {

// The parameters the OAuth endpoints read; empty views when absent. has_* say whether the two
// parameters whose absence has its own error were sent at all (an empty value counts as sent).
struct OAuthParams {
  std::string_view grant_type, client_id, client_secret, scope, token;
  bool has_grant_type = false;
  bool has_token = false;
};

// Reads the body by its Content-Type. InvalidArgument (a message safe to return) when the type is
// neither form nor JSON, the body is malformed, a parameter repeats (item 34), or a JSON value is
// not a string or is longer than 4096 characters.
Status ParseOAuthParams(const HttpRequest& request, OAuthParams& out);

// An RFC 6749 §5.2 error: {"error":code,"error_description":description}, with Cache-Control:
// no-store and Pragma: no-cache; 401 adds WWW-Authenticate: Basic realm="ihub"; retry_after_s > 0
// adds Retry-After. `description` must hold no secret and no request value.
HttpResponse OAuthError(const RequestContext& ctx, bhttp::status status, std::string_view code,
                        std::string_view description, int64_t retry_after_s = 0);

// The OAuth error for a non-ok status from client or caller authentication:
// Unauthenticated -> 401 invalid_client, PermissionDenied -> 403 insufficient_scope,
// ResourceExhausted -> 429 temporarily_unavailable with Retry-After, InvalidArgument -> 400
// invalid_request, anything else -> 500 server_error.
HttpResponse OAuthErrorFor(const RequestContext& ctx, const Status& status, int64_t retry_after_s);

// A 200 JSON answer that must not be cached (token and introspection answers).
HttpResponse OAuthJson(const RequestContext& ctx, std::string body);

}  // namespace ihub
