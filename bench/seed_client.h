// The client every benchmark stores: the Capillary seed's create body as a ClientRecord (two
// scopes compiled once, a hashed secret, API-key attribution), so the client baseline and the
// integration reads it is compared with encode the same record.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "store/client_record.h"
#include "store/client_rules.h"
#include "store/scopes.h"
#include "store/secrets.h"

namespace ihub {

inline ClientRecord MakeSeedClient(const std::string& org_id, int64_t id) {
  static const std::vector<ScopeEntry> scopes = {
      {1, ScopePermission::kReadWrite, {".*v3/targetGroups.*"}}, {2, ScopePermission::kWrite, {}}};
  static const auto compiled = CompiledScopes::Compile(std::span<const ScopeEntry>(scopes));
  ClientRecord c;
  c.id = id;
  c.org_id = org_id;
  c.client_key = RandomBase62(kClientKeyLength);
  c.name = "NewName3";
  c.description = "Sample description";
  c.expiration_token_time = 600;
  c.default_till_id = 15000449;
  c.scopes = scopes;
  c.compiled = *compiled;
  c.secret_hash = Sha256(RandomBase62(kClientSecretLength));
  c.created_on_ms = c.last_updated_on_ms = 1586960046104;
  c.created_by = c.last_updated_by = {"5rJ0c3kQ2bXnWm8pLz1vYq", "crn:org:api-key:writer", "writer",
                                      "API_KEY"};
  return c;
}

}  // namespace ihub
