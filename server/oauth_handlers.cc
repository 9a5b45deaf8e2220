// OAuth 2.0 endpoints (API.md §3): client-credentials tokens (RFC 6749 §4.4), introspection
// (RFC 7662), revocation (RFC 7009) and the authorization-server metadata (RFC 8414). Errors are
// RFC 6749 §5.2 bodies; every token and introspection answer carries Cache-Control: no-store.
// Decisions on visibility, check order and scope strings: API-DECISIONS items 29, 33-41, and
// docs/oauth.md.
#include "server/oauth_handlers.h"

#include <optional>
#include <string>

#include "codec/json_writer.h"
#include "server/config.h"
#include "server/metrics.h"
#include "server/oauth_request.h"
#include "server/problem.h"
#include "server/router.h"
#include "server/services.h"
#include "server/token_auth.h"
#include "store/clock.h"
#include "store/scopes.h"
#include "store/store.h"

namespace ihub {
namespace {

// Reads a space-separated `scope` of catalog entity names (case-insensitive, item 29) into a
// mask. Returns false when a name is unknown or not held by the client (`allowed`). An empty
// scope means every entity the client holds.
bool ParseScope(std::string_view scope, uint32_t allowed, uint32_t* mask) {
  *mask = 0;
  size_t pos = 0;
  while (pos < scope.size()) {
    const size_t end = std::min(scope.find(' ', pos), scope.size());
    const std::string_view name = scope.substr(pos, end - pos);
    pos = end + 1;
    if (name.empty()) continue;
    const int index = CatalogIndexOfName(name);
    if (index < 0 || (allowed & (1u << index)) == 0) return false;
    *mask |= 1u << index;
  }
  if (*mask == 0) *mask = allowed;
  return true;
}

// The scope string of a mask, in a reused buffer (no allocation once warm).
std::string_view ScopeString(uint32_t mask) {
  thread_local std::string buffer;
  buffer.clear();
  const auto catalog = DefaultCatalog();
  for (size_t i = 0; i < catalog.size(); ++i) {
    if ((mask & (1u << i)) == 0) continue;
    if (!buffer.empty()) buffer.push_back(' ');
    buffer.append(catalog[i].name);
  }
  return buffer;
}

HttpResponse InvalidRequest(const RequestContext& ctx, std::string_view why) {
  return OAuthError(ctx, bhttp::status::bad_request, "invalid_request", why);
}

// The common start of introspect and revoke: parameters, then the caller (before anything about
// the token is looked at), then the token parameter. Returns the error answer, if any.
std::optional<HttpResponse> ReadTokenRequest(Services& services, const RequestContext& ctx,
                                             OAuthParams& params, Result<TokenCaller>& caller,
                                             std::optional<PresentedToken>& token) {
  if (Status st = ParseOAuthParams(ctx.request, params); !st.ok()) {
    return InvalidRequest(ctx, st.message());
  }
  // Before the caller's authentication, so that its work overlaps the token slot's cache miss.
  if (params.has_token) token.emplace(*services.store, params.token);
  int64_t retry_after_s = 0;
  caller = AuthenticateTokenCaller(services, ctx.request, {params.client_id, params.client_secret},
                                   &retry_after_s);
  if (!caller.ok()) return OAuthErrorFor(ctx, caller.status(), retry_after_s);
  if (!params.has_token) return InvalidRequest(ctx, "token is required");
  return std::nullopt;
}

Reply IssueToken(Services& services, RequestContext& ctx) {
  OAuthParams params;
  if (Status st = ParseOAuthParams(ctx.request, params); !st.ok()) {
    return InvalidRequest(ctx, st.message());
  }
  // Check order of item 33: grant_type present, client, grant_type value, scope.
  if (!params.has_grant_type || params.grant_type.empty()) {
    return InvalidRequest(ctx, "grant_type is required");
  }
  BasicCredentials basic;
  auto presented =
      PresentedClientCredentials(ctx.request, {params.client_id, params.client_secret}, basic);
  if (!presented.ok()) return OAuthErrorFor(ctx, presented.status(), 0);
  if (!presented->has_value()) {
    return OAuthError(ctx, bhttp::status::unauthorized, "invalid_client",
                      "client authentication is required");
  }
  int64_t retry_after_s = 0;
  auto client = AuthenticateClient(services, **presented, &retry_after_s);
  if (!client.ok()) return OAuthErrorFor(ctx, client.status(), retry_after_s);
  if (params.grant_type != "client_credentials") {
    return OAuthError(ctx, bhttp::status::bad_request, "unsupported_grant_type",
                      "only the client_credentials grant is supported");
  }
  uint32_t mask = 0;
  if (!ParseScope(params.scope, client->entity_mask, &mask)) {
    return OAuthError(ctx, bhttp::status::bad_request, "invalid_scope",
                      "scope names an entity the client does not hold");
  }

  const std::string token = NewAccessToken();
  TokenRecord record;
  record.token_key = TokenKeyOf(token);
  record.set_client_key(client->client_key);
  record.entity_mask = static_cast<uint8_t>(mask);
  const int64_t now_s = services.clock->NowSeconds();
  record.issued_at_s = TokenRecord::Seconds(now_s);
  record.expires_at_s = TokenRecord::Seconds(now_s + client->expiration_token_time);
  auto seq = services.store->Write([&](WriteTxn& txn) {
    txn.Put(record);
    return Status::Ok();
  });
  if (!seq.ok()) return OAuthErrorFor(ctx, Status::Internal("write failed"), 0);
  if (services.oauth != nullptr) services.oauth->tokens_issued->Inc();

  std::string body;
  JsonWriter w(body);
  w.BeginObject()
      .Field("access_token", token)
      .Field("token_type", "Bearer")
      .Field("expires_in", client->expiration_token_time)
      .Field("scope", ScopeString(mask))
      .EndObject();
  return {OAuthJson(ctx, std::move(body)), *seq};
}

Reply Introspect(Services& services, RequestContext& ctx) {
  OAuthParams params;
  Result<TokenCaller> caller = TokenCaller{};
  std::optional<PresentedToken> token;
  if (auto refused = ReadTokenRequest(services, ctx, params, caller, token)) {
    return std::move(*refused);
  }

  std::string body;
  const TokenReason reason = InspectToken(
      *services.store, *token, services.clock->NowSeconds(),
      [&](TokenReason base, const TokenRecord& t, const ClientRecord& client) {
        // Another org's token is as unknown as a missing one (item 38).
        if (!caller->Sees(client.org_id)) return TokenReason::kNotFound;
        if (base != TokenReason::kValid) return base;
        const uint32_t live = client.compiled ? client.compiled->entity_mask() : 0;
        JsonWriter w(body);
        w.BeginObject()
            .Field("active", true)
            .Field("client_id", t.client_key_view())
            .Field("scope", ScopeString(t.entity_mask & live))
            .Field("exp", t.expires_at_s)
            .Field("iat", t.issued_at_s)
            .Field("token_type", "Bearer")
            .Field("sub", t.client_key_view())
            .Field("org", client.org_id)
            .EndObject();
        return base;
      });
  if (reason != TokenReason::kValid) body.assign(R"({"active":false})");
  return OAuthJson(ctx, std::move(body));
}

Reply Revoke(Services& services, RequestContext& ctx) {
  OAuthParams params;
  Result<TokenCaller> caller = TokenCaller{};
  std::optional<PresentedToken> presented;
  if (auto refused = ReadTokenRequest(services, ctx, params, caller, presented)) {
    return std::move(*refused);
  }

  uint64_t seq = 0;
  if (presented->well_formed()) {
    const TokenKey& key = presented->key();
    auto written = services.store->Write([&](WriteTxn& txn) {
      auto token = txn.Find<TokenRecord>(key);
      if (!token || token->revoked) return Status::Ok();
      bool allowed = false;
      txn.store().clients().Read(token->client_key_view(), [&](const ClientRecord& client) {
        // A client revokes only its own tokens (RFC 7009 §2.1); keys and root by org (item 41).
        allowed = caller->client_key.empty() ? caller->Sees(client.org_id)
                                             : token->client_key_view() == caller->client_key;
      });
      if (!allowed) return Status::Ok();  // silently ignored: 200 like an unknown token
      token->revoked = true;
      txn.Put(*token);
      return Status::Ok();
    });
    if (!written.ok()) return OAuthErrorFor(ctx, Status::Internal("write failed"), 0);
    seq = *written;
  }
  HttpResponse response = EmptyResponse(ctx, bhttp::status::ok);
  response.set(bhttp::field::cache_control, "no-store");
  return {std::move(response), seq};
}

Reply Metadata(Services& services, RequestContext& ctx) {
  const std::string& issuer = services.config.issuer;
  std::string body;
  JsonWriter w(body);
  auto methods = [&](std::string_view key) {
    w.Key(key).BeginArray().String("client_secret_basic").String("client_secret_post").EndArray();
  };
  w.BeginObject()
      .Field("issuer", issuer)
      .Field("token_endpoint", issuer + "/oauth/token")
      .Field("introspection_endpoint", issuer + "/oauth/introspect")
      .Field("revocation_endpoint", issuer + "/oauth/revoke");
  w.Key("grant_types_supported").BeginArray().String("client_credentials").EndArray();
  w.Key("response_types_supported").BeginArray().EndArray();  // required by RFC 8414; none apply
  methods("token_endpoint_auth_methods_supported");
  methods("introspection_endpoint_auth_methods_supported");
  methods("revocation_endpoint_auth_methods_supported");
  w.Key("scopes_supported").BeginArray();
  for (const CatalogEntity& e : DefaultCatalog()) w.String(e.name);
  w.EndArray().EndObject();
  return JsonResponse(ctx, bhttp::status::ok, std::move(body));
}

}  // namespace

void RegisterOAuthRoutes(Router& router) {
  using bhttp::verb;
  router.Add(verb::get, "/.well-known/oauth-authorization-server", ApiFamily::kOAuth, Metadata);
  router.Add(verb::post, "/oauth/token", ApiFamily::kOAuth, IssueToken);
  router.Add(verb::post, "/oauth/introspect", ApiFamily::kOAuth, Introspect);
  router.Add(verb::post, "/oauth/revoke", ApiFamily::kOAuth, Revoke);
}

}  // namespace ihub
