// Integration rules: the one set of rules behind the three integration families (Solvimon typed,
// OEM vendor, Centrapay managed; store/integration_record.h). The families' handlers parse and
// encode; everything that decides what an integration may become lives here:
//   - status names per family, and the allowed transitions (archived is final; nothing returns to
//     pending);
//   - reference uniqueness per (org, family[, type]) and invitation-code uniqueness;
//   - the audit stamps (created/updated at and by CRN);
//   - secrets: sealing (AES-256-GCM, aad = record id), the answer view (masked or blanked string
//     leaves), opening, and item 69's "a mask sent back keeps the stored secret";
//   - OEM credentials against a vendor's template (exactly the template's keys, item 74);
//   - tenant-scoped lookups: another org's or another family's id is "not found" (API.md §1).
//
// Thread-safety: pure functions over their arguments; the Store and CryptoBox they are given
// carry their own rules (both safe from any thread). Stage*/Erase* run inside a Store::Write body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/json_reader.h"
#include "store/crypto_box.h"
#include "store/integration_record.h"
#include "store/status.h"
#include "store/store.h"

namespace ihub {

// ---- Status names and transitions ----

// The wire name of `status` in `family`: "ACTIVE"/"INACTIVE" for Solvimon (item 64), lower case
// ("pending", "active", "inactive", "archived") for Centrapay and OEM.
std::string_view IntegrationStatusName(IntegrationFamily family, IntegrationStatus status);
// The status named `name` in `family` (exact case), or nullopt. Solvimon knows only ACTIVE and
// INACTIVE; the others know all four.
std::optional<IntegrationStatus> IntegrationStatusFromName(IntegrationFamily family,
                                                           std::string_view name);
// Ok when an integration may move from `from` to `to`: staying is always ok; archived is final;
// pending -> active | inactive | archived; active <-> inactive;
// active | inactive -> archived. Conflict otherwise, naming both states.
Status CheckStatusTransition(IntegrationStatus from, IntegrationStatus to);

// ---- Identifiers ----

// A new integration id: "intg_" + 22 base62 for Solvimon (item 73); 24 lower-case hex for OEM
// (item 84) and Centrapay (the seed's look).
std::string NewIntegrationId(IntegrationFamily family);
// A new vendor id: 8 decimal digits (item 83). Callers check it is free inside their write.
std::string NewVendorId();
// A new OEM token: "ihoem_" + 44 base62 (item 82). Shown once; stored as Sha256 only.
std::string NewOemToken();

// ---- Secrets ----

// How answers show the string leaves of stored secrets.
enum class SecretView {
  kMasked,  // "********" (Solvimon authentication, item 68)
  kBlank,   // "" (OEM credentials, as the seed's list shows)
};

// Seals `secrets_json` (a JSON object, minified or not) into record.sealed_secrets under
// record.id (which must be set) and sets record.secrets_view. An empty `secrets_json` clears
// both. Errors: InvalidArgument for malformed JSON; Internal if encryption fails.
Status SetIntegrationSecrets(const CryptoBox& crypto, std::string_view secrets_json,
                             SecretView view, IntegrationRecord& record);
// The plain secrets JSON of `record` ("" when it has none). Internal when the sealed value does
// not open (wrong key, or altered data): the caller answers 500, never the sealed bytes.
Result<std::string> OpenIntegrationSecrets(const CryptoBox& crypto, const IntegrationRecord& record);
// Item 69: `given` with every string leaf equal to "********" replaced by the leaf at the same
// path in `stored` (plain JSON, may be empty); a mask with no stored leaf there stays as given.
// InvalidArgument when either is malformed.
Result<std::string> KeepMaskedSecrets(std::string_view given, std::string_view stored);

// ---- OEM credential templates ----

// Ok when `given` has exactly the keys of `template_keys` (any order). Otherwise InvalidArgument
// whose message names every missing and every extra key (keys are not secret), with one
// FieldError per key under `field` (e.g. "data.integrationCredentials").
Status MatchCredentialTemplate(const std::vector<std::string>& template_keys,
                               const std::vector<std::string>& given, std::string_view field,
                               FieldErrors& errors);

// ---- Configuration ----

// Sets config `key` to `json` (one minified JSON value), or removes it when `json` is empty.
void SetIntegrationConfig(IntegrationRecord& record, std::string_view key, std::string json);

// ---- Lookups (tenant-scoped) ----

// Calls fn(const IntegrationRecord&) under the record's shard lock when `id` is an integration of
// `org_id` in `family`; returns whether it was. The hot read: no copy of the record.
template <typename Fn>
bool ReadIntegration(const Store& store, std::string_view org_id, IntegrationFamily family,
                     std::string_view id, Fn&& fn) {
  bool found = false;
  store.table<IntegrationRecord>().Read(id, [&](const IntegrationRecord& r) {
    if (r.org_id != org_id || r.family != family) return;
    found = true;
    fn(r);
  });
  return found;
}
// The integration `id` of `org_id` in `family` as the transaction would leave it, or nullopt.
std::optional<IntegrationRecord> FindIntegration(const WriteTxn& txn, std::string_view org_id,
                                                 IntegrationFamily family, std::string_view id);
// The integration holding `reference` in (org, family, scope of `type`), or nullopt.
std::optional<IntegrationRecord> FindIntegrationByReference(const Store& store,
                                                            std::string_view org_id,
                                                            IntegrationFamily family,
                                                            std::string_view type,
                                                            std::string_view reference);

// Calls fn(const IntegrationRecord&) for each integration of `org_id` in `family`, in id order.
// Reads the org's listing a page at a time (no snapshot across pages; table.h).
template <typename Fn>
void ForEachIntegration(const Store& store, std::string_view org_id, IntegrationFamily family,
                        Fn&& fn) {
  constexpr size_t kPage = 256;
  const std::string group = IntegrationListGroup(org_id, family);
  std::string cursor;
  for (;;) {
    auto page = store.table<IntegrationRecord>().ListByGroup(group, cursor, kPage);
    for (const IntegrationRecord& r : page.items) fn(r);
    if (page.next_cursor.empty()) return;
    cursor = std::move(page.next_cursor);
  }
}

// ---- Writes (inside a Store::Write body) ----

// Validates and stages `next` as the new state of an integration: a create when `old` is null,
// else a change of `old` (same id, org and family). Stamps next's audit fields in place
// (created_* kept from `old`), checks the status transition, and that no other integration holds
// next's reference (AlreadyExists, 409) or invitation code (Internal: codes are random), then
// stages a copy. Nothing is staged on error.
Status StageIntegration(WriteTxn& txn, const IntegrationRecord* old, IntegrationRecord& next,
                        std::string_view by_crn, int64_t now_ms);

// Stages the hard delete of integration `id` of `org_id` in `family` (item 71). NotFound when it
// is not one.
Status EraseIntegration(WriteTxn& txn, std::string_view org_id, IntegrationFamily family,
                        std::string_view id);

}  // namespace ihub
