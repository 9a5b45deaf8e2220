#include "server/auth.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "server/logging.h"
#include "server/services.h"
#include "store/scopes.h"
#include "store/secrets.h"
#include "store/store.h"

namespace ihub {
namespace {

constexpr std::string_view kBearerPrefix = "Bearer ";

// The credential in Authorization: Bearer, or empty. The scheme is case-insensitive (RFC 7235).
std::string_view BearerToken(const HttpRequest& request) {
  auto it = request.find(bhttp::field::authorization);
  if (it == request.end()) return {};
  std::string_view value = it->value();
  if (value.size() <= kBearerPrefix.size()) return {};
  for (size_t i = 0; i + 1 < kBearerPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) !=
        std::tolower(static_cast<unsigned char>(kBearerPrefix[i]))) {
      return {};
    }
  }
  if (value[kBearerPrefix.size() - 1] != ' ') return {};
  return value.substr(kBearerPrefix.size());
}

bool IsRootKey(const Services& services, const Digest& presented) {
  return services.root_key_loaded && ConstantTimeEquals(presented, services.root_key_hash);
}

Result<Caller> AuthenticateApiKey(const Services& services, std::string_view key) {
  const Digest digest = Sha256(key);
  Caller caller;
  // The lookup is by digest, so no secret is compared byte by byte here. Org keys, the common
  // case, are looked up first; only a key that is none of them is compared with the root key.
  const bool found = services.store->api_keys().ReadBy<ApiKeyByHash>(
      digest, [&](const ApiKeyRecord& record) {
        caller.kind = CallerKind::kApiKey;
        caller.org_id = record.org_id;
        caller.key_id = record.id;
        caller.key_name = record.name;
        caller.permissions = record.permissions;
      });
  if (found) return caller;
  if (IsRootKey(services, digest)) {
    caller.kind = CallerKind::kRoot;
    return caller;
  }
  return Status::Unauthenticated("the API key is not valid");
}

}  // namespace

std::string ApiClientCrn(std::string_view org_id, std::string_view client_key) {
  std::string crn = "crn:";
  crn.append(org_id).append(":api-client:").append(client_key);
  return crn;
}

std::string Caller::CrnIn(std::string_view org) const {
  std::string crn = "crn:";
  switch (kind) {
    case CallerKind::kRoot:
      crn.append(org).append(":root-key:root");
      return crn;
    case CallerKind::kApiKey:
      crn.append(org).append(":api-key:").append(key_name);
      return crn;
    case CallerKind::kBearer:
      return ApiClientCrn(org, client_key);
  }
  return {};
}

Result<Caller> Authenticate(const Services& services, const HttpRequest& request) {
  // Field lookup by name is case-insensitive, so X-API-KEY and x-api-key both land here.
  auto api_key = request.find("X-Api-Key");
  if (api_key != request.end()) {
    if (api_key->value().empty()) return Status::Unauthenticated("the API key is empty");
    return AuthenticateApiKey(services, api_key->value());
  }
  const std::string_view bearer = BearerToken(request);
  if (bearer.empty()) return Status::Unauthenticated("credentials are required");
  if (IsRootKey(services, Sha256(bearer))) {
    Caller caller;
    caller.kind = CallerKind::kRoot;
    return caller;
  }
  if (services.authenticate_bearer == nullptr) {
    return Status::Unauthenticated("the access token is not valid");
  }
  return services.authenticate_bearer(services, bearer);
}

Status ResolveOrg(const Services& services, Caller& caller, const HttpRequest& request) {
  auto header = request.find("x-platform-id");
  const bool named = header != request.end();
  if (caller.kind != CallerKind::kRoot) {
    if (named && header->value() != caller.org_id) {
      return Status::PermissionDenied("x-platform-id does not name the caller's organization");
    }
    return Status::Ok();
  }
  if (!named || header->value().empty()) {
    return Status::InvalidArgument("the root key must name an organization in x-platform-id");
  }
  std::string org_id(header->value());
  if (!services.store->orgs().Contains(org_id)) {
    return Status::NotFound("organization not found");
  }
  caller.org_id = std::move(org_id);
  return Status::Ok();
}

Status RequirePermission(const Caller& caller, Permission permission, const RequestContext& ctx) {
  switch (caller.kind) {
    case CallerKind::kRoot:
      return Status::Ok();
    case CallerKind::kApiKey:
      if (HasPermission(caller.permissions, permission)) return Status::Ok();
      return Status::PermissionDenied("the API key lacks the " +
                                      std::string(PermissionName(permission)) + " permission");
    case CallerKind::kBearer: {
      MethodClass method_class = MethodClass::kNone;
      const std::string_view method = ctx.request.method_string();
      if (caller.scopes && ClassifyMethod(method, &method_class) &&
          caller.scopes->Allows(caller.entity_mask, method_class, ctx.path)) {
        return Status::Ok();
      }
      return Status::PermissionDenied("the token's scopes do not grant this request");
    }
  }
  return Status::PermissionDenied("not allowed");
}

Result<Caller> AdmitOrgCaller(const Services& services, const RequestContext& ctx,
                              Permission permission) {
  auto caller = Authenticate(services, ctx.request);
  if (!caller.ok()) return caller;
  if (Status s = ResolveOrg(services, *caller, ctx.request); !s.ok()) return s;
  if (Status s = RequirePermission(*caller, permission, ctx); !s.ok()) return s;
  return caller;
}

Status RequireRoot(const Caller& caller) {
  if (caller.kind == CallerKind::kRoot) return Status::Ok();
  return Status::PermissionDenied("this endpoint requires the root key");
}

Status AdmitRootCaller(const Services& services, const HttpRequest& request) {
  auto caller = Authenticate(services, request);
  if (!caller.ok()) return caller.status();
  return RequireRoot(*caller);
}

Status LoadRootKey(Services& services, const std::string& data_dir) {
  if (const char* env = std::getenv("IHUB_ROOT_KEY"); env != nullptr && *env != '\0') {
    services.root_key_hash = Sha256(env);
    services.root_key_loaded = true;
    Log(LogLevel::kInfo, "root key taken from IHUB_ROOT_KEY");
    return Status::Ok();
  }
  const std::string path = data_dir + "/root.key";
  std::string key;
  if (std::ifstream in(path); in) {
    std::getline(in, key);
    if (key.empty()) return Status::Internal(path + " is empty");
    Log(LogLevel::kInfo, "root key loaded", {{"path", path}});
  } else {
    key = NewRootKey();
    const mode_t old_mask = ::umask(0077);  // the file is born 0600: never readable by others
    std::ofstream out(path, std::ios::trunc);
    out << key << '\n';
    out.close();
    ::umask(old_mask);
    if (!out) return Status::Internal("cannot write " + path + ": " + std::strerror(errno));
    ::chmod(path.c_str(), 0600);
    Log(LogLevel::kInfo, "root key generated", {{"path", path}});
  }
  services.root_key_hash = Sha256(key);
  services.root_key_loaded = true;
  return Status::Ok();
}

}  // namespace ihub
