// Store benchmarks: the sharded map against a single-lock baseline and an unsynchronized flat
// map, plus the per-request primitives of the credential hot path.
//
// | benchmark                          | workload                                                   |
// | ---------------------------------- | ---------------------------------------------------------- |
// | BM_ShardedMap_Lookup               | Read() of random present keys, 1M keys of 16-32 bytes      |
// | BM_SingleLockMap_Lookup            | same, std::unordered_map under one std::shared_mutex       |
// | BM_FlatMapUnsync_Lookup            | same, one boost::unordered_flat_map, no lock (1 thread)    |
// | BM_ShardedMap_Insert               | Put() of new keys into a map that starts empty             |
// | BM_SingleLockMap_Insert            | same, baseline                                             |
// | BM_ShardedMap_Mixed95              | 95% lookups, 5% overwrites of random keys, 1M keys         |
// | BM_SingleLockMap_Mixed95           | same, baseline                                             |
// | BM_Store_ApiKeyAuth                | Sha256 of an "ihk_" key + lookup through ApiKeyByHash      |
// | BM_Secrets_Sha256                  | SHA-256 of a 50-byte input                                 |
// | BM_Secrets_RandomBase62            | 40 base62 characters from the CSPRNG                       |
// | BM_Clock_NowMs                     | Clock::NowMs()                                             |
//
// Map cases run at 1 and 2 threads on wall-clock time; items/s is operations per second summed
// over threads. Compare figures from one run only: the machine is shared.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "store/clock.h"
#include "store/secrets.h"
#include "store/sharded_map.h"
#include "store/store.h"

namespace ihub {
namespace {

constexpr size_t kKeys = 1 << 20;

struct Value {
  uint64_t a = 0;
  uint64_t b = 0;
};

// 2 * kKeys distinct keys of 16-32 random base62 characters: the first half is loaded into the
// lookup maps, the second half is inserted by the insert cases.
const std::vector<std::string>& Keys() {
  static const std::vector<std::string> keys = [] {
    std::mt19937_64 rng(42);
    std::vector<std::string> out;
    out.reserve(2 * kKeys);
    for (size_t i = 0; i < 2 * kKeys; ++i) {
      std::string k(16 + rng() % 17, '\0');
      for (char& c : k) c = kBase62Alphabet[rng() % 62];
      out.push_back(std::move(k));
    }
    return out;
  }();
  return keys;
}

// The loaded keys in a random visiting order, copied into one arena in that order: a request's
// key sits in its (hot) request buffer, so only the map's own memory should miss the cache.
const std::vector<std::string_view>& Probes() {
  static std::string arena;
  static const std::vector<std::string_view> probes = [] {
    std::vector<uint32_t> order(kKeys);
    for (uint32_t i = 0; i < kKeys; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937_64(7));
    for (uint32_t i : order) arena += Keys()[i];
    std::vector<std::string_view> out;
    size_t pos = 0;
    for (uint32_t i : order) {
      out.emplace_back(arena.data() + pos, Keys()[i].size());
      pos += Keys()[i].size();
    }
    return out;
  }();
  return probes;
}

// Transparent string hashing for the baselines, so they too look up by string_view.
struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

class SingleLockMap {
 public:
  template <typename Fn>
  bool Read(std::string_view k, Fn&& fn) const {
    std::shared_lock lock(mu_);
    auto it = map_.find(k);
    if (it == map_.end()) return false;
    fn(it->second);
    return true;
  }
  void Put(std::string k, Value v) {
    std::unique_lock lock(mu_);
    map_.insert_or_assign(std::move(k), v);
  }
  void Reserve(size_t n) { map_.reserve(n); }

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Value, StringViewHash, std::equal_to<>> map_;  // GUARDED_BY(mu_)
};

using Sharded = ShardedMap<std::string, Value>;
using Flat = boost::unordered_flat_map<std::string, Value, DefaultShardHash, std::equal_to<>>;

template <typename Map>
Map& Loaded() {
  static Map* map = [] {
    auto* m = new Map();
    for (size_t i = 0; i < kKeys; ++i) {
      if constexpr (std::is_same_v<Map, Flat>) {
        m->emplace(Keys()[i], Value{i, i});
      } else {
        m->Put(Keys()[i], Value{i, i});
      }
    }
    return m;
  }();
  return *map;
}

template <typename Map>
void Lookup(benchmark::State& state) {
  const Map& map = Loaded<Map>();
  const auto& probes = Probes();
  size_t i = size_t(state.thread_index()) * (kKeys / 2);
  uint64_t sum = 0;
  for (auto _ : state) {
    const std::string_view k = probes[i++ & (kKeys - 1)];
    if constexpr (std::is_same_v<Map, Flat>) {
      auto it = map.find(k);
      if (it != map.end()) sum += it->second.a;
    } else {
      map.Read(k, [&](const Value& v) { sum += v.a; });
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

template <typename Map>
void Insert(benchmark::State& state) {
  static std::unique_ptr<Map> map;
  if (state.thread_index() == 0) map = std::make_unique<Map>();
  const auto& keys = Keys();
  size_t i = size_t(state.thread_index());
  for (auto _ : state) {
    // Threads take interleaved keys of the second half; wrapping turns inserts into overwrites.
    map->Put(keys[kKeys + (i & (kKeys - 1))], Value{i, i});
    i += size_t(state.threads());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) map.reset();  // after the loop's end barrier: untimed
}

template <typename Map>
void Mixed95(benchmark::State& state) {
  Map& map = Loaded<Map>();
  const auto& probes = Probes();
  size_t i = size_t(state.thread_index()) * (kKeys / 2);
  uint64_t sum = 0;
  for (auto _ : state) {
    const std::string_view k = probes[i & (kKeys - 1)];
    if (i % 20 == 0) {
      map.Put(std::string(k), Value{i, i});
    } else {
      map.Read(k, [&](const Value& v) { sum += v.a; });
    }
    ++i;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

void BM_ShardedMap_Lookup(benchmark::State& s) { Lookup<Sharded>(s); }
void BM_SingleLockMap_Lookup(benchmark::State& s) { Lookup<SingleLockMap>(s); }
void BM_FlatMapUnsync_Lookup(benchmark::State& s) { Lookup<Flat>(s); }
void BM_ShardedMap_Insert(benchmark::State& s) { Insert<Sharded>(s); }
void BM_SingleLockMap_Insert(benchmark::State& s) { Insert<SingleLockMap>(s); }
void BM_ShardedMap_Mixed95(benchmark::State& s) { Mixed95<Sharded>(s); }
void BM_SingleLockMap_Mixed95(benchmark::State& s) { Mixed95<SingleLockMap>(s); }

BENCHMARK(BM_FlatMapUnsync_Lookup)->UseRealTime()->Threads(1);
BENCHMARK(BM_ShardedMap_Lookup)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(BM_SingleLockMap_Lookup)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(BM_ShardedMap_Insert)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(BM_SingleLockMap_Insert)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(BM_ShardedMap_Mixed95)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(BM_SingleLockMap_Mixed95)->UseRealTime()->Threads(1)->Threads(2);

// 100,000 API keys; each iteration authenticates one presented key as a request would.
void BM_Store_ApiKeyAuth(benchmark::State& state) {
  constexpr int kApiKeys = 100000;
  static std::vector<std::string> presented;
  static Store* store = [] {
    auto* s = new Store();
    for (int i = 0; i < kApiKeys; ++i) {
      presented.push_back(NewApiKey());
      (void)s->Write([&](WriteTxn& txn) {
        txn.Put(ApiKeyRecord{NewId(), "org", "key" + std::to_string(i), 0x1ff,
                             Sha256(presented.back()), 1});
        return Status::Ok();
      });
    }
    return s;
  }();
  size_t i = size_t(state.thread_index()) * 7919;
  uint32_t perms = 0;
  for (auto _ : state) {
    const Digest h = Sha256(presented[i++ % kApiKeys]);
    store->api_keys().ReadBy<ApiKeyByHash>(h, [&](const ApiKeyRecord& r) { perms |= r.permissions; });
  }
  benchmark::DoNotOptimize(perms);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Store_ApiKeyAuth)->Threads(1)->Threads(2);

void BM_Secrets_Sha256(benchmark::State& state) {
  const std::string input(50, 'k');
  for (auto _ : state) benchmark::DoNotOptimize(Sha256(input));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Secrets_Sha256);

void BM_Secrets_RandomBase62(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(RandomBase62(40));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Secrets_RandomBase62);

void BM_Clock_NowMs(benchmark::State& state) {
  Clock clock;
  for (auto _ : state) benchmark::DoNotOptimize(clock.NowMs());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Clock_NowMs);

}  // namespace
}  // namespace ihub

BENCHMARK_MAIN();
