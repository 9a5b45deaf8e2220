// Capillary v3 envelope (seed 001, API-DECISIONS items 17, 49, 50, 57): the answer shapes of the
// /v3/integrations API, and the one place where a Status or FieldErrors becomes a Capillary
// error.
//
//   success  {"data": <value>, "errors": null}
//   failure  {"data": null, "errors": [{"code": "<CODE>", "message": "..."}, ...]}
//
// Codes: INVALID_INPUT (400, one entry per invalid field), UNAUTHORIZED (401), FORBIDDEN (403),
// NOT_FOUND (404), CLIENT_DELETED (409: a conflict in this API is always a deleted client),
// TOO_MANY_REQUESTS, UNAVAILABLE, INTERNAL. Messages name fields, never values.
//
// A client is written as the seed shows it, with `scopes` always present and each scope carrying
// its `resources` (item 50). Timestamps use Capillary's form in UTC: 2020-04-15T14:14:06.104+0000.
//
// Thread-safety: pure functions; the timestamp scratch buffer is per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "server/http.h"
#include "store/client_record.h"
#include "store/status.h"

namespace ihub {

// The error code of `code` in this API ("INVALID_INPUT", "NOT_FOUND", "CLIENT_DELETED", ...).
std::string_view CapillaryCodeOf(StatusCode code);

// An error answer for a non-ok status, in the status's HTTP code; 401 carries WWW-Authenticate.
HttpResponse CapillaryError(const RequestContext& ctx, const Status& status);
// A 400 with one INVALID_INPUT entry per field error (a malformed body gives one entry).
HttpResponse CapillaryError(const RequestContext& ctx, const FieldErrors& errors);

// Starts a success body: writes `{"data":`. The caller writes the value, then EndData.
inline void BeginData(JsonWriter& w) { w.BeginObject().Key("data"); }
// Ends a success body: writes `,"errors":null}`.
inline void EndData(JsonWriter& w) { w.FieldNull("errors").EndObject(); }
// A 200 application/json answer with `body` (a complete envelope).
HttpResponse CapillaryOk(const RequestContext& ctx, std::string body);

// What a client answer carries besides the record: the secret (create and rotate only) and the
// end of the previous secret's grace period (rotate only).
struct ClientExtras {
  std::string_view client_secret;             // empty: omitted
  int64_t previous_secret_valid_until_ms = -1;  // negative: omitted
};

// Writes one client object: id, attribution, name, clientKey, [clientSecret], isValid,
// description, expirationTokenTime, defaultTillId, scopes, [previousSecretValidUntil].
// Allocates nothing once `w`'s buffer has grown, so it may run inside a shard's Read callback.
void WriteClient(JsonWriter& w, const ClientRecord& client, const ClientExtras& extras = {});

// WriteClient without extras, through the record's cached encoding (ClientRecord::encoded):
// the first read encodes, later reads copy. Only on the stored record itself, read under the
// client's shard lock (GET): a copy, as a list page holds, starts without the encoding.
void WriteStoredClient(JsonWriter& w, const ClientRecord& client);

}  // namespace ihub
