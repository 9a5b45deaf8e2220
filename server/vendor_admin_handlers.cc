#include "server/vendor_admin_handlers.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "codec/query.h"
#include "server/admin_list.h"
#include "server/auth.h"
#include "server/problem.h"
#include "server/router.h"
#include "server/services.h"
#include "store/clock.h"
#include "store/integration_rules.h"
#include "store/secrets.h"
#include "store/store.h"

namespace ihub {
namespace {

constexpr size_t kMaxTemplateKeys = 50;  // item 83
constexpr size_t kVendorIdLength = 8;

bool IsVendorId(std::string_view s) {
  return s.size() == kVendorIdLength && s.find_first_not_of("0123456789") == std::string::npos;
}

// Reads {name, integrationType, integrationStatus?, integrationCredentialTemplate{k: string}}.
bool ReadVendor(std::string_view body, FieldErrors& errors, VendorRecord& v) {
  std::string status = "active";
  bool has_template = false;
  (void)ReadJsonObject(body, errors, [&](ObjectReader& o) {
    o.String("name", {.required = true, .min_len = 1, .max_len = 256}, v.name);
    o.String("integrationType", {.required = true, .min_len = 1, .max_len = 64},
             v.integration_type);
    o.Enum("integrationStatus", {.allowed = {"active", "inactive"}}, status);
    o.Object("integrationCredentialTemplate", {.required = true}, [&](ObjectReader& t) {
      has_template = true;
      if (t.final_pass()) return;
      const std::string key(t.current_key());
      t.Value(key, {}, [&](JsonValueReader& value) {
        std::string ignored;  // template values are always stored as "" (item 83)
        if (!value.String({.max_len = 4096}, ignored)) return;
        if (key.empty() || key.size() > 256) {
          value.Fail(FieldErrorKind::kTooLong, "must be a key of 1-256 characters");
        } else if (std::find(v.template_keys.begin(), v.template_keys.end(), key) ==
                   v.template_keys.end()) {
          v.template_keys.push_back(key);
        }
      });
    });
  });
  if (has_template && errors.empty() &&
      (v.template_keys.empty() || v.template_keys.size() > kMaxTemplateKeys)) {
    errors.Add("integrationCredentialTemplate", FieldErrorKind::kOutOfRange,
               "integrationCredentialTemplate must have 1 to 50 keys");
  }
  v.active = status == "active";
  return errors.empty();
}

Reply CreateVendor(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  VendorRecord vendor;
  FieldErrors errors;
  if (!ReadVendor(ctx.request.body(), errors, vendor)) return {ProblemResponse(ctx, errors)};
  vendor.created_at_ms = services.clock->NowMs();
  auto seq = services.store->Write([&](WriteTxn& txn) {
    // 10^8 ids: a clash is rare, and drawing again settles it.
    do {
      vendor.id = NewVendorId();
    } while (txn.Find<VendorRecord>(vendor.id));
    txn.Put(vendor);
    return Status::Ok();
  });
  if (!seq.ok()) return {ProblemResponse(ctx, seq.status())};
  std::string body;
  JsonWriter w(body);
  WriteVendor(w, vendor);
  return {JsonResponse(ctx, bhttp::status::created, std::move(body)), *seq};
}

// Admin list shape (items 2, 3): ?limit= 1-500 (default 50), ?cursor=<last vendor id>.
Reply ListVendors(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  ListQuery query;
  FieldErrors errors;
  if (ParseListQuery(ctx.query, ListQueryRule{}, query, errors) && query.cursor &&
      !IsVendorId(*query.cursor)) {
    errors.Add("cursor", FieldErrorKind::kPattern, "cursor is not a valid cursor");
  }
  if (!errors.empty()) return {ProblemResponse(ctx, errors)};
  auto page = services.store->table<VendorRecord>().ListAll(query.cursor.value_or(""),
                                                            static_cast<size_t>(query.limit));
  return {JsonResponse(ctx, bhttp::status::ok, AdminListBody(page, WriteVendor))};
}

// Item 81: the root key, or the org's own API key with INTEGRATION.CREATE; another org's key
// answers 404 (it must not learn the org exists); Bearer tokens never pass admin endpoints.
Status AdmitTokenIssuer(const Caller& caller, std::string_view org_id) {
  switch (caller.kind) {
    case CallerKind::kRoot:
      return Status::Ok();
    case CallerKind::kApiKey:
      if (caller.org_id != org_id) return Status::NotFound("organization not found");
      if (!HasPermission(caller.permissions, Permission::kIntegrationCreate)) {
        return Status::PermissionDenied("the API key lacks INTEGRATION.CREATE");
      }
      return Status::Ok();
    case CallerKind::kBearer:
      break;
  }
  return Status::PermissionDenied("operator endpoints do not accept access tokens");
}

Reply CreateOemToken(Services& services, RequestContext& ctx) {
  auto caller = Authenticate(services, ctx.request);
  if (!caller.ok()) return {ProblemResponse(ctx, caller.status())};
  const std::string org_id(ctx.params[0]);
  if (Status s = AdmitTokenIssuer(*caller, org_id); !s.ok()) return {ProblemResponse(ctx, s)};
  std::string client_key;
  FieldErrors errors;
  if (!ReadJsonObject(ctx.request.body(), errors, [&](ObjectReader& o) {
         o.String("clientKey", {.required = true, .min_len = 1, .max_len = 256}, client_key);
       }).ok()) {
    return {ProblemResponse(ctx, errors)};
  }
  const std::string token = NewOemToken();
  // Named in the org the token is for: the root key belongs to none, and AdmitTokenIssuer let an
  // API key through only for its own.
  OemTokenRecord record{Sha256(token), org_id, client_key, caller->CrnIn(org_id),
                        services.clock->NowMs()};
  auto seq = services.store->Write([&](WriteTxn& txn) {
    if (!txn.store().orgs().Contains(org_id)) return Status::NotFound("organization not found");
    auto client = txn.Find<ClientRecord>(client_key);
    if (!client || !client->is_valid) return Status::NotFound("API client not found");
    txn.Put(record);
    return Status::Ok();
  });
  if (!seq.ok()) return {ProblemResponse(ctx, seq.status())};
  std::string body;
  JsonWriter(body).BeginObject().Field("organizationOemToken", token).EndObject();
  return {JsonResponse(ctx, bhttp::status::created, std::move(body)), *seq};
}

}  // namespace

void WriteVendor(JsonWriter& w, const VendorRecord& vendor) {
  w.BeginObject()
      .Field("id", vendor.id)
      .Field("name", vendor.name)
      .Field("integrationStatus", vendor.active ? "active" : "inactive")
      .Field("integrationType", vendor.integration_type);
  w.Key("integrationCredentialTemplate").BeginObject();
  for (const std::string& key : vendor.template_keys) w.Field(key, "");
  w.EndObject().EndObject();
}

void RegisterVendorAdminRoutes(Router& router) {
  using bhttp::verb;
  router.Add(verb::post, "/admin/v1/vendors", ApiFamily::kAdmin, CreateVendor);
  router.Add(verb::get, "/admin/v1/vendors", ApiFamily::kAdmin, ListVendors);
  router.Add(verb::post, "/admin/v1/orgs/{orgId}/oem-tokens", ApiFamily::kAdmin, CreateOemToken);
}

}  // namespace ihub
