// Operator endpoints for orgs and org API keys (API.md §2).
#pragma once

namespace ihub {
class Router;
// Adds POST/GET /admin/v1/orgs, GET /admin/v1/orgs/{orgId}, and the org's
// /api-keys collection (create, list, revoke).
void RegisterAdminRoutes(Router& router);
}  // namespace ihub
