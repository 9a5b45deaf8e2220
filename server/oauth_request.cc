// OAuth request plumbing. See oauth_request.h.
#include "server/oauth_request.h"

#include <array>

#include <boost/beast/core/string.hpp>

#include "codec/form.h"
#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "server/problem.h"

namespace ihub {
namespace {

constexpr size_t kMaxParamLength = 4096;

enum class BodyType { kForm, kJson, kOther };

// Compares the media type (before any ';' parameters) case-insensitively.
bool MediaTypeIs(std::string_view content_type, std::string_view want) {
  const size_t semi = content_type.find(';');
  std::string_view type = content_type.substr(0, semi);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  // ASCII case folding, as for header names: media types are ASCII tokens (RFC 9110 §8.3.1).
  // Clients nearly always send the type in lower case, which one memcmp settles.
  return type == want || boost::beast::iequals(type, want);
}

BodyType BodyTypeOf(const HttpRequest& request) {
  auto it = request.find(bhttp::field::content_type);
  if (it == request.end()) return BodyType::kForm;
  if (MediaTypeIs(it->value(), "application/x-www-form-urlencoded")) return BodyType::kForm;
  if (MediaTypeIs(it->value(), "application/json")) return BodyType::kJson;
  return BodyType::kOther;
}

Status ParseForm(const HttpRequest& request, OAuthParams& out) {
  thread_local FormFields form;
  if (!ParseForm(request.body(), form).ok()) {
    return Status::InvalidArgument("the request body is not valid form encoding");
  }
  if (form.duplicate_key()) return Status::InvalidArgument("a request parameter is repeated");
  for (size_t i = 0; i < form.size(); ++i) {
    const std::string_view key = form.key(i);
    const std::string_view value = form.value(i);
    if (value.size() > kMaxParamLength) return Status::InvalidArgument("a parameter is too long");
    if (key == "grant_type") {
      out.grant_type = value;
      out.has_grant_type = true;
    } else if (key == "client_id") {
      out.client_id = value;
    } else if (key == "client_secret") {
      out.client_secret = value;
    } else if (key == "scope") {
      out.scope = value;
    } else if (key == "token") {
      out.token = value;
      out.has_token = true;
    }
  }
  return Status::Ok();
}

Status ParseJson(const HttpRequest& request, OAuthParams& out) {
  // Reused buffers: after warm-up a JSON request allocates nothing here either.
  thread_local std::array<std::string, 5> values;
  std::array<bool, 5> seen{};
  FieldErrors errors;
  const StringRule rule{.max_len = kMaxParamLength};
  static constexpr std::array<std::string_view, 5> kNames = {"grant_type", "client_id",
                                                             "client_secret", "scope", "token"};
  Status st = ReadJsonObject(request.body(), errors, [&](ObjectReader& o) {
    for (size_t i = 0; i < kNames.size(); ++i) {
      if (o.String(kNames[i], rule, values[i])) seen[i] = true;
    }
  });
  if (!st.ok()) {
    return Status::InvalidArgument(errors.malformed() ? "the request body is not valid JSON"
                                                      : errors.front().message);
  }
  std::string_view* fields[] = {&out.grant_type, &out.client_id, &out.client_secret, &out.scope,
                                &out.token};
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (seen[i]) *fields[i] = values[i];
  }
  out.has_grant_type = seen[0];
  out.has_token = seen[4];
  return Status::Ok();
}

void NoStore(HttpResponse& response) {
  response.set(bhttp::field::cache_control, "no-store");
  response.set(bhttp::field::pragma, "no-cache");
}

}  // namespace

Status ParseOAuthParams(const HttpRequest& request, OAuthParams& out) {
  out = OAuthParams{};
  switch (BodyTypeOf(request)) {
    case BodyType::kForm:
      return ParseForm(request, out);
    case BodyType::kJson:
      return ParseJson(request, out);
    case BodyType::kOther:
      break;
  }
  return Status::InvalidArgument(
      "the body must be application/x-www-form-urlencoded or application/json");
}

HttpResponse OAuthError(const RequestContext& ctx, bhttp::status status, std::string_view code,
                        std::string_view description, int64_t retry_after_s) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Field("error", code).Field("error_description", description).EndObject();
  HttpResponse response = JsonResponse(ctx, status, std::move(body));
  NoStore(response);
  if (status == bhttp::status::unauthorized) {
    response.set(bhttp::field::www_authenticate, "Basic realm=\"ihub\"");
  }
  if (retry_after_s > 0) response.set(bhttp::field::retry_after, std::to_string(retry_after_s));
  return response;
}

HttpResponse OAuthErrorFor(const RequestContext& ctx, const Status& status, int64_t retry_after_s) {
  switch (status.code()) {
    case StatusCode::kUnauthenticated:
      return OAuthError(ctx, bhttp::status::unauthorized, "invalid_client", status.message());
    case StatusCode::kPermissionDenied:
      return OAuthError(ctx, bhttp::status::forbidden, "insufficient_scope", status.message());
    case StatusCode::kResourceExhausted:
      return OAuthError(ctx, bhttp::status::too_many_requests, "temporarily_unavailable",
                        status.message(), retry_after_s);
    case StatusCode::kInvalidArgument:
      return OAuthError(ctx, bhttp::status::bad_request, "invalid_request", status.message());
    default:
      return OAuthError(ctx, bhttp::status::internal_server_error, "server_error",
                        "the request could not be completed");
  }
}

HttpResponse OAuthJson(const RequestContext& ctx, std::string body) {
  HttpResponse response = JsonResponse(ctx, bhttp::status::ok, std::move(body));
  NoStore(response);
  return response;
}

}  // namespace ihub
