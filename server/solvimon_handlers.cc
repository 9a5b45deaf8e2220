#include "server/solvimon_handlers.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "codec/query.h"
#include "server/auth.h"
#include "server/problem.h"
#include "server/router.h"
#include "server/services.h"
#include "store/clock.h"
#include "store/crypto_box.h"
#include "store/integration_rules.h"
#include "store/store.h"

namespace ihub {
namespace {

constexpr IntegrationFamily kTyped = IntegrationFamily::kTyped;
constexpr size_t kTypeCount = 5;
// API.md §4's type enum, and the type-specific object each type owns (item 66).
constexpr std::array<std::string_view, kTypeCount> kTypes = {
    "PAYMENT_GATEWAY", "E_INVOICING", "DATA_EXPORT", "TAX_CALCULATION", "EMAIL_PROVIDER"};
constexpr std::array<std::string_view, kTypeCount> kTypeObjects = {
    "payment_gateway", "e_invoicing", "data_export", "tax_calculation", "email_provider"};
constexpr std::string_view kLinked = "linked_resources_configurations";
// Item 67's bounds on free-form JSON.
constexpr RawRule kObjectRule = {.max_bytes = 16 * 1024, .max_depth = 8};
constexpr size_t kLinkedMaxBytes = 64 * 1024;
constexpr size_t kLinkedMaxItems = 100;
constexpr size_t kAnswerReserve = 512;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
// `^\S+$` (item 62: the regex wins over the 0 of "0-256", so empty fails via min_len).
bool NoWhitespace(std::string_view s) {
  for (char c : s) {
    if (IsSpace(c)) return false;
  }
  return true;
}
// `^.*$`: one line (item 63).
bool SingleLine(std::string_view s) { return s.find_first_of("\r\n") == std::string_view::npos; }

constexpr StringRule kReferenceRule = {.min_len = 1, .max_len = 256, .pattern = NoWhitespace,
                                       .pattern_hint = "must not contain whitespace"};
constexpr StringRule kTextRule = {.max_len = 256, .pattern = SingleLine,
                                  .pattern_hint = "must not contain line breaks"};

enum class Mode { kCreate, kReplace, kPatch };

// One top-level field as sent: absent, null, or a value (PATCH must tell them apart).
struct Given {
  bool present = false;
  bool null = false;
  std::string value;
};

struct Fields {
  Given reference, name, description, type, status, linked, authentication;
  std::array<Given, kTypeCount> type_objects;
};

void ReadLinked(JsonValueReader& v, std::string& out) {
  out = "[";
  v.Array({.max_items = kLinkedMaxItems}, [&](JsonValueReader& item) {
    std::string one;
    if (!item.Raw(kObjectRule, one)) return;
    if (out.size() > 1) out.push_back(',');
    out += one;
  });
  out.push_back(']');
  if (out.size() > kLinkedMaxBytes) {
    v.Fail(FieldErrorKind::kTooLong, "must be at most 65536 bytes as JSON");
  }
}

// Reads the body into `f`, then reports the fields create and PUT require (item 70) and the
// nulls PATCH may not send. Returns errors.empty().
bool ReadFields(std::string_view body, Mode mode, FieldErrors& errors, Fields& f) {
  auto given = [](Given& g, auto&& read) {
    return [&g, read](JsonValueReader& v) {
      g.present = true;
      g.null = v.IsNull();
      if (!g.null) read(v, g.value);
    };
  };
  auto string_of = [](const StringRule& rule) {
    return [&rule](JsonValueReader& v, std::string& out) { v.String(rule, out); };
  };
  auto raw = [](JsonValueReader& v, std::string& out) { v.Raw(kObjectRule, out); };
  (void)ReadJsonObject(body, errors, [&](ObjectReader& o) {
    o.Value("reference", {}, given(f.reference, string_of(kReferenceRule)));
    o.Value("name", {}, given(f.name, string_of(kTextRule)));
    o.Value("description", {}, given(f.description, string_of(kTextRule)));
    o.Value("type", {}, given(f.type, [](JsonValueReader& v, std::string& out) {
              v.Enum({.allowed = {"PAYMENT_GATEWAY", "E_INVOICING", "DATA_EXPORT",
                                  "TAX_CALCULATION", "EMAIL_PROVIDER"}},
                     out);
            }));
    o.Value(kLinked, {}, given(f.linked, ReadLinked));
    o.Value("status", {}, given(f.status, [](JsonValueReader& v, std::string& out) {
              v.Enum({.allowed = {"ACTIVE", "INACTIVE"}}, out);
            }));
    o.Value("authentication", {}, given(f.authentication, raw));
    for (size_t i = 0; i < kTypeCount; ++i) o.Value(kTypeObjects[i], {}, given(f.type_objects[i], raw));
  });
  if (errors.malformed()) return false;
  const std::pair<std::string_view, const Given*> required[] = {
      {"reference", &f.reference}, {"name", &f.name}, {"description", &f.description},
      {"type", &f.type}, {kLinked, &f.linked}};
  for (const auto& [key, g] : required) {
    if (mode != Mode::kPatch && (!g->present || g->null)) {
      errors.Add(std::string(key), FieldErrorKind::kMissing, std::string(key) + " is required");
    } else if (mode == Mode::kPatch && g->present && g->null) {
      errors.Add(std::string(key), FieldErrorKind::kWrongType,
                 std::string(key) + " must not be null");
    }
  }
  return errors.empty();
}

// Builds the record's new state from `f`: from scratch for create and PUT, over `old` for PATCH
// (a given key replaces the stored value; null clears an optional one). `authentication` is
// replaced whole, a "********" leaf keeping the stored secret (item 69).
Status ApplyFields(const Fields& f, Mode mode, const CryptoBox& crypto,
                   const IntegrationRecord* old, IntegrationRecord& rec, FieldErrors& errors) {
  const bool replace = mode != Mode::kPatch;
  if (replace) rec.config.clear();
  if (f.reference.present) rec.reference = f.reference.value;
  if (f.name.present) rec.name = f.name.value;
  if (f.description.present) rec.description = f.description.value;
  if (f.type.present) rec.type = f.type.value;
  if (f.linked.present) SetIntegrationConfig(rec, kLinked, f.linked.value);
  if (f.status.present || replace) {
    rec.status = f.status.present && !f.status.null
                     ? *IntegrationStatusFromName(kTyped, f.status.value)
                     : IntegrationStatus::kActive;  // absent or null (item 64)
  }
  rec.active = rec.status == IntegrationStatus::kActive;
  for (size_t i = 0; i < kTypeCount; ++i) {
    const Given& g = f.type_objects[i];
    if (g.present) SetIntegrationConfig(rec, kTypeObjects[i], g.null ? "" : g.value);
  }
  for (size_t i = 0; i < kTypeCount; ++i) {
    if (rec.FindConfig(kTypeObjects[i]) != nullptr && kTypes[i] != rec.type) {
      std::string field(kTypeObjects[i]);
      errors.Add(field, FieldErrorKind::kPattern, field + " must be null unless type is " +
                                                      std::string(kTypes[i]));
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid request");
  if (!f.authentication.present && !replace) return Status::Ok();
  std::string secrets;
  if (f.authentication.present && !f.authentication.null) {
    std::string stored;
    if (old != nullptr) {
      auto plain = OpenIntegrationSecrets(crypto, *old);
      if (!plain.ok()) return plain.status();
      stored = std::move(plain).value();
    }
    auto merged = KeepMaskedSecrets(f.authentication.value, stored);
    if (!merged.ok()) return merged.status();
    secrets = std::move(merged).value();
  }
  return SetIntegrationSecrets(crypto, secrets, SecretView::kMasked, rec);
}

void WriteIntegration(JsonWriter& w, const IntegrationRecord& r) {
  w.BeginObject()
      .Field("reference", r.reference)
      .Field("name", r.name)
      .Field("description", r.description)
      .Field("type", r.type);
  const std::string* linked = r.FindConfig(kLinked);
  w.FieldRaw(kLinked, linked != nullptr ? std::string_view(*linked) : "[]");
  w.Field("object_type", "integration")
      .Field("id", r.id)
      .Field("status", IntegrationStatusName(kTyped, r.status))
      .FieldNull("message");
  if (r.secrets_view.empty()) {
    w.FieldNull("authentication");
  } else {
    w.FieldRaw("authentication", r.secrets_view);
  }
  for (std::string_view key : kTypeObjects) {
    if (const std::string* json = r.FindConfig(key)) w.FieldRaw(key, *json);
  }
  w.EndObject();
}

std::string Answer(const IntegrationRecord& r) {
  std::string body;
  body.reserve(kAnswerReserve);
  JsonWriter w(body);
  WriteIntegration(w, r);
  return body;
}

// Authenticates, settles the org and checks `permission`. Returns the error answer, if any.
std::optional<HttpResponse> Admit(Services& services, RequestContext& ctx, Permission permission,
                                  Caller& caller) {
  auto admitted = AdmitOrgCaller(services, ctx, permission);
  if (!admitted.ok()) return ProblemResponse(ctx, admitted.status());
  caller = std::move(admitted).value();
  if (services.crypto == nullptr) return ProblemResponse(ctx, Status::Internal("no encryption key"));
  return std::nullopt;
}

// A failed write: the field errors when validation found some, else the status.
HttpResponse Failure(const RequestContext& ctx, const Status& status, const FieldErrors& errors) {
  return errors.empty() ? ProblemResponse(ctx, status) : ProblemResponse(ctx, errors);
}

Reply Create(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kIntegrationCreate, caller)) return {*denied};
  Fields f;
  FieldErrors errors;
  if (!ReadFields(ctx.request.body(), Mode::kCreate, errors, f)) return {ProblemResponse(ctx, errors)};
  IntegrationRecord rec;
  rec.id = NewIntegrationId(kTyped);
  rec.org_id = caller.org_id;
  rec.family = kTyped;
  if (Status st = ApplyFields(f, Mode::kCreate, *services.crypto, nullptr, rec, errors); !st.ok()) {
    return {Failure(ctx, st, errors)};
  }
  const std::string crn = caller.Crn();
  const int64_t now = services.clock->NowMs();
  auto seq = services.store->Write(
      [&](WriteTxn& txn) { return StageIntegration(txn, nullptr, rec, crn, now); });
  if (!seq.ok()) return {ProblemResponse(ctx, seq.status())};
  return {JsonResponse(ctx, bhttp::status::created, Answer(rec)), *seq};
}

Reply Update(Services& services, RequestContext& ctx, Mode mode) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kIntegrationUpdate, caller)) return {*denied};
  Fields f;
  FieldErrors errors;
  if (!ReadFields(ctx.request.body(), mode, errors, f)) return {ProblemResponse(ctx, errors)};
  const std::string id(ctx.params[0]);
  const std::string crn = caller.Crn();
  const int64_t now = services.clock->NowMs();
  IntegrationRecord next;
  auto seq = services.store->Write([&](WriteTxn& txn) {
    auto old = FindIntegration(txn, caller.org_id, kTyped, id);
    if (!old) return Status::NotFound("integration not found");
    next = *old;
    if (Status st = ApplyFields(f, mode, *services.crypto, &*old, next, errors); !st.ok()) return st;
    return StageIntegration(txn, &*old, next, crn, now);
  });
  if (!seq.ok()) return {Failure(ctx, seq.status(), errors)};
  return {JsonResponse(ctx, bhttp::status::ok, Answer(next)), *seq};
}

Reply Replace(Services& services, RequestContext& ctx) { return Update(services, ctx, Mode::kReplace); }
Reply Patch(Services& services, RequestContext& ctx) { return Update(services, ctx, Mode::kPatch); }

Reply Get(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kIntegrationRead, caller)) return {*denied};
  std::string body;
  if (!AppendSolvimonIntegration(*services.store, caller.org_id, ctx.params[0], body)) {
    return {ProblemResponse(ctx, Status::NotFound("integration not found"))};
  }
  return {JsonResponse(ctx, bhttp::status::ok, std::move(body))};
}

Reply Delete(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kIntegrationDelete, caller)) return {*denied};
  const std::string id(ctx.params[0]);
  auto seq = services.store->Write(
      [&](WriteTxn& txn) { return EraseIntegration(txn, caller.org_id, kTyped, id); });
  if (!seq.ok()) return {ProblemResponse(ctx, seq.status())};
  return {EmptyResponse(ctx, bhttp::status::no_content), *seq};
}

// Item 2: ?page= from 1, ?limit= 1-100 (default 20), filters type and status (exact names).
Reply List(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kIntegrationRead, caller)) return {*denied};
  ListQuery q;
  FieldErrors errors;
  ParseListQuery(ctx.query, {.default_limit = 20, .max_limit = 100}, q, errors);
  if (q.type && std::find(kTypes.begin(), kTypes.end(), *q.type) == kTypes.end()) {
    errors.Add("type", FieldErrorKind::kUnknownEnum, "type is not a known integration type");
  }
  std::optional<IntegrationStatus> status;
  if (q.status && !(status = IntegrationStatusFromName(kTyped, *q.status))) {
    errors.Add("status", FieldErrorKind::kUnknownEnum, "status must be ACTIVE or INACTIVE");
  }
  if (!errors.empty()) return {ProblemResponse(ctx, errors)};
  const int64_t first = (q.page - 1) * q.limit;
  int64_t total = 0;
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Key("data").BeginArray();
  ForEachIntegration(*services.store, caller.org_id, kTyped, [&](const IntegrationRecord& r) {
    if ((q.type && r.type != *q.type) || (status && r.status != *status)) return;
    if (total >= first && total < first + q.limit) WriteIntegration(w, r);
    ++total;
  });
  w.EndArray().Field("page", q.page).Field("limit", q.limit).Field("total", total);
  w.Field("has_more", first + q.limit < total).EndObject();
  return {JsonResponse(ctx, bhttp::status::ok, std::move(body))};
}

}  // namespace

bool AppendSolvimonIntegration(const Store& store, std::string_view org_id, std::string_view id,
                               std::string& out) {
  return ReadIntegration(store, org_id, kTyped, id, [&](const IntegrationRecord& r) {
    JsonWriter w(out);
    WriteIntegration(w, r);
  });
}

void RegisterSolvimonRoutes(Router& router) {
  using bhttp::verb;
  router.Add(verb::post, "/v1/integrations", ApiFamily::kSolvimon, Create);
  router.Add(verb::get, "/v1/integrations", ApiFamily::kSolvimon, List);
  router.Add(verb::get, "/v1/integrations/{resourceId}", ApiFamily::kSolvimon, Get);
  router.Add(verb::put, "/v1/integrations/{resourceId}", ApiFamily::kSolvimon, Replace);
  router.Add(verb::patch, "/v1/integrations/{resourceId}", ApiFamily::kSolvimon, Patch);
  router.Add(verb::delete_, "/v1/integrations/{resourceId}", ApiFamily::kSolvimon, Delete);
}

}  // namespace ihub
