// OEM partner API (seed 002; API.md §1, §4; API-DECISIONS items 74-84):
//   POST  /api/oem-api/vendor                        the vendor catalog (no OEM token needed)
//   POST  /api/oem-api/integration                   create (201)
//   POST  /api/oem-api/integration/list              the org's OEM integrations
//   PATCH /api/oem-api/integration/{integrationId}   replace the credentials
// The partner authenticates in the body: clientId/clientSecret of an API client (any org's;
// the same check and failure throttle as /oauth/token), grantType "client_credentials", scope
// "vendor_manage"; organizationOemToken selects the org and must have been issued to that client.
// Checks run in item 76's order. Credentials must carry exactly the vendor template's keys, are
// sealed at rest and never returned. Answers and errors are {"status":N,"message":…}; records
// are IntegrationRecords of family kVendor.
//
// Thread-safety: handlers run on any io thread; they share only the store and the crypto box.
#pragma once

#include <string>
#include <string_view>

namespace ihub {

class Router;
class Store;

// Adds the routes above.
void RegisterOemRoutes(Router& router);

// One list item of integration `id` when it is an OEM integration of `org_id`: appends it to
// `out` under the record's shard lock (no record copy) and returns true.
bool AppendOemIntegration(const Store& store, std::string_view org_id, std::string_view id,
                          std::string& out);

// The list's work for one org: appends {"integrations":[…],"status":200,"message":…} to `out`.
void AppendOemIntegrationList(const Store& store, std::string_view org_id, std::string& out);

}  // namespace ihub
