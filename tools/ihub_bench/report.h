// Report: ihub-bench's result as text for people or as one JSON object for scripts.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <string>

#include "tools/ihub_bench/dataset.h"
#include "tools/ihub_bench/load.h"
#include "tools/ihub_bench/options.h"

namespace ihub::bench {

// A few lines: rate, latency percentiles, errors (and the mix for the mixed scenario).
std::string TextReport(const Options& o, const Dataset& data, const LoadResult& r);

// One JSON object on one line; latencies in microseconds. Fields are listed in
// docs/load-testing.md.
std::string JsonReport(const Options& o, const Dataset& data, const LoadResult& r);

}  // namespace ihub::bench
