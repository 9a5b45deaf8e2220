// Metrics: per-loop shards summed at scrape time, and the text exposition.
#include "server/metrics.h"

#include <cstdio>
#include <map>

#include "server/envelopes.h"
#include "server/router.h"

namespace ihub {
namespace {

constexpr int kFamilyCount = static_cast<int>(ApiFamily::kCentrapay) + 1;

// Prometheus label values escape backslash, double quote and newline.
void AppendLabelValue(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void AppendNumber(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  out += buf;
}

void AppendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

int StripeIndex() {
  static std::atomic<int> next{0};
  thread_local int index = next.fetch_add(1, std::memory_order_relaxed);
  return index;
}

}  // namespace

void MetricsShard::Record(int slot, bhttp::verb method, unsigned code, uint64_t duration_us) {
  if (slot < 0 || static_cast<size_t>(slot) >= slots_.size()) return;
  Slot& s = slots_[static_cast<size_t>(slot)];
  const uint32_t key = static_cast<uint32_t>(method) << 16 | (code & 0xffff);
  // The last entry absorbs any overflow so a count is never lost.
  for (int i = 0; i < kCodesPerSlot; ++i) {
    uint32_t k = s.keys[i].load(std::memory_order_relaxed);
    if (k == 0) {
      s.counts[i].store(0, std::memory_order_relaxed);
      s.keys[i].store(key, std::memory_order_release);
      k = key;
    }
    if (k == key || i == kCodesPerSlot - 1) {
      Bump(s.counts[i], 1);
      break;
    }
  }
  size_t b = 0;
  while (b < kLatencyBucketsUs.size() && duration_us > kLatencyBucketsUs[b]) ++b;
  Bump(s.buckets[b], 1);
  Bump(s.sum_us, duration_us);
}

void Counter::Inc(uint64_t n) {
  stripes_[StripeIndex() % kStripes].v.fetch_add(n, std::memory_order_relaxed);
}

uint64_t Counter::Value() const {
  uint64_t total = 0;
  for (const Stripe& s : stripes_) total += s.v.load(std::memory_order_relaxed);
  return total;
}

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

void Metrics::Configure(const Router& router) {
  route_labels_.clear();
  for (const Route* r : router.routes()) {
    route_labels_.push_back({std::string(FamilyName(r->family)), r->path_template});
  }
  route_count_ = static_cast<int>(route_labels_.size());
  for (int f = 0; f < kFamilyCount; ++f) {
    route_labels_.push_back({std::string(FamilyName(static_cast<ApiFamily>(f))), "unmatched"});
  }
}

MetricsShard* Metrics::AddShard() {
  std::lock_guard<std::mutex> lock(mu_);
  if (route_labels_.empty()) {
    for (int f = 0; f < kFamilyCount; ++f) {
      route_labels_.push_back({std::string(FamilyName(static_cast<ApiFamily>(f))), "unmatched"});
    }
  }
  shards_.push_back(std::unique_ptr<MetricsShard>(new MetricsShard(route_labels_.size())));
  return shards_.back().get();
}

Counter* Metrics::AddCounter(std::string_view name, std::string_view help,
                             std::string_view labels) {
  std::lock_guard<std::mutex> lock(mu_);
  counters_.push_back({std::string(name), std::string(help), std::string(labels),
                       std::make_unique<Counter>()});
  return counters_.back().counter.get();
}

void Metrics::AddCallback(std::string_view name, std::string_view help, Type type,
                          std::function<void(std::vector<Sample>&)> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  callbacks_.push_back({std::string(name), std::string(help), type, std::move(fn)});
}

void Metrics::RenderHttp(std::string& out) const {
  const size_t slots = route_labels_.size();
  std::vector<std::map<uint32_t, uint64_t>> codes(slots);
  std::vector<std::array<uint64_t, kLatencyBucketsUs.size() + 1>> buckets(slots);
  std::vector<uint64_t> sums(slots, 0);
  for (const auto& shard : shards_) {
    for (size_t i = 0; i < slots && i < shard->slots_.size(); ++i) {
      const MetricsShard::Slot& s = shard->slots_[i];
      for (int c = 0; c < MetricsShard::kCodesPerSlot; ++c) {
        uint32_t key = s.keys[c].load(std::memory_order_acquire);
        if (key == 0) break;
        codes[i][key] += s.counts[c].load(std::memory_order_relaxed);
      }
      for (size_t b = 0; b < buckets[i].size(); ++b) {
        buckets[i][b] += s.buckets[b].load(std::memory_order_relaxed);
      }
      sums[i] += s.sum_us.load(std::memory_order_relaxed);
    }
  }
  auto labels = [&](size_t i) {
    std::string l = "api=\"" + route_labels_[i].api + "\",route=\"";
    AppendLabelValue(l, route_labels_[i].route);
    return l + '"';
  };

  AppendHeader(out, "ihub_http_requests_total", "HTTP requests answered.", "counter");
  for (size_t i = 0; i < slots; ++i) {
    for (const auto& [key, count] : codes[i]) {
      out += "ihub_http_requests_total{" + labels(i) + ",method=\"";
      out += bhttp::to_string(static_cast<bhttp::verb>(key >> 16));
      out += "\",code=\"" + std::to_string(key & 0xffff) + "\"} " + std::to_string(count) + '\n';
    }
  }
  AppendHeader(out, "ihub_http_request_duration_seconds",
               "Time from a request's arrival to its answer being written.", "histogram");
  for (size_t i = 0; i < slots; ++i) {
    uint64_t total = 0;
    for (uint64_t n : buckets[i]) total += n;
    if (total == 0) continue;
    const std::string l = labels(i);
    uint64_t cumulative = 0;
    for (size_t b = 0; b < buckets[i].size(); ++b) {
      cumulative += buckets[i][b];
      out += "ihub_http_request_duration_seconds_bucket{" + l + ",le=\"";
      if (b < kLatencyBucketsUs.size()) {
        AppendNumber(out, static_cast<double>(kLatencyBucketsUs[b]) / 1e6);
      } else {
        out += "+Inf";
      }
      out += "\"} " + std::to_string(cumulative) + '\n';
    }
    out += "ihub_http_request_duration_seconds_sum{" + l + "} ";
    AppendNumber(out, static_cast<double>(sums[i]) / 1e6);
    out += "\nihub_http_request_duration_seconds_count{" + l + "} " + std::to_string(total) + '\n';
  }
  int64_t open = 0;
  for (const auto& shard : shards_) open += shard->open_connections_.load(std::memory_order_relaxed);
  AppendHeader(out, "ihub_open_connections", "Open client connections.", "gauge");
  out += "ihub_open_connections " + std::to_string(open) + '\n';
}

std::string Metrics::Render() const {
  std::string out;
  out.reserve(16 * 1024);
  std::lock_guard<std::mutex> lock(mu_);
  RenderHttp(out);
  // Series of one name must be contiguous under one HELP/TYPE, whatever the
  // order they were registered in.
  std::vector<bool> done(counters_.size(), false);
  for (size_t i = 0; i < counters_.size(); ++i) {
    if (done[i]) continue;
    AppendHeader(out, counters_[i].name, counters_[i].help, "counter");
    for (size_t j = i; j < counters_.size(); ++j) {
      const CounterSeries& c = counters_[j];
      if (done[j] || c.name != counters_[i].name) continue;
      done[j] = true;
      out += c.name;
      if (!c.labels.empty()) out += '{' + c.labels + '}';
      out += ' ' + std::to_string(c.counter->Value()) + '\n';
    }
  }
  std::vector<Sample> samples;
  for (const Callback& cb : callbacks_) {
    samples.clear();
    cb.fn(samples);
    AppendHeader(out, cb.name, cb.help, cb.type == Type::kCounter ? "counter" : "gauge");
    for (const Sample& s : samples) {
      out += cb.name;
      if (!s.labels.empty()) out += '{' + s.labels + '}';
      out += ' ';
      AppendNumber(out, s.value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace ihub
