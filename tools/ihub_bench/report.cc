#include "tools/ihub_bench/report.h"

#include <cstdarg>
#include <cstdio>

namespace ihub::bench {
namespace {

constexpr const char* kKindNames[kRequestKinds] = {"introspect", "authorize", "client-get",
                                                   "token"};
constexpr std::pair<const char*, double> kPercentiles[] = {
    {"p50", 50}, {"p90", 90}, {"p99", 99}, {"p99.9", 99.9}};

void Appendf(std::string* out, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0) out->append(buf, std::min<size_t>(n, sizeof buf - 1));
}

double Us(uint64_t ns) { return static_cast<double>(ns) / 1000.0; }

std::string Millis(uint64_t ns) {
  std::string s;
  Appendf(&s, "%.3f ms", static_cast<double>(ns) / 1e6);
  return s;
}

}  // namespace

std::string TextReport(const Options& o, const Dataset& data, const LoadResult& r) {
  std::string s;
  Appendf(&s, "scenario %s on %s:%u: %d connections, %d threads, pipeline %d, %.1f s measured\n",
          ScenarioName(o.scenario), o.host.c_str(), o.port, o.connections, o.threads, o.pipeline,
          r.measured_s);
  Appendf(&s, "dataset  %zu orgs, %zu clients, %zu tokens\n", data.orgs(), data.clients(),
          data.token_count());
  Appendf(&s, "requests %llu  (%.0f req/s)\n", static_cast<unsigned long long>(r.responses),
          r.Rate());
  s += "latency ";
  for (const auto& [name, p] : kPercentiles)
    s += std::string(" ") + name + " " + Millis(r.latency.ValueAtPercentile(p)) + ",";
  s += " max " + Millis(r.latency.max()) + ", mean " +
       Millis(static_cast<uint64_t>(r.latency.Mean())) + "\n";
  Appendf(&s, "errors   non-2xx %llu, connection %llu\n",
          static_cast<unsigned long long>(r.non_2xx),
          static_cast<unsigned long long>(r.conn_errors));
  if (o.scenario == Scenario::kMixed) {
    s += "mix     ";
    for (int k = 0; k < kRequestKinds; ++k)
      Appendf(&s, " %s %llu", kKindNames[k], static_cast<unsigned long long>(r.by_kind[k]));
    s += "\n";
  }
  return s;
}

std::string JsonReport(const Options& o, const Dataset& data, const LoadResult& r) {
  std::string s;
  // The host comes from the command line; it is a name or an address, never quoted text.
  Appendf(&s,
          "{\"scenario\":\"%s\",\"host\":\"%s\",\"port\":%u,\"connections\":%d,\"threads\":%d,"
          "\"pipeline\":%d,\"warmup_s\":%.3f,\"duration_s\":%.3f,",
          ScenarioName(o.scenario), o.host.c_str(), o.port, o.connections, o.threads, o.pipeline,
          o.warmup_s, r.measured_s);
  Appendf(&s, "\"dataset\":{\"orgs\":%zu,\"clients\":%zu,\"tokens\":%zu},", data.orgs(),
          data.clients(), data.token_count());
  Appendf(&s, "\"requests\":%llu,\"requests_per_s\":%.1f,\"non_2xx\":%llu,\"connection_errors\":%llu,",
          static_cast<unsigned long long>(r.responses), r.Rate(),
          static_cast<unsigned long long>(r.non_2xx),
          static_cast<unsigned long long>(r.conn_errors));
  s += "\"latency_us\":{";
  for (const auto& [name, p] : kPercentiles)
    Appendf(&s, "\"%s\":%.1f,", name, Us(r.latency.ValueAtPercentile(p)));
  Appendf(&s, "\"max\":%.1f,\"mean\":%.1f},", Us(r.latency.max()), r.latency.Mean() / 1000.0);
  s += "\"by_kind\":{";
  for (int k = 0; k < kRequestKinds; ++k)
    Appendf(&s, "%s\"%s\":%llu", k ? "," : "", kKindNames[k],
            static_cast<unsigned long long>(r.by_kind[k]));
  s += "}}\n";
  return s;
}

}  // namespace ihub::bench
