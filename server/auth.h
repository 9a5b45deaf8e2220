// Auth: who is calling, in which org, and whether they may do what they ask.
//
// Three kinds of caller (API.md §1): the operator's root key, an org API key
// (sent as X-Api-Key in any header case), and an API client's Bearer access
// token. X-Api-Key wins when both headers are sent (API-DECISIONS item 10).
// The root key may also be sent as "Authorization: Bearer <root>" (item 18).
// Every secret comparison is constant-time or a lookup by SHA-256 digest.
//
// Thread-safety: pure functions over Services; safe from any io thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "server/http.h"
#include "store/inline_string.h"
#include "store/records.h"
#include "store/status.h"

namespace ihub {

struct Services;
class CompiledScopes;

enum class CallerKind { kRoot, kApiKey, kBearer };

// The ids are held inline (ihub's ids have 22 characters, more than a std::string keeps inline),
// so authenticating a request allocates nothing.
struct Caller {
  CallerKind kind = CallerKind::kRoot;
  InlineString<31> org_id;  // the key's or client's org; for root, the org named by x-platform-id
  // API key callers.
  InlineString<31> key_id;
  std::string key_name;
  uint32_t permissions = 0;
  // Bearer callers: the token's client, and the catalog entities the token carries.
  std::string client_key;
  int64_t client_id = 0;
  uint32_t entity_mask = 0;
  std::shared_ptr<const CompiledScopes> scopes;

  // The audit CRN of this caller in its org (API-DECISIONS item 99):
  // crn:<org>:api-key:<name> | crn:<org>:root-key:root | crn:<org>:api-client:<clientKey>.
  std::string Crn() const { return CrnIn(org_id); }
  // The same in `org`: what the root key, which acts in any org, is called there.
  std::string CrnIn(std::string_view org) const;
};

// crn:<org>:api-client:<clientKey>: an API client's audit CRN (item 99), also for OEM callers,
// who name their client in the request body.
std::string ApiClientCrn(std::string_view org_id, std::string_view client_key);

// Validates a Bearer access token for calls to ihub's own APIs: fills a
// kBearer caller or returns Unauthenticated. Installed by the OAuth module
// (Services::authenticate_bearer); without it Bearer tokens are refused.
using BearerAuthenticator = Result<Caller> (*)(const Services&, std::string_view token);

// Identifies the caller from the request headers. Unauthenticated (401) when no
// credential is sent or the credential is unknown or revoked.
Result<Caller> Authenticate(const Services& services, const HttpRequest& request);

// For org-scoped APIs (Capillary, Solvimon, Centrapay; API-DECISIONS items
// 19, 20): settles caller.org_id. The root key must name an existing org in
// x-platform-id (400 without it, 404 for an unknown org); any other caller
// that sends x-platform-id must name its own org (403 otherwise).
Status ResolveOrg(const Services& services, Caller& caller, const HttpRequest& request);

// Root passes; an API key needs `permission`; a Bearer caller needs one of its
// client's scopes to grant the request's method on its path (item 22).
// PermissionDenied (403) otherwise.
Status RequirePermission(const Caller& caller, Permission permission, const RequestContext& ctx);

// The admission of an org-scoped request (Capillary, Solvimon, Centrapay): Authenticate, then
// ResolveOrg, then RequirePermission(permission), in that order. Returns the caller with its org
// settled, or the first failure (401, 400/403/404 from x-platform-id, 403), which each API family
// answers in its own envelope.
Result<Caller> AdmitOrgCaller(const Services& services, const RequestContext& ctx,
                              Permission permission);

// Operator endpoints are root-only (items 21, 23): PermissionDenied otherwise.
Status RequireRoot(const Caller& caller);

// The admission of an operator request: Authenticate, then RequireRoot. Ok, or
// the first failure (401 or 403) for the caller to answer as problem+json.
Status AdmitRootCaller(const Services& services, const HttpRequest& request);

// Loads the root key's digest into services: env IHUB_ROOT_KEY, else
// <data_dir>/root.key (created with mode 0600 on first start). Logs the path,
// never the key. Internal error if the file cannot be read or written.
Status LoadRootKey(Services& services, const std::string& data_dir);

}  // namespace ihub
