// POST /v1/authorize: is this token allowed to call `method` on `path`? (API.md §3, API-DECISIONS
// items 42-45). Always 200 with a decision for a well-formed request from an authenticated
// caller; errors are problem details. The decision reads the token's shard, then its client's:
// the scope check uses the client's CURRENT scopes limited to the token's entities (item 30).
#include "server/authorize_handlers.h"

#include <string>

#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "server/metrics.h"
#include "server/problem.h"
#include "server/router.h"
#include "server/services.h"
#include "server/token_auth.h"
#include "store/clock.h"
#include "store/scopes.h"
#include "store/store.h"

namespace ihub {
namespace {

constexpr size_t kMaxPathLength = 4096;

struct AuthorizeRequest {
  std::string token, method, path, client_id, client_secret;
};

bool StartsWithSlash(std::string_view s) { return !s.empty() && s.front() == '/'; }

void WriteDecision(std::string& body, TokenReason reason, std::string_view client_key,
                   std::string_view org_id) {
  JsonWriter w(body);
  w.BeginObject()
      .Field("allow", reason == TokenReason::kValid)
      .Field("reason", TokenReasonName(reason));
  // A NOT_FOUND names nobody, so no other org's existence leaks (item 44).
  if (reason == TokenReason::kNotFound) {
    w.FieldNull("clientId").FieldNull("orgId");
  } else {
    w.Field("clientId", client_key).Field("orgId", org_id);
  }
  w.EndObject();
}

// Reads the body into `req` (reused: thread-local). Returns false with `errors` filled.
bool ReadRequest(const RequestContext& ctx, AuthorizeRequest& req, FieldErrors& errors) {
  req.token.clear();
  req.method.clear();
  req.path.clear();
  req.client_id.clear();
  req.client_secret.clear();
  Status st = ReadJsonObject(ctx.request.body(), errors, [&](ObjectReader& o) {
    o.String("token", {.required = true, .max_len = 4096}, req.token);
    o.String("method", {.required = true, .min_len = 1, .max_len = 16}, req.method);
    o.String("path", {.required = true, .min_len = 1, .max_len = kMaxPathLength,
                      .pattern = StartsWithSlash, .pattern_hint = "must start with '/'"},
             req.path);
    o.String("client_id", {.max_len = 256}, req.client_id);
    o.String("client_secret", {.max_len = 256}, req.client_secret);
  });
  return st.ok();
}

Reply Authorize(Services& services, RequestContext& ctx) {
  thread_local AuthorizeRequest req;
  FieldErrors errors;
  const bool read = ReadRequest(ctx, req, errors);
  if (errors.malformed()) return ProblemResponse(ctx, errors);
  // Before the caller's authentication, so that its work overlaps the token slot's cache miss.
  const PresentedToken token(*services.store, req.token);
  // Caller first, so an unauthenticated client learns nothing about the token or its fields.
  int64_t retry_after_s = 0;
  auto caller = AuthenticateTokenCaller(services, ctx.request, {req.client_id, req.client_secret},
                                        &retry_after_s);
  if (!caller.ok()) {
    HttpResponse response = ProblemResponse(ctx, caller.status());
    if (retry_after_s > 0) response.set(bhttp::field::retry_after, std::to_string(retry_after_s));
    return response;
  }
  if (!read) return ProblemResponse(ctx, errors);
  MethodClass method_class = MethodClass::kNone;
  if (!ClassifyMethod(req.method, &method_class)) {
    errors.Add("method", FieldErrorKind::kUnknownEnum, "method is not a known HTTP method");
    return ProblemResponse(ctx, errors);
  }
  std::string_view path = req.path;
  path = path.substr(0, path.find('?'));  // item 32: the query string is not matched

  std::string body;
  const TokenReason reason = DecideAuthorize(*services.store, *caller, token, method_class,
                                             path, services.clock->NowSeconds(), body);
  if (services.oauth != nullptr) services.oauth->decisions[static_cast<int>(reason)]->Inc();
  return JsonResponse(ctx, bhttp::status::ok, std::move(body));
}

}  // namespace

TokenReason DecideAuthorize(const Store& store, const TokenCaller& caller,
                            const PresentedToken& token, MethodClass method,
                            std::string_view path, int64_t now_s, std::string& body) {
  const size_t start = body.size();
  const TokenReason reason = InspectToken(
      store, token, now_s, [&](TokenReason base, const TokenRecord& t, const ClientRecord& client) {
        if (!caller.Sees(client.org_id)) return TokenReason::kNotFound;
        TokenReason decided = base;
        if (base == TokenReason::kValid &&
            !(client.compiled && client.compiled->Allows(t.entity_mask, method, path))) {
          decided = TokenReason::kForbidden;
        }
        WriteDecision(body, decided, t.client_key_view(), client.org_id);
        return decided;
      });
  if (reason == TokenReason::kNotFound) {
    body.resize(start);
    WriteDecision(body, reason, {}, {});
  }
  return reason;
}

void RegisterAuthorizeRoutes(Router& router) {
  router.Add(bhttp::verb::post, "/v1/authorize", ApiFamily::kAuthorize, Authorize);
}

}  // namespace ihub
