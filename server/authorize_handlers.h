// POST /v1/authorize (API.md §3): the decision an API gateway asks for on every request —
// {token, method, path} -> {allow, reason, clientId, orgId}. See docs/oauth.md.
//
// Thread-safety: the handler runs on io threads and shares only the store and Services::oauth.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/token_auth.h"
#include "store/scopes.h"

namespace ihub {

class Router;

// The decision for a well-formed request: `token` (presented before the caller was
// authenticated, so its slot was prefetched meanwhile) checked at now_s by InspectToken, seen by
// `caller` (another org's token is NOT_FOUND, item 44), its client's current scopes limited to
// the token's entities granting `method` on `path` (query string already removed). Appends the
// answer's JSON object to `body` and returns its reason. The whole of the handler's work between
// reading the request and framing the answer; token_benchmark measures it.
TokenReason DecideAuthorize(const Store& store, const TokenCaller& caller,
                            const PresentedToken& token, MethodClass method,
                            std::string_view path, int64_t now_s, std::string& body);

// Adds POST /v1/authorize (family kAuthorize). REQUIRES: before the server starts.
void RegisterAuthorizeRoutes(Router& router);

}  // namespace ihub
