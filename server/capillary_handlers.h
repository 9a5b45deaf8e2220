// Capillary v3 API clients (seed 001; API.md §1, §3, §4; API-DECISIONS items 47-60):
//   GET    /v3/integrations/scopes                              CLIENT.READ
//   POST   /v3/integrations/clients                             CLIENT.WRITE
//   GET    /v3/integrations/clients                             CLIENT.READ
//   GET    /v3/integrations/clients/{clientKey}                 CLIENT.READ  (hot path)
//   PUT    /v3/integrations/clients/{clientKey}                 CLIENT.WRITE
//   DELETE /v3/integrations/clients/{clientKey}                 CLIENT.WRITE (soft delete)
//   POST   /v3/integrations/clients/{clientKey}/secrets/rotate  CLIENT.WRITE
// Every request: Authenticate -> ResolveOrg (x-platform-id) -> RequirePermission. Another org's
// client answers 404 like an unknown one. Answers and errors use server/capillary_envelope.h.
//
// Thread-safety: handlers run on any io thread; they share only the store (its own locking).
#pragma once

#include <string>
#include <string_view>

namespace ihub {

class Router;
class Store;

// Adds the routes above.
void RegisterCapillaryRoutes(Router& router);

// The client GET's work: looks `client_key` up in one shard under a shared lock and, if it is
// `org_id`'s, appends the whole success envelope to `out` inside the lock (no record copy).
// Returns false (leaving `out` untouched) for an unknown key or another org's client.
bool AppendClientEnvelope(const Store& store, std::string_view org_id, std::string_view client_key,
                          std::string& out);

}  // namespace ihub
