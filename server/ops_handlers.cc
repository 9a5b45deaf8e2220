// Operator endpoints.
#include "server/ops_handlers.h"

#include "server/envelopes.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/services.h"

namespace ihub {
namespace {

Reply JsonReply(bhttp::status status, std::string body) {
  Reply reply;
  reply.response = MakeJsonResponse(status, std::move(body));
  return reply;
}

Reply Live(Services&, RequestContext&) { return JsonReply(bhttp::status::ok, R"({"status":"ok"})"); }

Reply Ready(Services& services, RequestContext&) {
  if (services.ready.load(std::memory_order_acquire)) {
    return JsonReply(bhttp::status::ok, R"({"status":"ready"})");
  }
  Reply reply = JsonReply(bhttp::status::service_unavailable, R"({"status":"restoring"})");
  reply.response.set(bhttp::field::retry_after, "1");
  return reply;
}

Reply MetricsText(Services& services, RequestContext&) {
  Reply reply;
  reply.response = HttpResponse{bhttp::status::ok, 11};
  reply.response.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  reply.response.body() = services.metrics.Render();
  return reply;
}

}  // namespace

void RegisterOpsRoutes(Router& router) {
  router.Add(bhttp::verb::get, "/livez", ApiFamily::kOps, Live);
  router.Add(bhttp::verb::get, "/healthz", ApiFamily::kOps, Live);
  router.Add(bhttp::verb::get, "/readyz", ApiFamily::kOps, Ready);
  router.Add(bhttp::verb::get, "/metrics", ApiFamily::kOps, MetricsText);
}

}  // namespace ihub
