// Operator endpoints (API.md §2): GET /livez and /healthz (liveness),
// GET /readyz (200 once restored, else 503), GET /metrics (Prometheus text).
// None needs credentials (API-DECISIONS item 113).
//
// Thread-safety: handlers are called on any io thread; they read only atomics
// and the thread-safe Metrics.
#pragma once

namespace ihub {

class Router;

// Adds the operator routes to router (family kOps, never gated by readiness).
void RegisterOpsRoutes(Router& router);

}  // namespace ihub
