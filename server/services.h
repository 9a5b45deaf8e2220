// Services: everything a handler may reach besides its request. One instance
// lives in main() for the life of the process and is passed by reference to
// every handler call.
//
// Thread-safety: the struct itself is shared by all io threads. `config` is
// immutable once the server runs; `metrics` is thread-safe; `ready` is atomic.
// Pointers (store, clock) are set before the server starts and never change;
// the objects they point to carry their own thread-safety rules. Owners of
// other modules add members here (a plain struct on purpose).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "server/auth.h"
#include "store/secrets.h"

namespace ihub {

struct Config;
class Metrics;
class Store;
class Clock;
struct OAuthState;
class Persistence;
class CryptoBox;

struct Services {
  Services(const Config& c, Metrics& m) : config(c), metrics(m) {}

  const Config& config;
  Metrics& metrics;
  // False while the store is restoring: non-ops endpoints answer 503 with
  // Retry-After: 1 (API-DECISIONS item 111).
  std::atomic<bool> ready{false};

  Store* store = nullptr;

  // SHA-256 of the root key (server/auth.h LoadRootKey); compared in constant time.
  Digest root_key_hash{};
  bool root_key_loaded = false;
  // Validates Bearer access tokens on ihub's own APIs; installed by the OAuth
  // module. Null: Bearer tokens other than the root key are refused (401).
  BearerAuthenticator authenticate_bearer = nullptr;
  Clock* clock = nullptr;
  // The OAuth module's throttle and counters (server/token_auth.h InstallOAuth).
  OAuthState* oauth = nullptr;

  // Snapshots and the journal (store/persistence.h); set by OpenPersistence.
  Persistence* persistence = nullptr;
  // AES-256-GCM for third-party secrets at rest (store/crypto_box.h, item 109).
  const CryptoBox* crypto = nullptr;

  // Durability hook: calls on_durable once the journal has made `seq` durable.
  // on_durable may run on any thread (the session posts back to its loop).
  // Empty = every write is durable at once.
  std::function<void(uint64_t seq, std::function<void()> on_durable)> when_durable;
};

}  // namespace ihub
