// Record builders and a whole-store comparison for the persistence tests.
// Thread-safety: test helpers; one thread.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/client_record.h"
#include "store/snapshot.h"
#include "store/store.h"
#include "store/token_record.h"

namespace ihub::testing {

template <typename R>
std::string Bytes(const R& r) {
  return EncodeBatch({Put<R>{r}});
}

inline OrgRecord Org(const std::string& id) { return OrgRecord{id, "Org " + id, 1700000000000}; }

inline ApiKeyRecord Key(const std::string& id, const std::string& org) {
  ApiKeyRecord k;
  k.id = id;
  k.org_id = org;
  k.name = "key " + id;
  k.permissions = 5;
  k.key_hash = Sha256("ihk_" + id);
  k.created_at_ms = 17;
  return k;
}

inline ClientRecord Client(const std::string& key, const std::string& org, int64_t id) {
  ClientRecord c;
  c.id = id;
  c.org_id = org;
  c.client_key = key;
  c.name = "client " + key;
  c.description = "d";
  c.expiration_token_time = 3600;
  c.scopes = {ScopeEntry{1, ScopePermission::kRead, {"/v3/.*"}}};
  c.secret_hash = Sha256("secret" + key);
  c.created_by = {"root", "crn:x:root-key:root", "root", "ROOT_KEY"};
  EXPECT_TRUE(c.Recompile().ok());
  return c;
}

// Serialized form of every record of every table, sorted: equal iff same contents.
inline std::vector<std::string> Contents(const Store& store) {
  std::vector<std::string> out;
  store.ForEachTable([&](const auto& table) { table.ForEach([&](const auto& r) { out.push_back(Bytes(r)); }); });
  std::sort(out.begin(), out.end());
  return out;
}

inline TokenRecord Token(uint64_t n) {
  TokenRecord t;
  t.token_key = TokenKey{n * 0x9e3779b97f4a7c15ull, n};
  t.set_client_key("c1" + std::string(23, 'k'));
  t.entity_mask = 3;
  t.issued_at_s = 1700000000 + static_cast<int64_t>(n);
  t.expires_at_s = 1700003600 + static_cast<int64_t>(n);
  return t;
}

}  // namespace ihub::testing
