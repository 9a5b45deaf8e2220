// Managed integration types (Centrapay seed 000; API-DECISIONS items 86-89): the registry of the
// `{type}` names of POST /api/managed-integrations/{type}/{externalId}, each with its params
// schema and rules.
//
// Adding a type is one piece of code: a file store/managed_type_<name>.cc that defines a
// `const ManagedType` (its name and its params reader) and one line in the table of
// managed_types.cc. Nothing else changes: the handlers, the record (IntegrationRecord with family
// kManaged, the params stored as its "params" config entry) and the lifecycle rules
// (store/managed_integration_rules.h) are the same for every type.
//
// A params reader reads the request's "params" value inside the body's single JSON pass
// (codec/json_reader.h), records one FieldError per offending field under "params.<field>", and
// writes the normalized params: a minified JSON object of the fields the type knows, in the
// type's order, so unknown keys are dropped and never stored (item 89).
//
// Thread-safety: the registry is immutable (constant-initialized); readers are pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "codec/json_reader.h"
#include "store/status.h"

namespace ihub {

struct ManagedType {
  // The path's {type}, e.g. "kete-enrolment". Lower-case letters, digits and '-' (it goes into
  // index keys and invitation URLs unescaped).
  std::string_view name;
  // Reads the value of "params" (REQUIRES: not null; the caller reports a missing one). On return
  // `normalized` holds the params object as stored and answered; it is meaningful only when the
  // read recorded no error.
  void (*read_params)(JsonValueReader& params, std::string& normalized);
};

// The registered type named `name` (exact match), or nullptr.
const ManagedType* FindManagedType(std::string_view name);

// Every registered type, in registration order.
std::span<const ManagedType* const> ManagedTypes();

// The body of an upsert: {"active": bool | "true" | "false", "params": {...}}.
struct ManagedUpsertBody {
  bool active = false;
  std::string params;  // the normalized params (minified JSON object)
};

// Reads an upsert body for `type`. When `type` is null (the path named an unknown type, already
// reported by the caller) "params" is still required but not checked, since no schema applies.
// Returns ok when `errors` stayed empty (it may hold errors the caller added before: those make
// the result InvalidArgument too); otherwise InvalidArgument, with every offending field in
// `errors` ("active", "params", "params.bankAccounts[0]", ...).
Status ReadManagedUpsertBody(std::string_view body, const ManagedType* type, FieldErrors& errors,
                             ManagedUpsertBody& out);

// ---- Registered types (one file each) ----

// kete-enrolment: bankAccounts (1-20 NZ account numbers BB-bbbb-AAAAAAA-SS(S), 7-9 account
// digits: item 87), givenName and familyName (1-256), email (x@y.z), phoneNumber (+64 then 8-10
// digits: item 88). Defined in managed_type_kete_enrolment.cc.
extern const ManagedType kKeteEnrolmentType;

}  // namespace ihub
