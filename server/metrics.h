// Metrics: Prometheus text exposition for GET /metrics (API-DECISIONS item 113).
//
// HTTP request counters and latency histograms live in per-loop shards
// (MetricsShard): each io loop writes only its own shard with plain relaxed
// stores, and a scrape sums the shards, so counting a request never moves a
// cache line between cores. Other modules add series through AddCounter (a
// striped counter, cheap from any thread) or AddCallback (values computed at
// scrape time, e.g. ihub_records{table}). Labels never name a key or a token.
//
// Thread-safety: Configure, AddShard, AddCounter and AddCallback run before the
// server starts. Afterwards a MetricsShard is written by its own loop only;
// Counter::Inc and Render may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/http.h"

namespace ihub {

class Router;

// Latency bucket upper bounds in microseconds (exposed in seconds).
inline constexpr std::array<uint64_t, 15> kLatencyBucketsUs = {
    100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
    1000000, 2500000, 10000000};

// One loop's request counters. Single writer (its loop); readers use relaxed loads.
class MetricsShard {
 public:
  // Counts one answered request. `slot` comes from Metrics::RouteSlot/UnmatchedSlot.
  void Record(int slot, bhttp::verb method, unsigned code, uint64_t duration_us);
  void ConnectionOpened() { Bump(open_connections_, 1); }
  void ConnectionClosed() { Bump(open_connections_, -1); }

 private:
  friend class Metrics;
  static constexpr int kCodesPerSlot = 24;
  struct Slot {
    // key = method << 16 | code; 0 = free. Written once by the owning loop.
    std::array<std::atomic<uint32_t>, kCodesPerSlot> keys{};
    std::array<std::atomic<uint64_t>, kCodesPerSlot> counts{};
    std::array<std::atomic<uint64_t>, kLatencyBucketsUs.size() + 1> buckets{};
    std::atomic<uint64_t> sum_us{0};
  };
  template <typename T, typename D>
  static void Bump(std::atomic<T>& a, D d) {
    a.store(a.load(std::memory_order_relaxed) + d, std::memory_order_relaxed);
  }
  explicit MetricsShard(size_t slots) : slots_(slots) {}
  std::vector<Slot> slots_;
  std::atomic<int64_t> open_connections_{0};
};

// A monotonically increasing counter, striped over cache lines by thread.
class Counter {
 public:
  void Inc(uint64_t n = 1);
  uint64_t Value() const;

 private:
  static constexpr int kStripes = 16;
  struct alignas(64) Stripe {
    std::atomic<uint64_t> v{0};
  };
  std::array<Stripe, kStripes> stripes_;
};

class Metrics {
 public:
  Metrics();
  ~Metrics();

  // REQUIRES: all routes added; called once before AddShard.
  void Configure(const Router& router);
  // A new shard for one io loop; owned by Metrics. REQUIRES: after Configure.
  MetricsShard* AddShard();

  int RouteSlot(int route_id) const { return route_id; }
  int UnmatchedSlot(ApiFamily family) const {
    return route_count_ + static_cast<int>(family);
  }

  // Registers a counter series `name{labels}` (labels like `reason="VALID"`,
  // or empty) and returns it; series sharing a name share HELP/TYPE lines.
  // The name should end in _total. The pointer lives as long as Metrics.
  Counter* AddCounter(std::string_view name, std::string_view help, std::string_view labels = "");

  struct Sample {
    std::string labels;  // `table="clients"`, or empty
    double value = 0;
  };
  enum class Type { kCounter, kGauge };
  // Registers a family whose samples `fn` computes at scrape time (on the
  // scraping thread; fn must be thread-safe).
  void AddCallback(std::string_view name, std::string_view help, Type type,
                   std::function<void(std::vector<Sample>&)> fn);

  // Returns the whole exposition in Prometheus text format 0.0.4.
  std::string Render() const;

 private:
  struct RouteLabel {
    std::string api, route;
  };
  struct CounterSeries {
    std::string name, help, labels;
    std::unique_ptr<Counter> counter;
  };
  struct Callback {
    std::string name, help;
    Type type;
    std::function<void(std::vector<Sample>&)> fn;
  };
  void RenderHttp(std::string& out) const;

  std::vector<RouteLabel> route_labels_;  // routes, then one "unmatched" per family
  int route_count_ = 0;
  mutable std::mutex mu_;                 // guards the vectors below against late registration
  std::vector<std::unique_ptr<MetricsShard>> shards_;
  std::vector<CounterSeries> counters_;
  std::vector<Callback> callbacks_;
};

}  // namespace ihub
