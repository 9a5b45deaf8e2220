// Token auth: client authentication, Bearer tokens, OAuth state and reclamation. See token_auth.h.
#include "server/token_auth.h"

#include <utility>

#include "server/logging.h"
#include "server/metrics.h"
#include "server/services.h"
#include "store/clock.h"
#include "store/scopes.h"
#include "store/secrets.h"

namespace ihub {

std::string_view TokenReasonName(TokenReason reason) {
  switch (reason) {
    case TokenReason::kValid:
      return "VALID";
    case TokenReason::kNotFound:
      return "NOT_FOUND";
    case TokenReason::kClientDisabled:
      return "CLIENT_DISABLED";
    case TokenReason::kRevoked:
      return "REVOKED";
    case TokenReason::kExpired:
      return "EXPIRED";
    case TokenReason::kForbidden:
      return "FORBIDDEN";
  }
  return "NOT_FOUND";
}

void InstallOAuth(Services& services, Metrics& metrics, OAuthState& state) {
  state.tokens_issued =
      metrics.AddCounter("ihub_tokens_issued_total", "Access tokens issued by POST /oauth/token.");
  for (int i = 0; i < kTokenReasonCount; ++i) {
    const std::string labels =
        "reason=\"" + std::string(TokenReasonName(static_cast<TokenReason>(i))) + "\"";
    state.decisions[i] = metrics.AddCounter("ihub_authorize_decisions_total",
                                            "Decisions of POST /v1/authorize by reason.", labels);
  }
  services.oauth = &state;
  services.authenticate_bearer = AuthenticateBearerToken;
}

Result<AuthenticatedClient> AuthenticateClient(const Services& services,
                                               const ClientCredentials& credentials,
                                               int64_t* retry_after_s) {
  // One message for every cause, so an answer never tells which part was wrong.
  const Status kInvalid = Status::Unauthenticated("client authentication failed");
  if (credentials.client_id.size() != TokenRecord::kClientKeySize) return kInvalid;
  const int64_t now_ms = services.clock->NowMs();
  AuthThrottle* throttle = services.oauth != nullptr ? &services.oauth->throttle : nullptr;
  if (throttle != nullptr) {
    const int64_t wait = throttle->RetryAfterSeconds(credentials.client_id, now_ms);
    if (wait > 0) {
      *retry_after_s = wait;
      return Status::ResourceExhausted("too many failed client authentications; retry later");
    }
  }
  const Digest presented = Sha256(credentials.client_secret);
  AuthenticatedClient out;
  bool matched = false;
  const bool exists =
      services.store->clients().Read(credentials.client_id, [&](const ClientRecord& client) {
        if (!client.is_valid || !client.SecretMatches(presented, now_ms)) return;
        matched = true;
        out.org_id = client.org_id;
        out.client_key = client.client_key;
        out.expiration_token_time = client.expiration_token_time;
        out.entity_mask = client.compiled ? client.compiled->entity_mask() : 0;
      });
  if (!exists) return kInvalid;  // unknown keys are not tracked: nothing there to guess
  if (!matched) {
    if (throttle != nullptr) {
      const int64_t wait = throttle->RecordFailure(credentials.client_id, now_ms);
      if (wait > 0) {
        // The failure that locks the key already answers 429, so the client learns the wait.
        Log(LogLevel::kWarn, "client authentication throttled", {{"seconds", wait}});
        *retry_after_s = wait;
        return Status::ResourceExhausted("too many failed client authentications; retry later");
      }
    }
    return kInvalid;
  }
  if (throttle != nullptr) throttle->RecordSuccess(credentials.client_id);
  return out;
}

Result<std::optional<ClientCredentials>> PresentedClientCredentials(const HttpRequest& request,
                                                                    const ClientCredentials& body,
                                                                    BasicCredentials& basic) {
  auto header = request.find(bhttp::field::authorization);
  if (header != request.end()) {
    Result<BasicCredentials> parsed = ParseBasicAuth(header->value());
    if (parsed.ok()) {
      if (!body.client_secret.empty() ||
          (!body.client_id.empty() && body.client_id != parsed->user)) {
        return Status::InvalidArgument("use one client authentication method, not two");
      }
      basic = std::move(parsed).value();
      return std::optional<ClientCredentials>(ClientCredentials{basic.user, basic.password});
    }
    // Another scheme (Bearer, ...) is not client authentication: fall through to the body.
    if (parsed.status().code() != StatusCode::kUnauthenticated) {
      return Status::Unauthenticated("the Basic authorization header is malformed");
    }
  }
  if (body.client_id.empty() && body.client_secret.empty()) {
    return std::optional<ClientCredentials>();
  }
  return std::optional<ClientCredentials>(body);
}

Result<TokenCaller> AuthenticateTokenCaller(const Services& services, const HttpRequest& request,
                                            const ClientCredentials& body, int64_t* retry_after_s) {
  TokenCaller out;
  if (request.find("X-Api-Key") != request.end()) {
    Result<Caller> caller = Authenticate(services, request);
    if (!caller.ok()) return caller.status();
    if (caller->kind == CallerKind::kRoot) {
      out.root = true;
      return out;
    }
    if (!HasPermission(caller->permissions, Permission::kTokenIntrospect)) {
      return Status::PermissionDenied("the API key lacks the TOKEN.INTROSPECT permission");
    }
    out.org_id = std::move(caller->org_id);
    return out;
  }
  BasicCredentials basic;
  auto presented = PresentedClientCredentials(request, body, basic);
  if (!presented.ok()) return presented.status();
  if (!presented->has_value()) return Status::Unauthenticated("client authentication is required");
  auto client = AuthenticateClient(services, **presented, retry_after_s);
  if (!client.ok()) return client.status();
  out.org_id = std::move(client->org_id);
  out.client_key = std::move(client->client_key);
  return out;
}

Result<Caller> AuthenticateBearerToken(const Services& services, std::string_view token) {
  Caller caller;
  const TokenReason reason =
      InspectToken(*services.store, token, services.clock->NowSeconds(),
                   [&](TokenReason base, const TokenRecord& t, const ClientRecord& client) {
                     if (base != TokenReason::kValid) return base;
                     caller.kind = CallerKind::kBearer;
                     caller.org_id = client.org_id;
                     caller.client_key = t.client_key_view();
                     caller.client_id = client.id;
                     caller.entity_mask = t.entity_mask;
                     caller.scopes = client.compiled;
                     return base;
                   });
  if (reason != TokenReason::kValid) return Status::Unauthenticated("the access token is not valid");
  return caller;
}

void TokenReclaimer::Start(Services& services, std::chrono::milliseconds interval) {
  stop_ = false;
  thread_ = std::thread([this, &services, interval] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, interval, [this] { return stop_; })) {
      lock.unlock();
      const size_t erased = SweepOnce(services);
      if (erased != 0) Log(LogLevel::kInfo, "expired tokens reclaimed", {{"count", erased}});
      lock.lock();
    }
  });
}

void TokenReclaimer::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

size_t TokenReclaimer::SweepOnce(Services& services) {
  const int64_t now_ms = services.clock->NowMs();
  const int64_t cutoff_s = now_ms / 1000 - kExpiredTokenRetentionSeconds;
  const size_t erased = services.store->EraseIf<TokenRecord>(
      [cutoff_s](const TokenRecord& t) { return static_cast<int64_t>(t.expires_at_s) <= cutoff_s; });
  if (services.oauth != nullptr) services.oauth->throttle.Sweep(now_ms);
  return erased;
}

}  // namespace ihub
