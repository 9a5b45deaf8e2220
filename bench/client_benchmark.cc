// Capillary client benchmarks: the client GET's in-process work (the baseline the integrations
// issue compares against) and the validation a client create or update pays.
//
// | benchmark                    | workload                                                        |
// | ---------------------------- | --------------------------------------------------------------- |
// | BM_ClientLookup_Encode       | AppendClientEnvelope of a random present key (one shard, shared |
// |                              | lock, JSON written inside the lock) into a reused buffer;       |
// |                              | Arg = clients in the store (over 100 orgs), 2 scopes each       |
// | BM_ClientLookup_OtherOrg     | same lookup by a caller of another org (answers not found)      |
// | BM_ClientFields_ReadSeed     | ReadClientFields of the seed's POST body: one-pass JSON read,   |
// |                              | limits, RE2 compile of its two scopes                           |
//
// Lookup cases run at 1 and 2 threads on wall-clock time; items/s is summed over threads. The
// machine is shared: compare figures from one run only.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "bench/seed_client.h"
#include "server/capillary_handlers.h"
#include "store/client_rules.h"
#include "store/secrets.h"
#include "store/store.h"
#include "tests/codec/capillary_schema.h"

namespace ihub {
namespace {

constexpr int kOrgs = 100;

constexpr std::string_view kSeedCreate = testing_schema::kSeedCreateClientBody;

struct Fixture {
  Store store;
  std::vector<std::string> keys;
  std::vector<std::string> orgs;
};

// One store per size, built once and shared by every thread of every case.
const Fixture& FixtureOf(int64_t clients) {
  static std::map<int64_t, std::unique_ptr<Fixture>> fixtures;
  auto& slot = fixtures[clients];
  if (slot) return *slot;
  slot = std::make_unique<Fixture>();
  for (int i = 0; i < kOrgs; ++i) slot->orgs.push_back(NewId());
  (void)slot->store.Write([&](WriteTxn& txn) {
    for (int64_t i = 0; i < clients; ++i) {
      ClientRecord c = MakeSeedClient(slot->orgs[i % kOrgs], i + 1);
      slot->keys.push_back(c.client_key);
      txn.Put(std::move(c));
    }
    return Status::Ok();
  });
  return *slot;
}

void LookupLoop(benchmark::State& state, bool own_org) {
  static std::mutex mu;
  const Fixture* f;
  {
    std::lock_guard lock(mu);  // the first thread builds the store; the others wait for it
    f = &FixtureOf(state.range(0));
  }
  std::mt19937_64 rng(state.thread_index() + 1);
  std::uniform_int_distribution<size_t> pick(0, f->keys.size() - 1);
  std::string out;
  size_t bytes = 0;
  for (auto _ : state) {
    const size_t i = pick(rng);
    const std::string& org = f->orgs[(i + (own_org ? 0 : 1)) % kOrgs];
    out.clear();
    bool found = AppendClientEnvelope(f->store, org, f->keys[i], out);
    benchmark::DoNotOptimize(found);
    benchmark::DoNotOptimize(out.data());
    bytes += out.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_ClientLookup_Encode(benchmark::State& state) { LookupLoop(state, true); }
BENCHMARK(BM_ClientLookup_Encode)->Arg(1000)->Arg(100000)->Threads(1)->Threads(2)->UseRealTime();

void BM_ClientLookup_OtherOrg(benchmark::State& state) { LookupLoop(state, false); }
BENCHMARK(BM_ClientLookup_OtherOrg)->Arg(100000)->Threads(1)->UseRealTime();

void BM_ClientFields_ReadSeed(benchmark::State& state) {
  for (auto _ : state) {
    FieldErrors errors;
    ClientFields fields;
    Status st = ReadClientFields(kSeedCreate, ClientWrite::kCreate, errors, fields);
    if (!st.ok()) state.SkipWithError("the seed body was rejected");
    benchmark::DoNotOptimize(fields.compiled.get());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClientFields_ReadSeed);

}  // namespace
}  // namespace ihub

BENCHMARK_MAIN();
