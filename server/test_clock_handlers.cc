// Test clock endpoint. See test_clock_handlers.h.
#include "server/test_clock_handlers.h"

#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "server/auth.h"
#include "server/problem.h"
#include "server/router.h"
#include "server/services.h"
#include "store/clock.h"

namespace ihub {
namespace {

constexpr int64_t kMaxAdvanceSeconds = 10LL * 365 * 24 * 3600;

Reply AdvanceClock(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  int64_t seconds = 0;
  FieldErrors errors;
  if (!ReadJsonObject(ctx.request.body(), errors, [&](ObjectReader& o) {
         o.Int64("advanceSeconds", {.required = true, .min = 0, .max = kMaxAdvanceSeconds},
                 seconds);
       }).ok()) {
    return ProblemResponse(ctx, errors);
  }
  services.clock->TEST_Advance(seconds * 1000);
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Field("nowMs", services.clock->NowMs()).EndObject();
  return JsonResponse(ctx, bhttp::status::ok, std::move(body));
}

}  // namespace

bool TestClockEnabled() {
  const char* env = std::getenv("IHUB_TEST_CLOCK");
  return env != nullptr && std::string_view(env) == "1";
}

void RegisterTestClockRoutes(Router& router) {
  if (!TestClockEnabled()) return;
  router.Add(bhttp::verb::post, "/admin/v1/test/clock", ApiFamily::kAdmin, AdvanceClock);
}

}  // namespace ihub
