// Token auth: the shared core of the OAuth endpoints, /v1/authorize and Bearer calls to ihub's own
// APIs — checking a presented access token, authenticating an API client by its key and secret
// (with the failure throttle), and the OAuth module's process state (throttle, counters, the
// background reclaimer of expired tokens).
//
// A token check is two shard reads and no copy of a string: the token's shard (its fixed-size
// record is copied to the stack, so no lock is held while the next is taken), then its client's
// shard, where the caller's callback runs. The client is read on every use, so deleting a client
// or changing its scopes takes effect on its tokens at once (API-DECISIONS items 30, 48).
//
// Thread-safety: every function may be called from any io thread. OAuthState is created before
// the server starts; its members are thread-safe. TokenReclaimer's Start/Stop are called from
// main's thread only.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "codec/form.h"
#include "server/auth.h"
#include "store/auth_throttle.h"
#include "store/status.h"
#include "store/store.h"
#include "store/token_format.h"

namespace ihub {

class Counter;
class Metrics;
struct Services;

// The reasons of /v1/authorize (API.md §3), in precedence order after kNotFound (item 43).
enum class TokenReason : uint8_t { kValid, kNotFound, kClientDisabled, kRevoked, kExpired, kForbidden };
inline constexpr int kTokenReasonCount = 6;
std::string_view TokenReasonName(TokenReason reason);

// The OAuth module's process-wide state; one instance per server (Services::oauth).
struct OAuthState {
  AuthThrottle throttle;
  Counter* tokens_issued = nullptr;                             // ihub_tokens_issued_total
  std::array<Counter*, kTokenReasonCount> decisions{};          // ihub_authorize_decisions_total
};

// Creates the OAuth state, registers its metrics and installs the Bearer authenticator in
// `services`. REQUIRES: before the server starts; `state` outlives the server.
void InstallOAuth(Services& services, Metrics& metrics, OAuthState& state);

// A token as presented, gated and keyed once. Construct it as soon as the token is known: it runs
// the checksum gate and the SHA-256, and asks for the token's slot (SlotMap::Prefetch), so the
// handler's other work before InspectToken (authenticating its own caller) overlaps the slot's
// cache miss instead of waiting for it afterwards.
class PresentedToken {
 public:
  PresentedToken(const Store& store, std::string_view token)
      : well_formed_(IsWellFormedAccessToken(token)) {
    if (!well_formed_) return;
    key_ = TokenKeyOf(token);
    store.tokens().Prefetch(key_);
  }
  bool well_formed() const { return well_formed_; }
  const TokenKey& key() const { return key_; }  // REQUIRES: well_formed()

 private:
  bool well_formed_;
  TokenKey key_{};
};

// Decides the reason for `token` at now_s, then calls
//   fn(TokenReason base, const TokenRecord& token, const ClientRecord& client) -> TokenReason
// under the client's shard lock (shared) when the token and its client exist, and returns what fn
// returns; returns kNotFound without calling fn otherwise. `base` follows item 43's precedence:
// kClientDisabled > kRevoked > kExpired > kValid; fn may narrow it (another org's token ->
// kNotFound, a scope miss -> kForbidden). A malformed or bad-checksum token never reaches the
// store. fn must be short and must not block (it runs under a shard lock).
template <typename Fn>
TokenReason InspectToken(const Store& store, const PresentedToken& token, int64_t now_s, Fn&& fn) {
  if (!token.well_formed()) return TokenReason::kNotFound;
  TokenRecord record;
  if (!store.tokens().Read(token.key(), [&](const TokenRecord& t) { record = t; })) {
    return TokenReason::kNotFound;
  }
  TokenReason result = TokenReason::kNotFound;
  store.clients().Read(record.client_key_view(), [&](const ClientRecord& client) {
    TokenReason base = TokenReason::kValid;
    if (!client.is_valid) {
      base = TokenReason::kClientDisabled;
    } else if (record.revoked) {
      base = TokenReason::kRevoked;
    } else if (record.expired(now_s)) {
      base = TokenReason::kExpired;
    }
    result = fn(base, std::as_const(record), client);
  });
  return result;
}
template <typename Fn>
TokenReason InspectToken(const Store& store, std::string_view token, int64_t now_s, Fn&& fn) {
  return InspectToken(store, PresentedToken(store, token), now_s, std::forward<Fn>(fn));
}

// Client credentials as presented (views into the request or its parsed body).
struct ClientCredentials {
  std::string_view client_id;
  std::string_view client_secret;
};

// An authenticated API client: what the token endpoint and the introspection callers need.
struct AuthenticatedClient {
  std::string org_id;
  std::string client_key;
  int64_t expiration_token_time = 0;
  uint32_t entity_mask = 0;  // the catalog entities the client holds scopes for
};

// Authenticates an API client by key and secret: a valid (not deleted) client whose current
// secret, or previous secret within its grace period, matches — compared by SHA-256 digest in
// constant time. Unauthenticated for anything else, with one message whatever the cause.
// ResourceExhausted when the key is locked by the throttle; then *retry_after_s is set and the
// secret is not even checked. A wrong secret of an existing client counts as a failure.
Result<AuthenticatedClient> AuthenticateClient(const Services& services,
                                               const ClientCredentials& credentials,
                                               int64_t* retry_after_s);

// Client credentials from HTTP Basic (URL-encoded id and secret, RFC 6749 §2.3.1) or from the
// request's own client_id/client_secret parameters (`body`; empty views when absent).
// Returns nullopt when neither is sent. InvalidArgument when Basic comes with a client_secret
// parameter or a different client_id (item 34); Unauthenticated when the Basic header is
// malformed. `basic` holds the decoded Basic values the result may point into.
Result<std::optional<ClientCredentials>> PresentedClientCredentials(const HttpRequest& request,
                                                                    const ClientCredentials& body,
                                                                    BasicCredentials& basic);

// Who asks about a token (introspect, revoke, authorize; items 38, 41, 42).
struct TokenCaller {
  bool root = false;        // sees every org's tokens
  std::string org_id;       // otherwise only this org's
  std::string client_key;   // set when the caller is an API client
  bool Sees(std::string_view org) const { return root || org == org_id; }
};

// Authenticates a TokenCaller: an X-Api-Key (the root key, or an org key that must hold
// TOKEN.INTROSPECT: PermissionDenied otherwise), else client credentials (see
// PresentedClientCredentials; errors as there and as AuthenticateClient). Unauthenticated when no
// credential is sent. A Bearer token is never a caller credential here.
Result<TokenCaller> AuthenticateTokenCaller(const Services& services, const HttpRequest& request,
                                            const ClientCredentials& body, int64_t* retry_after_s);

// The BearerAuthenticator of auth.h: a valid, unexpired, unrevoked token of a valid client
// becomes Caller{kBearer, org, client key, client id, entity mask, compiled scopes}.
Result<Caller> AuthenticateBearerToken(const Services& services, std::string_view token);

// Background reclamation (item 37): every `interval`, erases tokens expired for more than
// kExpiredTokenRetentionSeconds (one store shard at a time, not journaled) and lets the throttle
// forget quiet keys.
class TokenReclaimer {
 public:
  TokenReclaimer() = default;
  ~TokenReclaimer() { Stop(); }
  TokenReclaimer(const TokenReclaimer&) = delete;
  TokenReclaimer& operator=(const TokenReclaimer&) = delete;

  // REQUIRES: services.store and services.clock set; not already started.
  void Start(Services& services, std::chrono::milliseconds interval = std::chrono::seconds(60));
  // Stops and joins the thread; a no-op when not started.
  void Stop();

  // One sweep now; returns the tokens erased (also used by tests).
  static size_t SweepOnce(Services& services);

 private:
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
};

}  // namespace ihub
