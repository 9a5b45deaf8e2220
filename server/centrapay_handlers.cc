#include "server/centrapay_handlers.h"

#include <optional>
#include <string>
#include <utility>

#include "codec/form.h"
#include "codec/json_writer.h"
#include "codec/query.h"
#include "server/auth.h"
#include "server/centrapay_envelope.h"
#include "server/config.h"
#include "server/router.h"
#include "server/services.h"
#include "store/clock.h"
#include "store/integration_rules.h"
#include "store/managed_integration_rules.h"
#include "store/managed_types.h"
#include "store/store.h"

namespace ihub {
namespace {

// A managed integration answer is ~700 bytes with one bank account: one reservation covers it.
constexpr size_t kAnswerReserve = 1024;

std::string RecordBody(const IntegrationRecord& r) {
  std::string body;
  body.reserve(kAnswerReserve);
  JsonWriter w(body);
  WriteManagedIntegration(w, r);
  return body;
}

// The path's {type} and {externalId}, decoded and checked (item 100); each bad one is a field
// error. `type` stays null when the path names no registered type (400, item 86).
void ReadUpsertPath(const RequestContext& ctx, const ManagedType*& type, std::string& external_id,
                    FieldErrors& errors) {
  auto type_name = DecodePathSegment(ctx.params[0]);
  type = type_name.ok() ? FindManagedType(*type_name) : nullptr;
  if (type == nullptr) {
    errors.Add("type", FieldErrorKind::kUnknownEnum,
               "type is not a supported managed integration type");
  }
  auto decoded = DecodePathSegment(ctx.params[1]);
  if (!decoded.ok() || !IsValidExternalId(*decoded)) {
    errors.Add("externalId", FieldErrorKind::kPattern,
               "externalId must be 1-256 characters without control characters");
    return;
  }
  external_id = std::move(decoded).value();
}

Reply Upsert(Services& services, RequestContext& ctx) {
  auto admitted = AdmitOrgCaller(services, ctx, Permission::kManagedIntegrationWrite);
  if (!admitted.ok()) return {CentrapayError(ctx, admitted.status())};
  const Caller& caller = *admitted;
  FieldErrors errors;
  const ManagedType* type = nullptr;
  std::string external_id;
  ReadUpsertPath(ctx, type, external_id, errors);
  ManagedUpsertBody body;
  if (!ReadManagedUpsertBody(ctx.request.body(), type, errors, body).ok()) {
    return {CentrapayError(ctx, errors)};
  }
  const std::string by = caller.Crn();
  const ManagedUpsert in{.org_id = caller.org_id,
                         .type = type,
                         .external_id = external_id,
                         .active = body.active,
                         .params = body.params,
                         .url_base = services.config.issuer,
                         .by_crn = by,
                         .now_ms = services.clock->NowMs()};
  IntegrationRecord record;
  auto seq =
      services.store->Write([&](WriteTxn& txn) { return StageManagedUpsert(txn, in, record); });
  if (!seq.ok()) {
    const bool archived = seq.status().code() == StatusCode::kConflict;
    return {CentrapayError(ctx, seq.status(), archived ? kCentrapayArchived : "")};
  }
  return {CentrapayOk(ctx, RecordBody(record)), *seq};
}

// Item 98: ?type=&status=, exact names; an unknown one is a field error.
bool ReadListFilters(const RequestContext& ctx, const ManagedType*& type,
                     std::optional<IntegrationStatus>& status, FieldErrors& errors) {
  ListQuery query;
  if (!ParseListQuery(ctx.query, ListQueryRule{}, query, errors)) return false;
  if (query.type) {
    type = FindManagedType(*query.type);
    if (type == nullptr) {
      errors.Add("type", FieldErrorKind::kUnknownEnum,
                 "type is not a supported managed integration type");
    }
  }
  if (query.status) {
    status = IntegrationStatusFromName(IntegrationFamily::kManaged, *query.status);
    if (!status) {
      errors.Add("status", FieldErrorKind::kUnknownEnum,
                 "status must be one of pending, active, inactive, archived");
    }
  }
  return errors.empty();
}

Reply List(Services& services, RequestContext& ctx) {
  auto admitted = AdmitOrgCaller(services, ctx, Permission::kManagedIntegrationRead);
  if (!admitted.ok()) return {CentrapayError(ctx, admitted.status())};
  const Caller& caller = *admitted;
  const ManagedType* type = nullptr;
  std::optional<IntegrationStatus> status;
  FieldErrors errors;
  if (!ReadListFilters(ctx, type, status, errors)) return {CentrapayError(ctx, errors)};
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Key("items").BeginArray();
  // Not paginated (items 3, 98); read a page at a time so no lock is held for long.
  ForEachIntegration(*services.store, caller.org_id, IntegrationFamily::kManaged,
                     [&](const IntegrationRecord& r) {
                       if (type != nullptr && r.type != type->name) return;
                       if (status && r.status != *status) return;
                       WriteManagedIntegration(w, r);
                     });
  w.EndArray().EndObject();
  return {CentrapayOk(ctx, std::move(body))};
}

Reply Get(Services& services, RequestContext& ctx) {
  auto admitted = AdmitOrgCaller(services, ctx, Permission::kManagedIntegrationRead);
  if (!admitted.ok()) return {CentrapayError(ctx, admitted.status())};
  const Caller& caller = *admitted;
  std::string body;
  body.reserve(kAnswerReserve);
  if (!AppendManagedIntegration(*services.store, caller.org_id, ctx.params[0], body)) {
    return {CentrapayError(ctx, Status::NotFound("managed integration not found"))};
  }
  return {CentrapayOk(ctx, std::move(body))};
}

// Item 97: archives; a second DELETE answers the archived record again.
Reply Archive(Services& services, RequestContext& ctx) {
  auto admitted = AdmitOrgCaller(services, ctx, Permission::kManagedIntegrationWrite);
  if (!admitted.ok()) return {CentrapayError(ctx, admitted.status())};
  const Caller& caller = *admitted;
  const std::string by = caller.Crn();
  const int64_t now = services.clock->NowMs();
  IntegrationRecord record;
  auto seq = services.store->Write([&](WriteTxn& txn) {
    return StageManagedArchive(txn, caller.org_id, ctx.params[0], by, now, record);
  });
  if (!seq.ok()) return {CentrapayError(ctx, seq.status())};
  return {CentrapayOk(ctx, RecordBody(record)), *seq};
}

// No credential: the code is one (API.md §4). Any X-Api-Key sent is ignored. Checks in item 95's
// order, so the body is read first but its errors answer only after the state checks.
Reply AcceptInvitation(Services& services, RequestContext& ctx) {
  auto code = DecodePathSegment(ctx.params[0]);
  FieldErrors errors;
  std::string account_id;
  (void)ReadJsonObject(ctx.request.body(), errors, [&](ObjectReader& o) {
    o.String("accountId",
             {.required = true,
              .min_len = 1,
              .max_len = 64,
              .pattern = IsValidAccountId,
              .pattern_hint = "must be 1-64 characters of A-Z, a-z, 0-9, '_' and '-'"},
             account_id);
  });
  const std::optional<std::string_view> account =
      errors.empty() ? std::optional<std::string_view>(account_id) : std::nullopt;
  const int64_t now = services.clock->NowMs();
  IntegrationRecord record;
  auto seq = services.store->Write([&](WriteTxn& txn) {
    return StageInvitationClaim(txn, code.ok() ? std::string_view(*code) : std::string_view(),
                                account, now, record);
  });
  if (!seq.ok()) {
    switch (seq.status().code()) {
      case StatusCode::kInvalidArgument:
        return {CentrapayError(ctx, errors)};
      case StatusCode::kConflict:
        return {CentrapayError(ctx, seq.status(), kCentrapayAlreadyAccepted)};
      default:
        return {CentrapayError(ctx, seq.status())};
    }
  }
  return {CentrapayOk(ctx, RecordBody(record)), *seq};
}

}  // namespace

bool AppendManagedIntegration(const Store& store, std::string_view org_id, std::string_view id,
                              std::string& out) {
  return ReadIntegration(store, org_id, IntegrationFamily::kManaged, id,
                         [&](const IntegrationRecord& r) {
                           JsonWriter w(out);
                           WriteManagedIntegration(w, r);
                         });
}

void RegisterCentrapayRoutes(Router& router) {
  using bhttp::verb;
  constexpr ApiFamily kFamily = ApiFamily::kCentrapay;
  router.Add(verb::post, "/api/managed-integrations/{type}/{externalId}", kFamily, Upsert);
  router.Add(verb::get, "/api/managed-integrations", kFamily, List);
  router.Add(verb::get, "/api/managed-integrations/{id}", kFamily, Get);
  router.Add(verb::delete_, "/api/managed-integrations/{id}", kFamily, Archive);
  router.Add(verb::post, "/api/invitations/{code}/accept", kFamily, AcceptInvitation);
}

}  // namespace ihub
