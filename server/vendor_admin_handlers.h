// Operator endpoints of the OEM partner API (API.md §2; API-DECISIONS items 23, 81-83):
//   POST /admin/v1/vendors                     root          201 the vendor
//   GET  /admin/v1/vendors                     root          {"items":[…],"nextCursor"} (item 3)
//   POST /admin/v1/orgs/{orgId}/oem-tokens     root, or the org's own key with INTEGRATION.CREATE
//                                              {clientKey} -> 201 {organizationOemToken}
// Errors are problem+json. The vendor encoding is shared with the OEM API's vendor list.
//
// Thread-safety: handlers run on any io thread; they share only the store.
#pragma once

namespace ihub {

class JsonWriter;
class Router;
struct VendorRecord;

// Adds the routes above.
void RegisterVendorAdminRoutes(Router& router);

// {"id","name","integrationStatus","integrationType","integrationCredentialTemplate":{k:""}}, the
// seed's vendor object (seed 002).
void WriteVendor(JsonWriter& w, const VendorRecord& vendor);

}  // namespace ihub
