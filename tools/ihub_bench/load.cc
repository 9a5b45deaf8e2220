#include "tools/ihub_bench/load.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>

#include "tools/ihub_bench/event_loop.h"

namespace ihub::bench {
namespace {

enum Phase : int { kWarmup = 0, kMeasure = 1, kStop = 2 };

// Counters the main thread reads for the progress line. Each is written by its own thread only
// (a relaxed load and store, no locked instruction), and padded onto its own cache line.
struct alignas(64) LiveCounters {
  std::atomic<uint64_t> responses{0}, non_2xx{0}, conn_errors{0};
  static void Bump(std::atomic<uint64_t>& c) {
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};

class LoadWorkload final : public Workload {
 public:
  LoadWorkload(const RequestBuilder& requests, Scenario scenario, uint64_t start,
               const std::atomic<int>& phase, LiveCounters& live)
      : requests_(requests), scenario_(scenario), cursor_(start), rng_(start * 2654435761u + 1),
        phase_(phase), live_(live) {}

  bool Next(std::string* out, uint64_t* tag) override {
    const RequestKind kind = Pick();
    switch (kind) {
      case RequestKind::kIntrospect: requests_.Introspect(cursor_, out); break;
      case RequestKind::kAuthorize: requests_.Authorize(cursor_, out); break;
      case RequestKind::kClientGet: requests_.ClientGet(cursor_, out); break;
      case RequestKind::kToken: requests_.IssueToken(cursor_, out); break;
    }
    ++cursor_;
    *tag = static_cast<uint64_t>(kind);
    return true;
  }

  void OnResponse(uint64_t tag, int status, std::string_view, uint64_t latency_ns) override {
    const bool ok = status >= 200 && status < 300;
    LiveCounters::Bump(live_.responses);
    if (!ok) LiveCounters::Bump(live_.non_2xx);
    if (phase_.load(std::memory_order_relaxed) != kMeasure) return;
    ++result.responses;
    ++result.by_kind[tag];
    if (!ok) ++result.non_2xx;
    result.latency.Record(latency_ns);
  }

  void OnLost(uint64_t) override {}

  void OnConnectionError() override {
    LiveCounters::Bump(live_.conn_errors);
    if (phase_.load(std::memory_order_relaxed) == kMeasure) ++result.conn_errors;
  }

  bool Done() override { return phase_.load(std::memory_order_relaxed) == kStop; }

  LoadResult result;

 private:
  // The mixed scenario: 70% introspect, 20% authorize, 9% client-get, 1% token.
  RequestKind Pick() {
    switch (scenario_) {
      case Scenario::kToken: return RequestKind::kToken;
      case Scenario::kAuthorize: return RequestKind::kAuthorize;
      case Scenario::kClientGet: return RequestKind::kClientGet;
      case Scenario::kIntrospect: return RequestKind::kIntrospect;
      default: break;
    }
    rng_ ^= rng_ << 13;  // xorshift64: cheap, and enough to interleave the kinds
    rng_ ^= rng_ >> 7;
    rng_ ^= rng_ << 17;
    const uint64_t r = rng_ % 100;
    return r < 70 ? RequestKind::kIntrospect
           : r < 90 ? RequestKind::kAuthorize
           : r < 99 ? RequestKind::kClientGet
                    : RequestKind::kToken;
  }

  const RequestBuilder& requests_;
  Scenario scenario_;
  uint64_t cursor_;
  uint64_t rng_;
  const std::atomic<int>& phase_;
  LiveCounters& live_;
};

}  // namespace

Status CheckDatasetFor(Scenario scenario, const Dataset& data) {
  const bool needs_tokens = scenario == Scenario::kIntrospect ||
                            scenario == Scenario::kAuthorize || scenario == Scenario::kMixed;
  if (needs_tokens && data.token_count() == 0)
    return Status::InvalidArgument(std::string("scenario ") + ScenarioName(scenario) +
                                   " needs tokens: seed with --tokens N");
  if (data.clients() == 0 && scenario != Scenario::kNone)
    return Status::InvalidArgument("the dataset has no clients");
  return Status::Ok();
}

Result<LoadResult> RunLoad(const Options& o, const sockaddr_in& addr, const Dataset& data,
                           const RequestBuilder& requests) {
  std::atomic<int> phase{o.warmup_s > 0 ? kWarmup : kMeasure};
  std::vector<LiveCounters> live(o.threads);
  std::vector<std::unique_ptr<LoadWorkload>> workloads;
  std::vector<Workload*> raw;
  // Threads start at evenly spaced points of the dataset, so together they sweep all of it.
  const uint64_t span = std::max<uint64_t>(data.token_count(), data.clients());
  for (int t = 0; t < o.threads; ++t) {
    workloads.push_back(std::make_unique<LoadWorkload>(requests, o.scenario, span * t / o.threads,
                                                       phase, live[t]));
    raw.push_back(workloads.back().get());
  }

  uint64_t measure_start = o.warmup_s > 0 ? 0 : NowNs(), measure_end = 0;
  double next_report = 1.0, last_elapsed = 0;
  uint64_t last_responses = 0;
  auto tick = [&](double elapsed) {
    const int reported_phase = phase.load();  // the phase the last second belonged to
    if (phase.load() == kWarmup && elapsed >= o.warmup_s) {
      measure_start = NowNs();
      phase.store(kMeasure);
    }
    if (phase.load() == kMeasure && elapsed >= o.warmup_s + o.duration_s) {
      measure_end = NowNs();
      phase.store(kStop);
    }
    if (o.quiet || elapsed < next_report) return;
    next_report += 1.0;
    uint64_t responses = 0, non_2xx = 0, conn_errors = 0;
    for (const auto& l : live) {
      responses += l.responses.load(std::memory_order_relaxed);
      non_2xx += l.non_2xx.load(std::memory_order_relaxed);
      conn_errors += l.conn_errors.load(std::memory_order_relaxed);
    }
    std::fprintf(stderr, "[%5.1fs %-7s] %9.0f req/s  non-2xx %llu  conn errors %llu\n", elapsed,
                 reported_phase == kWarmup ? "warm-up" : "measure",
                 static_cast<double>(responses - last_responses) / (elapsed - last_elapsed),
                 static_cast<unsigned long long>(non_2xx),
                 static_cast<unsigned long long>(conn_errors));
    last_responses = responses;
    last_elapsed = elapsed;
  };
  Status st = RunLoops(addr, o.connections, o.pipeline, raw, tick);
  if (!st.ok()) return st;

  LoadResult total;
  total.measured_s = static_cast<double>(measure_end - measure_start) / 1e9;
  for (const auto& w : workloads) {
    total.responses += w->result.responses;
    total.non_2xx += w->result.non_2xx;
    total.conn_errors += w->result.conn_errors;
    for (int k = 0; k < kRequestKinds; ++k) total.by_kind[k] += w->result.by_kind[k];
    total.latency.Add(w->result.latency);
  }
  return total;
}

}  // namespace ihub::bench
