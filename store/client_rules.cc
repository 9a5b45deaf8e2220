#include "store/client_rules.h"

#include <span>
#include <utility>


namespace ihub {
namespace {

// Names are shown in lists and audit trails on one line (item 52).
bool HasNoLineBreak(std::string_view s) {
  return s.find_first_of("\r\n") == std::string_view::npos;
}

// One scope as read, with whether its entityId was a readable integer (so an absent or mistyped
// entityId is reported once, not again as "not in the catalog").
struct ScopeInput {
  ScopeEntry entry;
  bool entity_read = false;
  std::string permission;
};

void ReadScope(JsonValueReader& item, ScopeInput& in) {
  item.Object([&](ObjectReader& o) {
    if (o.Int64("entityId", {.required = true}, in.entry.entity_id)) in.entity_read = true;
    o.Enum("permission", {.required = true, .allowed = {"READ", "WRITE", "READWRITE"}},
           in.permission);
    o.StringArray("resources", {.required = true, .max_items = kMaxPatternsPerScope},
                  {.max_len = kMaxPatternLength}, in.entry.resources);
  });
}

// Checks each entityId against the org's catalog (every org has the default one, item 54), so
// that every unknown entity is named, not only the first the compiler meets.
void CheckEntities(const std::vector<ScopeInput>& inputs, FieldErrors& errors) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].entity_read && CatalogIndexOf(inputs[i].entry.entity_id) < 0) {
      const std::string field = "scopes[" + std::to_string(i) + "].entityId";
      errors.Add(field, FieldErrorKind::kUnknownEnum, field + " is not in the org's scope catalog");
    }
  }
}

// Compiles the scopes once; a rejected pattern becomes a field error naming it. The compiler's
// messages have the form "<field>: <reason>" and never hold the pattern itself.
bool CompileScopes(ClientFields& out, FieldErrors& errors) {
  auto compiled = CompiledScopes::Compile(std::span<const ScopeEntry>(out.scopes));
  if (compiled.ok()) {
    out.compiled = std::move(compiled).value();
    return true;
  }
  const std::string& message = compiled.status().message();
  const size_t colon = message.find(": ");
  std::string field = colon == std::string::npos ? "scopes" : message.substr(0, colon);
  errors.Add(std::move(field), FieldErrorKind::kPattern, message);
  return false;
}

}  // namespace

Status ReadClientFields(std::string_view body, ClientWrite kind, FieldErrors& errors,
                        ClientFields& out) {
  const bool create = kind == ClientWrite::kCreate;
  std::vector<ScopeInput> inputs;
  ReadJsonObject(body, errors, [&](ObjectReader& o) {
    o.String("name",
             {.required = create, .min_len = 1, .max_len = kClientNameMaxLength,
              .pattern = HasNoLineBreak, .pattern_hint = "must not contain a line break"},
             out.name);
    o.String("description", {.required = create, .max_len = kClientDescriptionMaxLength},
             out.description);
    o.Int64("expirationTokenTime", {.required = true, .min = 1, .max = kMaxExpirationTokenTime},
            out.expiration_token_time);
    o.Int64("defaultTillId", {.required = true, .min = 0}, out.default_till_id);
    o.Array("scopes", {.required = true, .max_items = kMaxScopesPerClient},
            [&](JsonValueReader& item) { ReadScope(item, inputs.emplace_back()); });
  });
  if (errors.malformed()) return Status::InvalidArgument("the body is not a JSON object");
  CheckEntities(inputs, errors);
  out.scopes.clear();
  out.scopes.reserve(inputs.size());
  for (ScopeInput& in : inputs) {
    // An unreadable permission was already reported; READ stands in so compiling can go on.
    ParseScopePermission(in.permission, &in.entry.permission);
    out.scopes.push_back(std::move(in.entry));
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid client fields");
  if (!CompileScopes(out, errors)) return Status::InvalidArgument("invalid scopes");
  return Status::Ok();
}

void ApplyClientFields(ClientFields fields, const Attribution& by, int64_t now_ms,
                       ClientRecord& record) {
  if (fields.name) record.name = std::move(*fields.name);
  if (fields.description) record.description = std::move(*fields.description);
  record.expiration_token_time = fields.expiration_token_time;
  record.default_till_id = fields.default_till_id;
  record.scopes = std::move(fields.scopes);
  record.compiled = std::move(fields.compiled);
  record.last_updated_on_ms = now_ms;
  record.last_updated_by = by;
}

Status ReadRotateRequest(std::string_view body, FieldErrors& errors, int64_t& grace_seconds) {
  grace_seconds = 0;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return Status::Ok();
  return ReadJsonObject(body, errors, [&](ObjectReader& o) {
    o.Int64("gracePeriodSeconds", {.min = 0, .max = kMaxGracePeriodSeconds}, grace_seconds);
  });
}

void RotateClientSecret(const Digest& new_secret_hash, int64_t grace_seconds, int64_t now_ms,
                        const Attribution& by, ClientRecord& record) {
  record.previous_secret_hash = record.secret_hash;
  record.previous_secret_valid_until_ms = now_ms + grace_seconds * 1000;
  record.secret_hash = new_secret_hash;
  record.last_updated_on_ms = now_ms;
  record.last_updated_by = by;
}

}  // namespace ihub
