// Managed integration rules (Centrapay seed 000; API-DECISIONS items 91-100): what the Centrapay
// operations do to the one integration record kind (store/integration_record.h, family kManaged)
// on top of the shared rules of store/integration_rules.h (status transitions, reference
// uniqueness, audit stamps):
//   - upsert on (org, type, externalId): create with a fresh invitation, or replace `active` and
//     `params` of the existing record; `status` stays pending until claimed and then follows
//     `active`; the invitation is never regenerated; an archived record is final (409);
//   - archive (DELETE): status archived, repeatable;
//   - claim (POST /api/invitations/{code}/accept): the code is the credential, looked up by the
//     invitation-code index; checks in the order of item 95.
// The record maps the seed's fields as: reference = externalId, config "params" = the normalized
// params (store/managed_types.h), invitation = the invitation and the claim.
//
// Thread-safety: pure functions; Stage* run inside a Store::Write body (the writer lock makes
// their read-check-stage sequence atomic).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/integration_record.h"
#include "store/managed_types.h"
#include "store/status.h"
#include "store/store.h"

namespace ihub {

inline constexpr int64_t kInvitationLifetimeMs = 48LL * 3600 * 1000;  // item 93
inline constexpr size_t kInvitationIdLength = 25;                     // base62, item 93
inline constexpr size_t kInvitationCodeLength = 22;                   // base62, item 93
inline constexpr size_t kMaxExternalIdLength = 256;                   // item 100
inline constexpr std::string_view kManagedParamsConfigKey = "params";

// Item 100: 1-256 characters (code points), valid UTF-8 assumed (the path decoder checks it),
// no control characters.
bool IsValidExternalId(std::string_view external_id);
// True when `code` has the shape of an invitation code (22 base62). Anything else is unknown
// without a lookup.
bool IsInvitationCodeShape(std::string_view code);

// Item 96 and 99's claim CRN: crn:<accountId>:invitation:<invitationId>.
std::string InvitationClaimCrn(std::string_view account_id, std::string_view invitation_id);
// Item 96: 1-64 characters of [A-Za-z0-9_-].
bool IsValidAccountId(std::string_view account_id);

struct ManagedUpsert {
  std::string_view org_id;
  const ManagedType* type = nullptr;  // REQUIRES: not null
  std::string_view external_id;       // decoded; IsValidExternalId
  bool active = false;
  std::string_view params;    // normalized (ManagedUpsertBody::params)
  std::string_view url_base;  // the issuer; the invitation url is <base>/<type>/<extId>/<id>
  std::string_view by_crn;
  int64_t now_ms = 0;
};

// Creates or updates the managed integration (org, type, externalId) as the header describes and
// leaves it, as it will be stored, in `out`. Stages nothing when an update changes neither
// `active` nor `params` (a repeated request is a no-op, so its answer equals the stored record).
// Errors: Conflict when the record is archived (item 92); Internal on an id or code clash.
Status StageManagedUpsert(WriteTxn& txn, const ManagedUpsert& in, IntegrationRecord& out);

// Archives managed integration `id` of `org_id` (item 97) and leaves it in `out`. Archiving an
// archived record stages nothing and answers it as it is. NotFound for an unknown id, another
// org's id, or another family's.
Status StageManagedArchive(WriteTxn& txn, std::string_view org_id, std::string_view id,
                           std::string_view by_crn, int64_t now_ms, IntegrationRecord& out);

// Claims the invitation `code` for `account_id` (nullopt: the body was invalid) and leaves the
// claimed record in `out`. Checks, in item 95's order: NotFound for an unknown code; Gone when
// the invitation expired (now_ms >= expiresAt) or the integration is archived; Conflict when
// already claimed; InvalidArgument when `account_id` is nullopt. On success sets
// claimedByAccountId, claimedBy (InvitationClaimCrn), claimedAt, updatedAt/By, and status active
// or inactive per `active`.
Status StageInvitationClaim(WriteTxn& txn, std::string_view code,
                            std::optional<std::string_view> account_id, int64_t now_ms,
                            IntegrationRecord& out);

}  // namespace ihub
