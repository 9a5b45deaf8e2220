// Operator API (API.md §2): orgs and org API keys. Root key only (API-DECISIONS
// item 23); errors are problem details; lists are {"items":[…],"nextCursor"}.
#include "server/admin_handlers.h"

#include <string>

#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "codec/time_format.h"
#include "server/admin_list.h"
#include "server/auth.h"
#include "codec/query.h"
#include "server/problem.h"
#include "server/router.h"
#include "server/services.h"
#include "store/clock.h"
#include "store/records.h"
#include "store/secrets.h"
#include "store/store.h"

namespace ihub {
namespace {

// Key names go into CRNs (crn:<org>:api-key:<name>): no ':' and no whitespace (item 24).
bool IsKeyName(std::string_view name) {
  for (char c : name) {
    if (c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      return false;
    }
  }
  return true;
}

// Admin list parameters (item 2): limit 1–500 (default 50) and a cursor that must be a
// well-formed record id. A cursor whose record was deleted meanwhile still works: listing
// resumes after its key, so a concurrent delete never breaks a client's pagination.
bool ReadListQuery(const RequestContext& ctx, ListQuery& query, FieldErrors& errors) {
  if (!ParseListQuery(ctx.query, ListQueryRule{}, query, errors)) return false;
  if (query.cursor && (query.cursor->size() != kIdLength || !IsBase62(*query.cursor))) {
    errors.Add("cursor", FieldErrorKind::kPattern, "cursor is not a valid cursor");
    return false;
  }
  return true;
}

void WriteOrg(JsonWriter& w, const OrgRecord& org) {
  w.BeginObject()
      .Field("id", org.id)
      .Field("name", org.name)
      .Field("createdAt", FormatIso8601Millis(org.created_at_ms))
      .EndObject();
}

void WriteApiKey(JsonWriter& w, const ApiKeyRecord& key, std::string_view secret) {
  w.BeginObject().Field("id", key.id).Field("name", key.name);
  w.Key("permissions").BeginArray();
  for (std::string_view name : PermissionNames(key.permissions)) w.String(name);
  w.EndArray();
  if (!secret.empty()) w.Field("key", secret);
  w.Field("createdAt", FormatIso8601Millis(key.created_at_ms)).EndObject();
}

Reply CreateOrg(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  OrgRecord org;
  FieldErrors errors;
  if (!ReadJsonObject(ctx.request.body(), errors, [&](ObjectReader& o) {
         o.String("name", {.required = true, .min_len = 1, .max_len = 256}, org.name);
       }).ok()) {
    return {ProblemResponse(ctx, errors)};
  }
  org.id = NewId();
  org.created_at_ms = services.clock->NowMs();
  auto seq = services.store->Write([&](WriteTxn& txn) {
    txn.Put(org);
    return Status::Ok();
  });
  if (!seq.ok()) return {ProblemResponse(ctx, seq.status())};
  std::string body;
  JsonWriter w(body);
  WriteOrg(w, org);
  return {JsonResponse(ctx, bhttp::status::created, std::move(body)), *seq};
}

Reply ListOrgs(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  ListQuery query;
  FieldErrors errors;
  if (!ReadListQuery(ctx, query, errors)) return {ProblemResponse(ctx, errors)};
  auto page = services.store->orgs().ListAll(query.cursor.value_or(""), query.limit);
  return {JsonResponse(ctx, bhttp::status::ok, AdminListBody(page, WriteOrg))};
}

Reply GetOrg(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  std::string body;
  const bool found = services.store->orgs().Read(std::string(ctx.params[0]), [&](const OrgRecord& org) {
    JsonWriter w(body);
    WriteOrg(w, org);
  });
  if (!found) return {ProblemResponse(ctx, Status::NotFound("organization not found"))};
  return {JsonResponse(ctx, bhttp::status::ok, std::move(body))};
}

struct CreateKeyRequest {
  std::string name;
  std::vector<std::string> permissions;
};

// Reads {name, permissions[]}; every unknown permission name is a field error (item 8).
Result<ApiKeyRecord> ReadCreateKey(const RequestContext& ctx, FieldErrors& errors) {
  CreateKeyRequest req;
  Status st = ReadJsonObject(ctx.request.body(), errors, [&](ObjectReader& o) {
    o.String("name", {.required = true, .min_len = 1, .max_len = 128, .pattern = IsKeyName,
                      .pattern_hint = "must not contain ':' or whitespace"},
             req.name);
    o.StringArray("permissions", {.required = true, .max_items = kPermissionCount * 2},
                  {.max_len = 64}, req.permissions);
  });
  ApiKeyRecord key;
  for (size_t i = 0; i < req.permissions.size(); ++i) {
    auto permission = PermissionFromName(req.permissions[i]);
    if (!permission) {
      errors.Add("permissions[" + std::to_string(i) + "]", FieldErrorKind::kUnknownEnum,
                 "permissions[" + std::to_string(i) + "] is not a known permission");
      continue;
    }
    key.permissions |= static_cast<uint32_t>(*permission);
  }
  if (!st.ok() || !errors.empty()) return Status::InvalidArgument("invalid request");
  key.name = std::move(req.name);
  return key;
}

Reply CreateApiKey(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  FieldErrors errors;
  auto key = ReadCreateKey(ctx, errors);
  if (!key.ok()) return {ProblemResponse(ctx, errors)};
  const std::string secret = NewApiKey();
  key->id = NewId();
  key->org_id = std::string(ctx.params[0]);
  key->key_hash = Sha256(secret);
  key->created_at_ms = services.clock->NowMs();
  auto seq = services.store->Write([&](WriteTxn& txn) {
    if (!txn.store().orgs().Contains(key->org_id)) return Status::NotFound("organization not found");
    if (txn.store().api_keys().ReadBy<ApiKeyByOrgName>(OrgScopedKey(key->org_id, key->name),
                                                       [](const ApiKeyRecord&) {})) {
      return Status::AlreadyExists("an API key with this name already exists in the organization");
    }
    txn.Put(*key);
    return Status::Ok();
  });
  if (!seq.ok()) return {ProblemResponse(ctx, seq.status())};
  std::string body;
  JsonWriter w(body);
  WriteApiKey(w, *key, secret);
  return {JsonResponse(ctx, bhttp::status::created, std::move(body)), *seq};
}

Reply ListApiKeys(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  const std::string org_id(ctx.params[0]);
  if (!services.store->orgs().Contains(org_id)) {
    return {ProblemResponse(ctx, Status::NotFound("organization not found"))};
  }
  ListQuery query;
  FieldErrors errors;
  if (!ReadListQuery(ctx, query, errors)) return {ProblemResponse(ctx, errors)};
  auto page = services.store->api_keys().ListByOrg(org_id, query.cursor.value_or(""), query.limit);
  return {JsonResponse(ctx, bhttp::status::ok,
                       AdminListBody(page, [](JsonWriter& w, const ApiKeyRecord& k) { WriteApiKey(w, k, {}); }))};
}

Reply DeleteApiKey(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  const std::string org_id(ctx.params[0]);
  std::string key_id(ctx.params[1]);
  auto seq = services.store->Write([&](WriteTxn& txn) {
    auto key = txn.Find<ApiKeyRecord>(key_id);
    // Another org's key id answers 404 like an unknown one (API.md §1).
    if (!key || key->org_id != org_id) return Status::NotFound("API key not found");
    txn.Erase<ApiKeyRecord>(key_id);
    return Status::Ok();
  });
  if (!seq.ok()) return {ProblemResponse(ctx, seq.status())};
  return {EmptyResponse(ctx, bhttp::status::no_content), *seq};
}

}  // namespace

void RegisterAdminRoutes(Router& router) {
  using bhttp::verb;
  router.Add(verb::post, "/admin/v1/orgs", ApiFamily::kAdmin, CreateOrg);
  router.Add(verb::get, "/admin/v1/orgs", ApiFamily::kAdmin, ListOrgs);
  router.Add(verb::get, "/admin/v1/orgs/{orgId}", ApiFamily::kAdmin, GetOrg);
  router.Add(verb::post, "/admin/v1/orgs/{orgId}/api-keys", ApiFamily::kAdmin, CreateApiKey);
  router.Add(verb::get, "/admin/v1/orgs/{orgId}/api-keys", ApiFamily::kAdmin, ListApiKeys);
  router.Add(verb::delete_, "/admin/v1/orgs/{orgId}/api-keys/{keyId}", ApiFamily::kAdmin,
             DeleteApiKey);
}

}  // namespace ihub
