#include "server/capillary_handlers.h"

#include <optional>
#include <string>
#include <utility>

#include "codec/function_ref.h"
#include "codec/json_writer.h"
#include "server/auth.h"
#include "server/capillary_envelope.h"
#include "server/router.h"
#include "server/services.h"
#include "store/client_rules.h"
#include "store/clock.h"
#include "store/scopes.h"
#include "store/secrets.h"
#include "store/store.h"

namespace ihub {
namespace {

// A client answer is ~600 bytes with a few scopes: one reservation covers it.
constexpr size_t kClientAnswerReserve = 1024;
constexpr size_t kListPageSize = 500;

// Authenticates, settles the org and checks `permission`. Returns the error answer, if any.
std::optional<HttpResponse> Admit(Services& services, RequestContext& ctx, Permission permission,
                                  Caller& caller) {
  auto admitted = AdmitOrgCaller(services, ctx, permission);
  if (!admitted.ok()) return CapillaryError(ctx, admitted.status());
  caller = std::move(admitted).value();
  return std::nullopt;
}

// Who is changing a client, as the seed's attribution objects describe it (item 57).
Attribution AttributionOf(const Caller& caller) {
  switch (caller.kind) {
    case CallerKind::kApiKey:
      return {std::string(caller.key_id.view()), caller.Crn(), caller.key_name, "API_KEY"};
    case CallerKind::kBearer:
      return {std::to_string(caller.client_id), caller.client_key, "", "API_CLIENT"};
    case CallerKind::kRoot:
      break;
  }
  return {"root", "", "", "ROOT_KEY"};
}

// The success envelope around one client.
std::string ClientBody(const ClientRecord& client, const ClientExtras& extras = {}) {
  std::string body;
  body.reserve(kClientAnswerReserve);
  JsonWriter w(body);
  BeginData(w);
  WriteClient(w, client, extras);
  EndData(w);
  return body;
}

// The success envelope around an array whose elements `items` writes.
HttpResponse DataArray(const RequestContext& ctx, FunctionRef<void(JsonWriter&)> items) {
  std::string body;
  JsonWriter w(body);
  BeginData(w);
  w.BeginArray();
  items(w);
  w.EndArray();
  EndData(w);
  return CapillaryOk(ctx, std::move(body));
}

Reply GetScopes(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kClientRead, caller)) return {*denied};
  return {DataArray(ctx, [](JsonWriter& w) {
    for (const CatalogEntity& e : DefaultCatalog()) {
      w.BeginObject().Field("id", e.id).Field("entity", e.name).EndObject();
    }
  })};
}

Reply CreateClient(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kClientWrite, caller)) return {*denied};
  FieldErrors errors;
  ClientFields fields;
  if (!ReadClientFields(ctx.request.body(), ClientWrite::kCreate, errors, fields).ok()) {
    return {CapillaryError(ctx, errors)};
  }
  // The secret exists only in this function and the answer; the record keeps its digest.
  const std::string secret = RandomBase62(kClientSecretLength);
  const int64_t now = services.clock->NowMs();
  ClientRecord client;
  client.org_id = caller.org_id;
  client.secret_hash = Sha256(secret);
  client.created_on_ms = now;
  client.created_by = AttributionOf(caller);
  ApplyClientFields(std::move(fields), client.created_by, now, client);
  std::string key = RandomBase62(kClientKeyLength);
  auto seq = services.store->Write([&](WriteTxn& txn) {
    // Keys are global (item 60); a clash among 62^25 keys is unlikely but must not overwrite.
    while (txn.store().clients().Contains(key)) key = RandomBase62(kClientKeyLength);
    client.client_key = key;
    client.id = NextClientId(txn.store());
    txn.Put(client);
    return Status::Ok();
  });
  if (!seq.ok()) return {CapillaryError(ctx, seq.status())};
  return {CapillaryOk(ctx, ClientBody(client, {.client_secret = secret})), *seq};
}

Reply ListClients(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kClientRead, caller)) return {*denied};
  return {DataArray(ctx, [&](JsonWriter& w) {
    // Not paginated (item 3): the whole list, read page by page so no lock is held for long.
    std::string cursor;
    do {
      auto page = services.store->clients().ListByOrg(caller.org_id, cursor, kListPageSize);
      for (const ClientRecord& c : page.items) WriteClient(w, c);
      cursor = std::move(page.next_cursor);
    } while (!cursor.empty());
  })};
}

Reply GetClient(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kClientRead, caller)) return {*denied};
  std::string body;
  body.reserve(kClientAnswerReserve);
  if (!AppendClientEnvelope(*services.store, caller.org_id, ctx.params[0], body)) {
    return {CapillaryError(ctx, Status::NotFound("client not found"))};
  }
  return {CapillaryOk(ctx, std::move(body))};
}

// One change to the caller's org's client named in the path, in one write: 404 for an unknown
// key or another org's client, 409 for a deleted one when `must_be_valid`. change(ClientRecord&)
// edits the record and returns whether to store it. Yields the client as changed.
struct Changed {
  ClientRecord client;
  uint64_t seq = 0;
};
template <typename Change>
Result<Changed> ChangeClient(Services& services, const Caller& caller, std::string_view key,
                             bool must_be_valid, Change&& change) {
  Changed out;
  auto seq = services.store->Write([&](WriteTxn& txn) {
    auto client = txn.Find<ClientRecord>(key);
    if (!client || client->org_id != caller.org_id) return Status::NotFound("client not found");
    if (must_be_valid && !client->is_valid) return Status::Conflict("the client is deleted");
    out.client = std::move(*client);
    if (change(out.client)) txn.Put(out.client);
    return Status::Ok();
  });
  if (!seq.ok()) return seq.status();
  out.seq = *seq;
  return out;
}

// The answer to a change: the error, or the changed client (with the new secret and the old
// one's grace deadline after a rotation), acknowledged once its write is durable.
Reply ChangedReply(const RequestContext& ctx, const Result<Changed>& changed,
                   std::string_view new_secret = {}) {
  if (!changed.ok()) return {CapillaryError(ctx, changed.status())};
  ClientExtras extras;
  if (!new_secret.empty()) {
    extras = {.client_secret = new_secret,
              .previous_secret_valid_until_ms = changed->client.previous_secret_valid_until_ms};
  }
  return {CapillaryOk(ctx, ClientBody(changed->client, extras)), changed->seq};
}

Reply UpdateClient(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kClientWrite, caller)) return {*denied};
  FieldErrors errors;
  ClientFields fields;
  if (!ReadClientFields(ctx.request.body(), ClientWrite::kUpdate, errors, fields).ok()) {
    return {CapillaryError(ctx, errors)};
  }
  const Attribution by = AttributionOf(caller);
  const int64_t now = services.clock->NowMs();
  auto changed = ChangeClient(services, caller, ctx.params[0], /*must_be_valid=*/true,
                              [&](ClientRecord& c) {
                                ApplyClientFields(std::move(fields), by, now, c);
                                return true;
                              });
  return ChangedReply(ctx, changed);
}

// Soft delete (item 56): the client stays, answering isValid:false; a second DELETE changes
// nothing and answers the same way.
Reply DeleteClient(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kClientWrite, caller)) return {*denied};
  const Attribution by = AttributionOf(caller);
  const int64_t now = services.clock->NowMs();
  auto changed = ChangeClient(services, caller, ctx.params[0], /*must_be_valid=*/false,
                              [&](ClientRecord& c) {
                                if (!c.is_valid) return false;
                                c.is_valid = false;
                                c.last_updated_on_ms = now;
                                c.last_updated_by = by;
                                return true;
                              });
  return ChangedReply(ctx, changed);
}

Reply RotateSecret(Services& services, RequestContext& ctx) {
  Caller caller;
  if (auto denied = Admit(services, ctx, Permission::kClientWrite, caller)) return {*denied};
  FieldErrors errors;
  int64_t grace_seconds = 0;
  if (!ReadRotateRequest(ctx.request.body(), errors, grace_seconds).ok()) {
    return {CapillaryError(ctx, errors)};
  }
  // The new secret exists only here and in the answer; the record keeps its digest.
  const std::string secret = RandomBase62(kClientSecretLength);
  const Digest secret_hash = Sha256(secret);
  const Attribution by = AttributionOf(caller);
  const int64_t now = services.clock->NowMs();
  auto changed = ChangeClient(services, caller, ctx.params[0], /*must_be_valid=*/true,
                              [&](ClientRecord& c) {
                                RotateClientSecret(secret_hash, grace_seconds, now, by, c);
                                return true;
                              });
  return ChangedReply(ctx, changed, secret);
}

}  // namespace

bool AppendClientEnvelope(const Store& store, std::string_view org_id, std::string_view client_key,
                          std::string& out) {
  bool visible = false;
  store.clients().Read(client_key, [&](const ClientRecord& client) {
    if (client.org_id != org_id) return;  // another org's client is not there (item 60)
    visible = true;
    JsonWriter w(out);
    BeginData(w);
    WriteStoredClient(w, client);
    EndData(w);
  });
  return visible;
}

void RegisterCapillaryRoutes(Router& router) {
  using bhttp::verb;
  constexpr ApiFamily kFamily = ApiFamily::kCapillary;
  router.Add(verb::get, "/v3/integrations/scopes", kFamily, GetScopes);
  router.Add(verb::post, "/v3/integrations/clients", kFamily, CreateClient);
  router.Add(verb::get, "/v3/integrations/clients", kFamily, ListClients);
  router.Add(verb::get, "/v3/integrations/clients/{clientKey}", kFamily, GetClient);
  router.Add(verb::put, "/v3/integrations/clients/{clientKey}", kFamily, UpdateClient);
  router.Add(verb::delete_, "/v3/integrations/clients/{clientKey}", kFamily, DeleteClient);
  router.Add(verb::post, "/v3/integrations/clients/{clientKey}/secrets/rotate", kFamily,
             RotateSecret);
}

}  // namespace ihub
