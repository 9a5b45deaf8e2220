// POST /v1/authorize (API.md §3): the decision an API gateway asks for on every request —
// {token, method, path} -> {allow, reason, clientId, orgId}. See docs/oauth.md.
//
// Thread-safety: the handler runs on io threads and shares only the store and Services::oauth.
#pragma once

namespace ihub {

class Router;

// Adds POST /v1/authorize (family kAuthorize). REQUIRES: before the server starts.
void RegisterAuthorizeRoutes(Router& router);

}  // namespace ihub
