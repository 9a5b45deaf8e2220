#include "server/oem_handlers.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "server/auth.h"
#include "server/envelopes.h"
#include "server/problem.h"
#include "server/router.h"
#include "server/services.h"
#include "server/token_auth.h"
#include "server/vendor_admin_handlers.h"
#include "store/clock.h"
#include "store/integration_rules.h"
#include "store/secrets.h"
#include "store/store.h"

namespace ihub {
namespace {

constexpr IntegrationFamily kVendor = IntegrationFamily::kVendor;
constexpr StringRule kCredentialRule = {.max_len = 4096};  // item 80
constexpr std::string_view kCredentialsField = "data.integrationCredentials";
constexpr size_t kVendorPage = 256;

// The body every OEM call sends, and the data of create and patch.
struct OemRequest {
  std::string client_id, client_secret, grant_type, scope, oem_token, vendor_id;
  bool has_data = false;
  bool has_credentials = false;
  std::vector<std::pair<std::string, std::string>> credentials;  // last duplicate wins
};

// An answer or error in the seed's shape: {"status":N,"message":…}.
HttpResponse OemError(const RequestContext& ctx, bhttp::status status, std::string_view message) {
  return MakeErrorResponse(ApiFamily::kOem, status, "", message);
}
HttpResponse OemError(const RequestContext& ctx, const Status& st, int64_t retry_after_s = 0) {
  HttpResponse r = OemError(ctx, HttpStatusOf(st.code()), st.message());
  if (retry_after_s > 0) r.set(bhttp::field::retry_after, std::to_string(retry_after_s));
  return r;
}

bool ReadRequest(std::string_view body, FieldErrors& errors, OemRequest& req) {
  const StringRule text = {.max_len = 256};
  return ReadJsonObject(body, errors, [&](ObjectReader& o) {
           o.String("clientId", text, req.client_id);
           o.String("clientSecret", text, req.client_secret);
           o.String("grantType", text, req.grant_type);
           o.String("scope", text, req.scope);
           o.String("organizationOemToken", text, req.oem_token);
           o.Object("data", {}, [&](ObjectReader& d) {
             req.has_data = true;
             d.String("vendorId", text, req.vendor_id);
             d.Object("integrationCredentials", {}, [&](ObjectReader& c) {
               req.has_credentials = true;
               if (c.final_pass()) return;
               const std::string key(c.current_key());
               c.Value(key, {}, [&](JsonValueReader& v) {
                 std::string value;
                 if (!v.String(kCredentialRule, value)) return;
                 auto it = std::find_if(req.credentials.begin(), req.credentials.end(),
                                        [&](const auto& kv) { return kv.first == key; });
                 if (it == req.credentials.end()) {
                   req.credentials.emplace_back(key, std::move(value));
                 } else {
                   it->second = std::move(value);
                 }
               });
             });
           });
         })
      .ok();
}

// Item 76, steps 1-6: returns the org the partner acts in (empty for the vendor list, which
// needs no OEM token), or the error answer.
Result<std::string> Admit(Services& services, const OemRequest& req, bool need_token,
                          int64_t* retry_after_s) {
  if (req.grant_type != "client_credentials") {
    return Status::InvalidArgument("grantType must be client_credentials");
  }
  if (req.scope != "vendor_manage") return Status::InvalidArgument("scope must be vendor_manage");
  if (req.client_id.empty() || req.client_secret.empty()) {
    return Status::Unauthenticated("clientId and clientSecret are required");
  }
  auto client = AuthenticateClient(services, {req.client_id, req.client_secret}, retry_after_s);
  if (!client.ok()) return client.status();
  if (!need_token) return std::string();
  if (req.oem_token.empty()) return Status::InvalidArgument("organizationOemToken is required");
  std::optional<OemTokenRecord> token =
      services.store->table<OemTokenRecord>().Get(Sha256(req.oem_token));
  if (!token) return Status::Unauthenticated("organizationOemToken is not valid");
  if (!ConstantTimeEquals(token->client_key, client->client_key)) {
    return Status::PermissionDenied("organizationOemToken was issued to another client");
  }
  return std::move(token->org_id);
}

// Reads the body and admits the caller; on failure sets `error` and returns nullopt.
std::optional<std::string> Begin(Services& services, RequestContext& ctx, bool need_token,
                                 OemRequest& req, HttpResponse& error) {
  FieldErrors errors;
  if (!ReadRequest(ctx.request.body(), errors, req)) {
    error = OemError(ctx, bhttp::status::bad_request, errors.front().message);
    return std::nullopt;
  }
  int64_t retry_after_s = 0;
  auto org = Admit(services, req, need_token, &retry_after_s);
  if (!org.ok()) {
    error = OemError(ctx, org.status(), retry_after_s);
    return std::nullopt;
  }
  if (services.crypto == nullptr) {
    error = OemError(ctx, bhttp::status::internal_server_error, "no encryption key");
    return std::nullopt;
  }
  return std::move(org).value();
}

// The credentials as a JSON object in the template's order, once they match it exactly.
Result<std::string> CredentialsJson(const OemRequest& req, const VendorRecord& vendor) {
  if (!req.has_data) return Status::InvalidArgument("data is required");
  if (!req.has_credentials) {
    return Status::InvalidArgument("data.integrationCredentials is required");
  }
  std::vector<std::string> keys;
  for (const auto& kv : req.credentials) keys.push_back(kv.first);
  FieldErrors errors;
  if (Status st = MatchCredentialTemplate(vendor.template_keys, keys, kCredentialsField, errors);
      !st.ok()) {
    return st;
  }
  std::string json;
  JsonWriter w(json);
  w.BeginObject();
  for (const std::string& key : vendor.template_keys) {
    for (const auto& kv : req.credentials) {
      if (kv.first == key) w.Field(key, kv.second);
    }
  }
  w.EndObject();
  return json;
}

std::string IntegrationAnswer(const IntegrationRecord& r, int status, std::string_view message) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Key("integration").BeginObject().Field("id", r.id).Field("vendorId", r.type);
  w.EndObject().Field("status", status).Field("message", message).EndObject();
  return body;
}

Reply ListVendors(Services& services, RequestContext& ctx) {
  OemRequest req;
  HttpResponse error;
  if (!Begin(services, ctx, /*need_token=*/false, req, error)) return {std::move(error)};
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Field("status", 200).Field("message", "Successfully fetched MSPC vendors");
  w.Key("vendors").BeginArray();
  // Paged in id order (the map itself has none), as the admin list shows them.
  std::string cursor;
  do {
    auto page = services.store->table<VendorRecord>().ListAll(cursor, kVendorPage);
    for (const VendorRecord& v : page.items) WriteVendor(w, v);
    cursor = std::move(page.next_cursor);
  } while (!cursor.empty());
  w.EndArray().EndObject();
  return {JsonResponse(ctx, bhttp::status::ok, std::move(body))};
}

Reply Create(Services& services, RequestContext& ctx) {
  OemRequest req;
  HttpResponse error;
  auto org = Begin(services, ctx, /*need_token=*/true, req, error);
  if (!org) return {std::move(error)};
  if (req.vendor_id.empty()) return {OemError(ctx, bhttp::status::bad_request, "data.vendorId is required")};
  auto vendor = services.store->table<VendorRecord>().Get(req.vendor_id);
  if (!vendor) return {OemError(ctx, bhttp::status::not_found, "vendor not found")};
  if (!vendor->active) return {OemError(ctx, bhttp::status::bad_request, "vendor is not active")};
  auto credentials = CredentialsJson(req, *vendor);
  if (!credentials.ok()) return {OemError(ctx, credentials.status())};
  IntegrationRecord rec;
  rec.id = NewIntegrationId(kVendor);
  rec.org_id = *org;
  rec.family = kVendor;
  rec.type = vendor->id;
  if (Status st = SetIntegrationSecrets(*services.crypto, *credentials, SecretView::kBlank, rec);
      !st.ok()) {
    return {OemError(ctx, st)};
  }
  const std::string crn = ApiClientCrn(*org, req.client_id);
  const int64_t now = services.clock->NowMs();
  auto seq = services.store->Write(
      [&](WriteTxn& txn) { return StageIntegration(txn, nullptr, rec, crn, now); });
  if (!seq.ok()) return {OemError(ctx, seq.status())};
  return {JsonResponse(ctx, bhttp::status::created,
                       IntegrationAnswer(rec, 201, "Successfully created an integration for an organization")),
          *seq};
}

Reply List(Services& services, RequestContext& ctx) {
  OemRequest req;
  HttpResponse error;
  auto org = Begin(services, ctx, /*need_token=*/true, req, error);
  if (!org) return {std::move(error)};
  std::string body;
  AppendOemIntegrationList(*services.store, *org, body);
  return {JsonResponse(ctx, bhttp::status::ok, std::move(body))};
}

Reply Patch(Services& services, RequestContext& ctx) {
  OemRequest req;
  HttpResponse error;
  auto org = Begin(services, ctx, /*need_token=*/true, req, error);
  if (!org) return {std::move(error)};
  const std::string id(ctx.params[0]);
  const std::string crn = ApiClientCrn(*org, req.client_id);
  const int64_t now = services.clock->NowMs();
  IntegrationRecord next;
  auto seq = services.store->Write([&](WriteTxn& txn) {
    auto old = FindIntegration(txn, *org, kVendor, id);
    if (!old) return Status::NotFound("integration not found");
    auto vendor = txn.store().table<VendorRecord>().Get(old->type);
    if (!vendor) return Status::NotFound("vendor not found");
    auto credentials = CredentialsJson(req, *vendor);
    if (!credentials.ok()) return credentials.status();
    next = *old;
    Status st = SetIntegrationSecrets(*services.crypto, *credentials, SecretView::kBlank, next);
    if (!st.ok()) return st;
    return StageIntegration(txn, &*old, next, crn, now);
  });
  if (!seq.ok()) return {OemError(ctx, seq.status())};
  return {JsonResponse(ctx, bhttp::status::ok,
                       IntegrationAnswer(next, 200, "Successfully updated a user's integration credentials")),
          *seq};
}

}  // namespace

namespace {
// One item of the list: the credentials' keys with empty values, as an array of one object
// (items 74, 75); never a credential value.
void WriteOemIntegration(JsonWriter& w, const IntegrationRecord& r) {
  w.BeginObject().Field("id", r.id).Field("vendorId", r.type);
  w.Key("integrationCredentialTemplate").BeginArray();
  w.Raw(r.secrets_view.empty() ? std::string_view("{}") : std::string_view(r.secrets_view));
  w.EndArray().EndObject();
}
}  // namespace

bool AppendOemIntegration(const Store& store, std::string_view org_id, std::string_view id,
                          std::string& out) {
  return ReadIntegration(store, org_id, kVendor, id, [&](const IntegrationRecord& r) {
    JsonWriter w(out);
    WriteOemIntegration(w, r);
  });
}

void AppendOemIntegrationList(const Store& store, std::string_view org_id, std::string& out) {
  JsonWriter w(out);
  w.BeginObject().Key("integrations").BeginArray();
  ForEachIntegration(store, org_id, kVendor,
                     [&](const IntegrationRecord& r) { WriteOemIntegration(w, r); });
  w.EndArray().Field("status", 200);
  w.Field("message", "Successfully fetched list of user's integrations").EndObject();
}

void RegisterOemRoutes(Router& router) {
  using bhttp::verb;
  router.Add(verb::post, "/api/oem-api/vendor", ApiFamily::kOem, ListVendors);
  router.Add(verb::post, "/api/oem-api/integration", ApiFamily::kOem, Create);
  router.Add(verb::post, "/api/oem-api/integration/list", ApiFamily::kOem, List);
  router.Add(verb::patch, "/api/oem-api/integration/{integrationId}", ApiFamily::kOem, Patch);
}

}  // namespace ihub
