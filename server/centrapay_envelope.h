// Centrapay envelope (seed 000; API-DECISIONS items 17, 85, 86, 90, 93): the answer shapes of
// /api/managed-integrations and /api/invitations, and the one place where a Status or FieldErrors
// becomes a Centrapay error.
//
//   success  the managed integration itself (bare object), or {"items": [...]} for the list
//   failure  {"message": "<CODE>", "description": "...", "details": [{"field", "message"}]}
//            (details only for field validation failures)
//
// Codes: INVALID_PARAMS (400, each offending field in details), MALFORMED_JSON (400, a body that
// is not JSON), UNAUTHORIZED (401), FORBIDDEN (403), NOT_FOUND (404), MANAGED_INTEGRATION_ARCHIVED
// and INVITATION_ALREADY_ACCEPTED (409, named by the caller), INVITATION_EXPIRED (410),
// INTERNAL (500). Descriptions name fields, never values (item 15).
//
// Thread-safety: pure functions; the timestamp scratch buffer is per thread.
#pragma once

#include <string>
#include <string_view>

#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "server/http.h"
#include "store/integration_record.h"
#include "store/status.h"

namespace ihub {

inline constexpr std::string_view kCentrapayInvalidParams = "INVALID_PARAMS";
inline constexpr std::string_view kCentrapayArchived = "MANAGED_INTEGRATION_ARCHIVED";
inline constexpr std::string_view kCentrapayAlreadyAccepted = "INVITATION_ALREADY_ACCEPTED";

// The error code of `code` in this API when the caller names none.
std::string_view CentrapayCodeOf(StatusCode code);

// An error answer for a non-ok status in the status's HTTP code, with `code` (empty: derived from
// the status); 401 carries WWW-Authenticate.
HttpResponse CentrapayError(const RequestContext& ctx, const Status& status,
                            std::string_view code = {});
// A 400 INVALID_PARAMS naming every offending field in `details` (MALFORMED_JSON for a body
// that is not JSON).
HttpResponse CentrapayError(const RequestContext& ctx, const FieldErrors& errors);

// A 200 application/json answer with `body`.
HttpResponse CentrapayOk(const RequestContext& ctx, std::string body);

// Writes one managed integration as the seed shows it: id, type, externalId, active (a boolean,
// item 90), params, invitation {id, code, url, expiresAt}, status, then claimedByAccountId,
// claimedBy, claimedAt once claimed, and createdAt, createdBy, updatedAt, updatedBy.
// REQUIRES: r.family == kManaged. Allocates nothing once `w`'s buffer has grown, so it may run
// inside a shard's Read callback.
void WriteManagedIntegration(JsonWriter& w, const IntegrationRecord& r);

}  // namespace ihub
