// Centrapay managed integration benchmarks: the GET-by-id's in-process work against its parts
// (a bare record lookup and the encoding alone), and the validation an upsert pays.
//
// | benchmark                          | workload                                                 |
// | ---------------------------------- | -------------------------------------------------------- |
// | BM_ManagedIntegration_GetById      | AppendManagedIntegration of a random present id (one     |
// |                                    | shard, shared lock, JSON written inside the lock) into a |
// |                                    | reused buffer; Arg = records (over 100 orgs), each the   |
// |                                    | seed's, claimed                                          |
// | BM_ManagedIntegration_OtherOrg     | same lookup by a caller of another org (not found)       |
// | BM_ManagedIntegration_EncodeOnly   | WriteManagedIntegration of one record, no lookup         |
// | BM_ClientRecord_LookupOnly         | Table<ClientRecord>::Read of a random present key, no    |
// |                                    | encoding: the "client lookup" of issue 5's Done-when     |
// | BM_ManagedUpsertBody_ReadSeed      | ReadManagedUpsertBody of the seed's request body         |
//
// GetById should cost about LookupOnly + EncodeOnly. Lookup cases run at 1 and 2 threads on
// wall-clock time; items/s is summed over threads. The machine is shared: compare figures from
// one run only.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "codec/json_writer.h"
#include "server/centrapay_envelope.h"
#include "server/centrapay_handlers.h"
#include "store/integration_rules.h"
#include "store/managed_integration_rules.h"
#include "store/managed_types.h"
#include "store/secrets.h"
#include "store/store.h"
#include "tests/store/centrapay_seed.h"

namespace ihub {
namespace {

constexpr int kOrgs = 100;
constexpr int64_t kT0 = 1591838266499;

using centrapay_seed::kExampleBody;

struct Fixture {
  Store store;
  std::vector<std::string> ids;          // managed integration ids
  std::vector<std::string> client_keys;  // same count of client records
  std::vector<std::string> orgs;
};

// The seed's integration, claimed, as the store holds it.
IntegrationRecord SeedRecord(const std::string& org, int64_t i, std::string_view params) {
  IntegrationRecord r;
  r.id = NewIntegrationId(IntegrationFamily::kManaged);
  r.org_id = org;
  r.family = IntegrationFamily::kManaged;
  r.type = "kete-enrolment";
  r.reference = "DKTs3U38hdhfEqwF1JKoT2-" + std::to_string(i);
  r.status = IntegrationStatus::kActive;
  r.active = true;
  SetIntegrationConfig(r, kManagedParamsConfigKey, std::string(params));
  r.invitation.id = RandomBase62(kInvitationIdLength);
  r.invitation.code = RandomBase62(kInvitationCodeLength);
  r.invitation.url = "https://centrapay.com/kete-enrolment/" + r.reference + "/" + r.id;
  r.invitation.expires_at_ms = kT0 + kInvitationLifetimeMs;
  r.invitation.claimed_by_account_id = "Jaim1Cu1Q55uooxSens6yk";
  r.invitation.claimed_by = "crn:Jaim1Cu1Q55uooxSens6yk:invitation:" + r.invitation.id;
  r.invitation.claimed_at_ms = kT0 + 1000;
  r.created_at_ms = kT0;
  r.updated_at_ms = kT0 + 1000;
  r.created_by = "crn:" + org + ":api-key:MyApiKey";
  r.updated_by = r.invitation.claimed_by;
  return r;
}

std::string SeedParams() {
  FieldErrors errors;
  ManagedUpsertBody body;
  (void)ReadManagedUpsertBody(kExampleBody, &kKeteEnrolmentType, errors, body);
  return body.params;
}

// One store per size, built once and shared by every thread of every case.
const Fixture& FixtureOf(int64_t records) {
  static std::mutex mu;
  static std::map<int64_t, std::unique_ptr<Fixture>> fixtures;
  std::lock_guard lock(mu);  // the first thread builds the store; the others wait for it
  auto& slot = fixtures[records];
  if (slot) return *slot;
  slot = std::make_unique<Fixture>();
  for (int i = 0; i < kOrgs; ++i) slot->orgs.push_back(NewId());
  const std::string params = SeedParams();
  (void)slot->store.Write([&](WriteTxn& txn) {
    for (int64_t i = 0; i < records; ++i) {
      IntegrationRecord r = SeedRecord(slot->orgs[i % kOrgs], i, params);
      slot->ids.push_back(r.id);
      txn.Put(std::move(r));
      ClientRecord c;
      c.id = i + 1;
      c.org_id = slot->orgs[i % kOrgs];
      c.client_key = RandomBase62(25);
      slot->client_keys.push_back(c.client_key);
      txn.Put(std::move(c));
    }
    return Status::Ok();
  });
  return *slot;
}

void GetLoop(benchmark::State& state, bool own_org) {
  const Fixture& f = FixtureOf(state.range(0));
  std::mt19937_64 rng(state.thread_index() + 1);
  std::uniform_int_distribution<size_t> pick(0, f.ids.size() - 1);
  std::string out;
  size_t bytes = 0;
  for (auto _ : state) {
    const size_t i = pick(rng);
    const std::string& org = f.orgs[(i + (own_org ? 0 : 1)) % kOrgs];
    out.clear();
    bool found = AppendManagedIntegration(f.store, org, f.ids[i], out);
    benchmark::DoNotOptimize(found);
    benchmark::DoNotOptimize(out.data());
    bytes += out.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_ManagedIntegration_GetById(benchmark::State& state) { GetLoop(state, true); }
BENCHMARK(BM_ManagedIntegration_GetById)
    ->Arg(1000)
    ->Arg(100000)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

void BM_ManagedIntegration_OtherOrg(benchmark::State& state) { GetLoop(state, false); }
BENCHMARK(BM_ManagedIntegration_OtherOrg)->Arg(100000)->Threads(1)->UseRealTime();

void BM_ManagedIntegration_EncodeOnly(benchmark::State& state) {
  const IntegrationRecord r = SeedRecord(NewId(), 0, SeedParams());
  std::string out;
  for (auto _ : state) {
    out.clear();
    JsonWriter w(out);
    WriteManagedIntegration(w, r);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_ManagedIntegration_EncodeOnly);

void BM_ClientRecord_LookupOnly(benchmark::State& state) {
  const Fixture& f = FixtureOf(state.range(0));
  std::mt19937_64 rng(state.thread_index() + 1);
  std::uniform_int_distribution<size_t> pick(0, f.client_keys.size() - 1);
  for (auto _ : state) {
    const size_t i = pick(rng);
    int64_t id = 0;
    bool found = f.store.clients().Read(f.client_keys[i], [&](const ClientRecord& c) {
      if (c.org_id == f.orgs[i % kOrgs]) id = c.id;
    });
    benchmark::DoNotOptimize(found);
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClientRecord_LookupOnly)
    ->Arg(1000)
    ->Arg(100000)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

void BM_ManagedUpsertBody_ReadSeed(benchmark::State& state) {
  for (auto _ : state) {
    FieldErrors errors;
    ManagedUpsertBody body;
    Status st = ReadManagedUpsertBody(kExampleBody, &kKeteEnrolmentType, errors, body);
    if (!st.ok()) state.SkipWithError("the seed body was rejected");
    benchmark::DoNotOptimize(body.params.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ManagedUpsertBody_ReadSeed);

}  // namespace
}  // namespace ihub

BENCHMARK_MAIN();
