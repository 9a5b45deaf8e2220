// OAuth 2.0 endpoints of API.md §3: POST /oauth/token, /oauth/introspect, /oauth/revoke and
// GET /.well-known/oauth-authorization-server. See docs/oauth.md.
//
// Thread-safety: handlers run on io threads; they share only the store and Services::oauth.
#pragma once

namespace ihub {

class Router;

// Adds the four OAuth routes (family kOAuth). REQUIRES: before the server starts.
void RegisterOAuthRoutes(Router& router);

}  // namespace ihub
