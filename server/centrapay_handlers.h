// Centrapay managed integrations (seed 000; API.md §1, §4; API-DECISIONS items 85-100):
//   POST   /api/managed-integrations/{type}/{externalId}  MANAGED_INTEGRATION.WRITE (upsert, 200)
//   GET    /api/managed-integrations                      MANAGED_INTEGRATION.READ (?type=&status=)
//   GET    /api/managed-integrations/{id}                 MANAGED_INTEGRATION.READ  (hot path)
//   DELETE /api/managed-integrations/{id}                 MANAGED_INTEGRATION.WRITE (archive, 200)
//   POST   /api/invitations/{code}/accept                 no credential: the code is one
// Org-scoped requests: Authenticate -> ResolveOrg (x-platform-id) -> RequirePermission, then the
// request is validated. Another org's id answers 404 like an unknown one. The invitation code is
// never logged (the request log names the route template) nor put in an error message. Types and
// their params rules: store/managed_types.h; lifecycle: store/managed_integration_rules.h;
// answers and errors: server/centrapay_envelope.h.
//
// Thread-safety: handlers run on any io thread; they share only the store (its own locking).
#pragma once

#include <string>
#include <string_view>

namespace ihub {

class Router;
class Store;

// Adds the routes above.
void RegisterCentrapayRoutes(Router& router);

// The GET-by-id's work: looks `id` up in one shard under a shared lock and, if it is a managed
// integration of `org_id`, appends its answer to `out` inside the lock (no record copy).
// Returns false (leaving `out` untouched) for an unknown id, another org's, or another family's.
bool AppendManagedIntegration(const Store& store, std::string_view org_id, std::string_view id,
                              std::string& out);

}  // namespace ihub
