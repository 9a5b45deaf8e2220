// What one cache miss costs on this machine, to read token_benchmark's figures against.
//
//   benchmark                   what one iteration does
//   BM_DependentLoad/MiB        one load whose address comes from the previous load (a random
//                               cycle through a region of MiB mebibytes, one cache line apart):
//                               the latency of a miss, as a lookup chain pays it
//   BM_IndependentLoad/MiB      one load at an address known in advance (random lines of the
//                               same region): what the core sustains when misses overlap
//
// A token validation over a million tokens is a chain of dependent loads (the token's slot, then
// its client), so it pays BM_DependentLoad's figure per miss, however many misses the core could
// overlap. docs/performance.md quotes both.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

namespace {

constexpr size_t kLine = 64;
constexpr size_t kWordsPerLine = kLine / sizeof(uint64_t);

// A region of `mib` MiB in which line i's first word holds the index of the next line of one
// random cycle through all lines.
std::vector<uint64_t> RandomCycle(size_t mib) {
  const size_t lines = mib * 1024 * 1024 / kLine;
  std::vector<uint64_t> order(lines);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(7));
  std::vector<uint64_t> region(lines * kWordsPerLine);
  for (size_t i = 0; i < lines; ++i) {
    region[order[i] * kWordsPerLine] = order[(i + 1) % lines] * kWordsPerLine;
  }
  return region;
}

void BM_DependentLoad(benchmark::State& state) {
  const std::vector<uint64_t> region = RandomCycle(static_cast<size_t>(state.range(0)));
  uint64_t at = 0;
  for (auto _ : state) {
    at = region[at];
    benchmark::DoNotOptimize(at);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DependentLoad)->Arg(1)->Arg(16)->Arg(64)->Arg(256);

void BM_IndependentLoad(benchmark::State& state) {
  const std::vector<uint64_t> region = RandomCycle(static_cast<size_t>(state.range(0)));
  const size_t lines = region.size() / kWordsPerLine;
  std::vector<uint32_t> addresses(1 << 20);
  std::mt19937_64 rng(11);
  for (uint32_t& a : addresses) a = static_cast<uint32_t>((rng() % lines) * kWordsPerLine);
  size_t i = 0;
  uint64_t sum = 0;
  for (auto _ : state) {
    sum += region[addresses[i]];
    i = (i + 1) & (addresses.size() - 1);
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IndependentLoad)->Arg(1)->Arg(16)->Arg(64)->Arg(256);

}  // namespace

BENCHMARK_MAIN();
