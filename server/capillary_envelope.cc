#include "server/capillary_envelope.h"

#include <charconv>

#include "codec/time_format.h"
#include "server/problem.h"
#include "store/scopes.h"

namespace ihub {
namespace {

constexpr std::string_view kInvalidInput = "INVALID_INPUT";
constexpr std::string_view kAttributionApiClient = "API_CLIENT";

void WriteErrorEntry(JsonWriter& w, std::string_view code, std::string_view message) {
  w.BeginObject().Field("code", code).Field("message", message).EndObject();
}

// Writes a Capillary timestamp. The per-thread scratch string keeps its capacity, so the hot
// path formats without allocating (a 28-character time does not fit a short string).
void WriteTime(JsonWriter& w, std::string_view key, int64_t epoch_ms) {
  thread_local std::string scratch;
  scratch.clear();
  AppendCapillaryTime(scratch, epoch_ms);
  w.Field(key, scratch);
}

// {id, code, description, name, type} as in the seed (item 57). A Bearer client's id is its
// numeric client id, so it is written as a number; key ids and "root" are strings.
void WriteAttributionParty(JsonWriter& w, std::string_view key, const Attribution& a) {
  w.Key(key).BeginObject();
  int64_t numeric = 0;
  const char* end = a.id.data() + a.id.size();
  if (a.type == kAttributionApiClient &&
      std::from_chars(a.id.data(), end, numeric).ptr == end && !a.id.empty()) {
    w.Field("id", numeric);
  } else {
    w.Field("id", a.id);
  }
  w.Field("code", a.code).Field("description", "").Field("name", a.name).Field("type", a.type);
  w.EndObject();
}

void WriteScopes(JsonWriter& w, const std::vector<ScopeEntry>& scopes) {
  w.Key("scopes").BeginArray();
  for (const ScopeEntry& s : scopes) {
    w.BeginObject()
        .Field("permission", ScopePermissionName(s.permission))
        .Field("entityId", s.entity_id);
    w.Key("resources").BeginArray();
    for (const std::string& r : s.resources) w.String(r);
    w.EndArray().EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string_view CapillaryCodeOf(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return kInvalidInput;
    case StatusCode::kConflict:
      return "CLIENT_DELETED";
    case StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    default:
      return ProblemCodeOf(code);  // UNAUTHORIZED, FORBIDDEN, NOT_FOUND, ... (item 49)
  }
}

HttpResponse CapillaryError(const RequestContext& ctx, const Status& status) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject().FieldNull("data").Key("errors").BeginArray();
  WriteErrorEntry(w, CapillaryCodeOf(status.code()), status.message());
  w.EndArray().EndObject();
  return JsonResponse(ctx, HttpStatusOf(status.code()), std::move(body));
}

HttpResponse CapillaryError(const RequestContext& ctx, const FieldErrors& errors) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject().FieldNull("data").Key("errors").BeginArray();
  for (const FieldError& e : errors) WriteErrorEntry(w, kInvalidInput, e.message);
  if (errors.empty()) WriteErrorEntry(w, kInvalidInput, "the request is not valid");
  w.EndArray().EndObject();
  return JsonResponse(ctx, bhttp::status::bad_request, std::move(body));
}

HttpResponse CapillaryOk(const RequestContext& ctx, std::string body) {
  return JsonResponse(ctx, bhttp::status::ok, std::move(body));
}

void WriteClient(JsonWriter& w, const ClientRecord& c, const ClientExtras& extras) {
  w.BeginObject().Field("id", c.id);
  w.Key("attribution").BeginObject();
  WriteTime(w, "createdOn", c.created_on_ms);
  WriteTime(w, "lastUpdatedOn", c.last_updated_on_ms);
  WriteAttributionParty(w, "lastUpdatedBy", c.last_updated_by);
  WriteAttributionParty(w, "createdBy", c.created_by);
  w.EndObject();
  w.Field("name", c.name).Field("clientKey", c.client_key);
  if (!extras.client_secret.empty()) w.Field("clientSecret", extras.client_secret);
  w.Field("isValid", c.is_valid)
      .Field("description", c.description)
      .Field("expirationTokenTime", c.expiration_token_time)
      .Field("defaultTillId", c.default_till_id);
  WriteScopes(w, c.scopes);
  if (extras.previous_secret_valid_until_ms >= 0) {
    WriteTime(w, "previousSecretValidUntil", extras.previous_secret_valid_until_ms);
  }
  w.EndObject();
}

void WriteStoredClient(JsonWriter& w, const ClientRecord& client) {
  std::optional<std::string_view> text = client.encoded.Get();
  if (!text) {
    std::string fresh;
    JsonWriter inner(fresh);
    WriteClient(inner, client);
    text = client.encoded.SetOnce(fresh);
  }
  w.Raw(*text);
}

}  // namespace ihub
