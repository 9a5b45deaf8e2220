#include "server/centrapay_envelope.h"

#include "codec/time_format.h"
#include "server/problem.h"
#include "store/integration_rules.h"
#include "store/managed_integration_rules.h"

namespace ihub {
namespace {

constexpr std::string_view kEmptyObject = "{}";

// Writes an ISO-8601 time. The per-thread scratch keeps its capacity, so the hot path formats
// without allocating (24 characters do not fit a short string).
void WriteTime(JsonWriter& w, std::string_view key, int64_t epoch_ms) {
  thread_local std::string scratch;
  scratch.clear();
  AppendIso8601Millis(scratch, epoch_ms);
  w.Field(key, scratch);
}

}  // namespace

std::string_view CentrapayCodeOf(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return kCentrapayInvalidParams;
    case StatusCode::kGone:
      return "INVITATION_EXPIRED";
    default:
      return ProblemCodeOf(code);  // UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, INTERNAL, ...
  }
}

HttpResponse CentrapayError(const RequestContext& ctx, const Status& status,
                            std::string_view code) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject()
      .Field("message", code.empty() ? CentrapayCodeOf(status.code()) : code)
      .Field("description", status.message())
      .EndObject();
  return JsonResponse(ctx, HttpStatusOf(status.code()), std::move(body));
}

HttpResponse CentrapayError(const RequestContext& ctx, const FieldErrors& errors) {
  std::string body;
  JsonWriter w(body);
  const bool malformed = errors.malformed();
  std::string description;
  if (malformed) {
    description = "the request body is not a JSON object";
  } else {
    description = "invalid params:";
    for (const FieldError& e : errors) description.append(" ").append(e.message).append(";");
    description.pop_back();
  }
  w.BeginObject()
      .Field("message", malformed ? std::string_view("MALFORMED_JSON") : kCentrapayInvalidParams)
      .Field("description", description)
      .Key("details")
      .BeginArray();
  for (const FieldError& e : errors) {
    w.BeginObject().Field("field", e.field).Field("message", e.message).EndObject();
  }
  w.EndArray().EndObject();
  return JsonResponse(ctx, bhttp::status::bad_request, std::move(body));
}

HttpResponse CentrapayOk(const RequestContext& ctx, std::string body) {
  return JsonResponse(ctx, bhttp::status::ok, std::move(body));
}

void WriteManagedIntegration(JsonWriter& w, const IntegrationRecord& r) {
  const std::string* params = r.FindConfig(kManagedParamsConfigKey);
  w.BeginObject()
      .Field("id", r.id)
      .Field("type", r.type)
      .Field("externalId", r.reference)
      .Field("active", r.active)
      .FieldRaw("params", params != nullptr ? std::string_view(*params) : kEmptyObject);
  w.Key("invitation")
      .BeginObject()
      .Field("id", r.invitation.id)
      .Field("code", r.invitation.code)
      .Field("url", r.invitation.url);
  WriteTime(w, "expiresAt", r.invitation.expires_at_ms);
  w.EndObject();
  w.Field("status", IntegrationStatusName(IntegrationFamily::kManaged, r.status));
  if (!r.invitation.claimed_by.empty()) {
    w.Field("claimedByAccountId", r.invitation.claimed_by_account_id)
        .Field("claimedBy", r.invitation.claimed_by);
    WriteTime(w, "claimedAt", r.invitation.claimed_at_ms);
  }
  WriteTime(w, "createdAt", r.created_at_ms);
  w.Field("createdBy", r.created_by);
  WriteTime(w, "updatedAt", r.updated_at_ms);
  w.Field("updatedBy", r.updated_by).EndObject();
}

}  // namespace ihub
