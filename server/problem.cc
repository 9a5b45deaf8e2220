#include "server/problem.h"

#include "codec/json_writer.h"
#include "server/envelopes.h"

namespace ihub {

bhttp::status HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return bhttp::status::ok;
    case StatusCode::kInvalidArgument:
      return bhttp::status::bad_request;
    case StatusCode::kNotFound:
      return bhttp::status::not_found;
    case StatusCode::kAlreadyExists:
    case StatusCode::kConflict:
      return bhttp::status::conflict;
    case StatusCode::kUnauthenticated:
      return bhttp::status::unauthorized;
    case StatusCode::kPermissionDenied:
      return bhttp::status::forbidden;
    case StatusCode::kResourceExhausted:
      return bhttp::status::too_many_requests;
    case StatusCode::kGone:
      return bhttp::status::gone;
    case StatusCode::kUnavailable:
      return bhttp::status::service_unavailable;
    case StatusCode::kInternal:
      return bhttp::status::internal_server_error;
  }
  return bhttp::status::internal_server_error;
}

std::string_view ProblemCodeOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "INVALID_REQUEST";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case StatusCode::kConflict:
      return "CONFLICT";
    case StatusCode::kUnauthenticated:
      return "UNAUTHORIZED";
    case StatusCode::kPermissionDenied:
      return "FORBIDDEN";
    case StatusCode::kResourceExhausted:
      return "TOO_MANY_REQUESTS";
    case StatusCode::kGone:
      return "GONE";
    case StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case StatusCode::kInternal:
      return "INTERNAL";
  }
  return "INTERNAL";
}

namespace {

HttpResponse ProblemWithBody(const RequestContext& ctx, bhttp::status status, std::string body) {
  HttpResponse response{status, ctx.request.version()};
  response.set(bhttp::field::content_type, "application/problem+json");
  if (status == bhttp::status::unauthorized) {
    response.set(bhttp::field::www_authenticate, "Bearer realm=\"ihub\"");
  }
  response.body() = std::move(body);
  return response;
}

void OpenProblem(JsonWriter& w, bhttp::status status, std::string_view detail,
                 std::string_view code) {
  w.BeginObject()
      .Field("type", "about:blank")
      .Field("title", std::string_view(bhttp::obsolete_reason(status)))
      .Field("status", static_cast<unsigned>(status))
      .Field("detail", detail)
      .Field("code", code);
}

}  // namespace

HttpResponse ProblemResponse(const RequestContext& ctx, const Status& status) {
  const bhttp::status http_status = HttpStatusOf(status.code());
  std::string body;
  JsonWriter w(body);
  OpenProblem(w, http_status, status.message(), ProblemCodeOf(status.code()));
  w.EndObject();
  return ProblemWithBody(ctx, http_status, std::move(body));
}

HttpResponse ProblemResponse(const RequestContext& ctx, const FieldErrors& errors) {
  std::string body;
  JsonWriter w(body);
  const std::string_view detail =
      errors.empty() ? std::string_view("the request is not valid") : errors.front().message;
  OpenProblem(w, bhttp::status::bad_request, detail,
              errors.malformed() ? "MALFORMED_JSON" : "INVALID_REQUEST");
  w.Key("errors").BeginArray();
  for (const FieldError& e : errors) {
    w.BeginObject().Field("field", e.field).Field("message", e.message).EndObject();
  }
  w.EndArray().EndObject();
  return ProblemWithBody(ctx, bhttp::status::bad_request, std::move(body));
}

HttpResponse JsonResponse(const RequestContext& ctx, bhttp::status status, std::string body) {
  HttpResponse response = MakeJsonResponse(status, std::move(body));
  // Families whose errors are plain JSON (Capillary, Centrapay) answer 401 through here (item 9).
  if (status == bhttp::status::unauthorized) {
    response.set(bhttp::field::www_authenticate, "Bearer realm=\"ihub\"");
  }
  return response;
}

HttpResponse EmptyResponse(const RequestContext& ctx, bhttp::status status) {
  HttpResponse response{status, ctx.request.version()};
  return response;
}

}  // namespace ihub
