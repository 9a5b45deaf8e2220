// Load: drives one scenario against the server for a warm-up and a measured period, closed-loop,
// and gathers throughput, latency and errors.
//
// Each thread runs an EventLoop with its own LoadWorkload and Histogram; threads walk the dataset
// from different starting points. The main thread switches the phase (warm-up, measure, stop),
// prints a progress line once a second on stderr, and merges the histograms after the join.
//
// Thread-safety: RunLoad is called from one thread; it owns every thread it starts.
#pragma once

#include <netinet/in.h>

#include <cstdint>

#include "store/status.h"
#include "tools/ihub_bench/dataset.h"
#include "tools/ihub_bench/histogram.h"
#include "tools/ihub_bench/options.h"
#include "tools/ihub_bench/requests.h"

namespace ihub::bench {

// Kinds of request; the mixed scenario sends all four.
enum class RequestKind { kIntrospect = 0, kAuthorize, kClientGet, kToken };
inline constexpr int kRequestKinds = 4;

struct LoadResult {
  double measured_s = 0;
  uint64_t responses = 0;     // answers received while measuring
  uint64_t non_2xx = 0;       // of those, status not 2xx
  uint64_t conn_errors = 0;   // connections refused, reset or closed with requests in flight
  uint64_t by_kind[kRequestKinds] = {};  // answers per kind
  Histogram latency;          // every answer while measuring
  double Rate() const { return measured_s > 0 ? responses / measured_s : 0; }
};

// Runs options.scenario for options.warmup_s + options.duration_s.
// REQUIRES: the dataset has what the scenario needs (tokens for introspect/authorize/mixed,
// clients for client-get/token).
Result<LoadResult> RunLoad(const Options& options, const sockaddr_in& addr,
                           const Dataset& data, const RequestBuilder& requests);

// Checks that `data` can feed `scenario`; InvalidArgument naming what is missing otherwise.
Status CheckDatasetFor(Scenario scenario, const Dataset& data);

}  // namespace ihub::bench
