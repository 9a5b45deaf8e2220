// Error envelopes per API family. Bodies are small, so they are built by
// appending to one string with the codec's JSON string escaper.
#include "server/envelopes.h"

#include "codec/json_writer.h"

namespace ihub {
namespace {

bool IsProblemFamily(ApiFamily family) {
  return family == ApiFamily::kAdmin || family == ApiFamily::kOps ||
         family == ApiFamily::kAuthorize || family == ApiFamily::kSolvimon;
}

std::string_view OAuthErrorCode(bhttp::status status) {
  if (status == bhttp::status::service_unavailable) return "temporarily_unavailable";
  if (bhttp::to_status_class(status) == bhttp::status_class::server_error) return "server_error";
  return "invalid_request";
}

}  // namespace

std::string_view FamilyName(ApiFamily family) {
  switch (family) {
    case ApiFamily::kOps: return "ops";
    case ApiFamily::kAdmin: return "admin";
    case ApiFamily::kOAuth: return "oauth";
    case ApiFamily::kAuthorize: return "authorize";
    case ApiFamily::kCapillary: return "capillary";
    case ApiFamily::kSolvimon: return "solvimon";
    case ApiFamily::kOem: return "oem";
    case ApiFamily::kCentrapay: return "centrapay";
  }
  return "ops";
}

HttpResponse MakeErrorResponse(ApiFamily family, bhttp::status status, std::string_view code,
                               std::string_view message) {
  const std::string status_num = std::to_string(static_cast<unsigned>(status));
  std::string body;
  body.reserve(128 + message.size());
  switch (family) {
    case ApiFamily::kOAuth:
      body += "{\"error\":\"";
      body += OAuthErrorCode(status);
      body += "\",\"error_description\":";
      AppendJsonString(body, message);
      body += '}';
      break;
    case ApiFamily::kCapillary:
      body += "{\"data\":null,\"errors\":[{\"code\":";
      AppendJsonString(body, code);
      body += ",\"message\":";
      AppendJsonString(body, message);
      body += "}]}";
      break;
    case ApiFamily::kOem:
      body += "{\"status\":" + status_num + ",\"message\":";
      AppendJsonString(body, message);
      body += '}';
      break;
    case ApiFamily::kCentrapay:
      body += "{\"message\":";
      AppendJsonString(body, code);
      body += ",\"description\":";
      AppendJsonString(body, message);
      body += '}';
      break;
    default:  // RFC 9457 problem details (item 7).
      body += "{\"type\":\"about:blank\",\"title\":";
      AppendJsonString(body, bhttp::obsolete_reason(status));
      body += ",\"status\":" + status_num + ",\"detail\":";
      AppendJsonString(body, message);
      body += ",\"code\":";
      AppendJsonString(body, code);
      body += '}';
      break;
  }
  HttpResponse res{status, 11};
  res.set(bhttp::field::content_type,
          IsProblemFamily(family) ? "application/problem+json" : "application/json");
  res.body() = std::move(body);
  return res;
}

HttpResponse MakeJsonResponse(bhttp::status status, std::string body) {
  HttpResponse res{status, 11};
  res.set(bhttp::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

}  // namespace ihub
