// Solvimon typed integrations (seed 003; API.md §4; API-DECISIONS items 61-73):
//   POST   /v1/integrations                 INTEGRATION.CREATE  201
//   GET    /v1/integrations                 INTEGRATION.READ    ?page=&limit=&type=&status=
//   GET    /v1/integrations/{resourceId}    INTEGRATION.READ    (hot path)
//   PUT    /v1/integrations/{resourceId}    INTEGRATION.UPDATE  full replacement (item 70)
//   PATCH  /v1/integrations/{resourceId}    INTEGRATION.UPDATE  top-level merge (item 70)
//   DELETE /v1/integrations/{resourceId}    INTEGRATION.DELETE  204, hard delete (item 71)
// Every request: Authenticate (X-API-KEY or Bearer) -> ResolveOrg (x-platform-id) ->
// RequirePermission. Other versions (/v2/integrations, …) fall to the router's 404 in this
// family's envelope (item 72). Errors are problem+json (item 61). Records are IntegrationRecords
// of family kTyped; rules live in store/integration_rules.h.
//
// Thread-safety: handlers run on any io thread; they share only the store and the crypto box
// (both safe from any thread).
#pragma once

#include <string>
#include <string_view>

namespace ihub {

class Router;
class Store;

// Adds the routes above.
void RegisterSolvimonRoutes(Router& router);

// The GET's work: if `id` is a Solvimon integration of `org_id`, appends its answer to `out`
// under the record's shard lock (no record copy) and returns true.
bool AppendSolvimonIntegration(const Store& store, std::string_view org_id, std::string_view id,
                               std::string& out);

}  // namespace ihub
