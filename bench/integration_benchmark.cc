// Integration benchmarks: each integration family's hottest read (get by id + encode), beside the
// Capillary client lookup + encode they must not cost more than (issue 5, "Done when").
//
// | benchmark                 | workload                                                          |
// | ------------------------- | ----------------------------------------------------------------- |
// | BM_ClientLookup_Encode    | AppendClientEnvelope of a random present client (2 scopes)        |
// | BM_SolvimonGet_Encode     | AppendSolvimonIntegration of a random present id: masked          |
// |                           | authentication (3 leaves), payment_gateway, 1 linked config       |
// | BM_OemGet_Encode          | AppendOemIntegration of a random present id (2 template keys)     |
// | BM_OemList_Encode         | AppendOemIntegrationList of a random org holding 1 OEM integration|
// Arg = records of each kind in the store (over 100 orgs). Lookups run at 1 and 2 threads on
// wall-clock time into a reused buffer; items/s is summed over threads. The machine is shared:
// compare figures from one run only.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "bench/seed_client.h"
#include "server/capillary_handlers.h"
#include "server/oem_handlers.h"
#include "server/solvimon_handlers.h"
#include "store/client_rules.h"
#include "store/crypto_box.h"
#include "store/integration_rules.h"
#include "store/secrets.h"
#include "store/store.h"

namespace ihub {
namespace {

constexpr int kOrgs = 100;

struct Fixture {
  Store store;
  std::vector<std::string> orgs;
  std::vector<std::pair<std::string, std::string>> clients, typed, vendor;  // (org, id or key)
};

IntegrationRecord MakeIntegration(const CryptoBox& crypto, const std::string& org,
                                  IntegrationFamily family, int64_t i) {
  IntegrationRecord r;
  r.id = NewIntegrationId(family);
  r.org_id = org;
  r.family = family;
  r.created_at_ms = r.updated_at_ms = 1586960046104;
  r.created_by = r.updated_by = "crn:" + org + ":api-key:writer";
  if (family == IntegrationFamily::kTyped) {
    r.type = "PAYMENT_GATEWAY";
    r.reference = "stripe-" + std::to_string(i);
    r.name = "Stripe EU";
    r.description = "Card payments in the EU";
    r.config = {{"linked_resources_configurations", R"([{"resource":"pricing_plan","id":"pp_1"}])"},
                {"payment_gateway", R"({"provider":"stripe","capture":"automatic"})"}};
    (void)SetIntegrationSecrets(
        crypto, R"({"api_key":"sk_live_x","options":{"webhook_secret":"whsec","user":"u","n":3}})",
        SecretView::kMasked, r);
  } else {
    r.type = "43211235";
    (void)SetIntegrationSecrets(crypto, R"({"api key":"k","api username":"u"})", SecretView::kBlank,
                                r);
  }
  return r;
}

// One store per size, built once and shared by every thread of every case.
const Fixture& FixtureOf(int64_t n) {
  static std::map<int64_t, std::unique_ptr<Fixture>> fixtures;
  static std::mutex mu;
  std::lock_guard lock(mu);
  auto& slot = fixtures[n];
  if (slot) return *slot;
  slot = std::make_unique<Fixture>();
  const CryptoBox crypto(EncryptionKey{});
  for (int i = 0; i < kOrgs; ++i) slot->orgs.push_back(NewId());
  (void)slot->store.Write([&](WriteTxn& txn) {
    for (int64_t i = 0; i < n; ++i) {
      const std::string& org = slot->orgs[i % kOrgs];
      ClientRecord c = MakeSeedClient(org, i + 1);
      slot->clients.emplace_back(org, c.client_key);
      txn.Put(std::move(c));
      IntegrationRecord t = MakeIntegration(crypto, org, IntegrationFamily::kTyped, i);
      slot->typed.emplace_back(org, t.id);
      txn.Put(std::move(t));
      // One OEM integration per org, whatever n, so the list case lists one item.
      if (i < kOrgs) {
        IntegrationRecord v = MakeIntegration(crypto, org, IntegrationFamily::kVendor, i);
        slot->vendor.emplace_back(org, v.id);
        txn.Put(std::move(v));
      }
    }
    return Status::Ok();
  });
  return *slot;
}

using AppendFn = bool (*)(const Store&, std::string_view, std::string_view, std::string&);

using Keys = std::vector<std::pair<std::string, std::string>>;

void LookupLoop(benchmark::State& state, Keys Fixture::*which, AppendFn append) {
  const Fixture& f = FixtureOf(state.range(0));
  const auto& keys = f.*which;
  std::mt19937_64 rng(state.thread_index() + 1);
  std::string out;
  out.reserve(2048);
  size_t bytes = 0;
  for (auto _ : state) {
    const auto& [org, key] = keys[rng() % keys.size()];
    out.clear();
    bool found = append(f.store, org, key, out);
    benchmark::DoNotOptimize(found);
    bytes += out.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["answer_bytes"] = static_cast<double>(bytes) / std::max<int64_t>(1, state.iterations());
}

void BM_ClientLookup_Encode(benchmark::State& state) {
  LookupLoop(state, &Fixture::clients, AppendClientEnvelope);
}
void BM_SolvimonGet_Encode(benchmark::State& state) {
  LookupLoop(state, &Fixture::typed, AppendSolvimonIntegration);
}
void BM_OemGet_Encode(benchmark::State& state) {
  LookupLoop(state, &Fixture::vendor, AppendOemIntegration);
}
void BM_OemList_Encode(benchmark::State& state) {
  LookupLoop(state, &Fixture::vendor,
             [](const Store& store, std::string_view org, std::string_view, std::string& out) {
               AppendOemIntegrationList(store, org, out);
               return true;
             });
}

#define IHUB_LOOKUP_BENCH(name) \
  BENCHMARK(name)->Arg(1000)->Arg(100000)->Threads(1)->Threads(2)->UseRealTime()
IHUB_LOOKUP_BENCH(BM_ClientLookup_Encode);
IHUB_LOOKUP_BENCH(BM_SolvimonGet_Encode);
IHUB_LOOKUP_BENCH(BM_OemGet_Encode);
IHUB_LOOKUP_BENCH(BM_OemList_Encode);

}  // namespace
}  // namespace ihub

BENCHMARK_MAIN();
