// Persistence benchmarks: the journal's group commit and snapshot speed.
//
//   BM_Journal_Writers/<mode>/64    64 threads, each appending a 200-byte record and blocking in
//                                   WaitDurable until it is acknowledged. mode 0 = always (one
//                                   fdatasync per record), 1 = batch (group commit).
//   BM_Journal_Callbacks/<mode>/64  64 concurrent writers as the server runs them: a write's
//                                   WhenDurable callback issues that writer's next write (no thread
//                                   per writer). Both report acknowledged writes per second.
//   BM_Snapshot_Write               1,000,000 tokens + 100,000 clients written to a snapshot file
//                                   (capture, serialize, CRC, fsync, rename). Reports MB/s.
//   BM_Snapshot_Load                the same file read, checked and loaded into a fresh Store.
//   BM_Snapshot_ReadLatency/<0|1>   p50/p99 of token lookups on 4 threads without (0) and during
//                                   (1) a snapshot of that store: the hot path must keep serving.
//
// Files go to $IHUB_BENCH_DIR or /tmp (use a real disk: fsync cost is the point).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "store/client_record.h"
#include "store/journal.h"
#include "store/secrets.h"
#include "store/snapshot.h"
#include "store/store.h"
#include "store/token_record.h"

namespace ihub {
namespace {

namespace fs = std::filesystem;

std::string BenchDir(const std::string& name) {
  const char* base = std::getenv("IHUB_BENCH_DIR");
  std::string dir = std::string(base != nullptr ? base : "/tmp") + "/ihub-bench-" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs `writers` concurrent writers against a fresh journal for 2 s per iteration and reports
// acknowledged writes per second. `start(journal, stop, done)` launches them and returns a
// function that waits for them to finish.
template <typename Start>
void RunJournalBench(benchmark::State& state, Start&& start) {
  const FsyncMode mode = state.range(0) == 0 ? FsyncMode::kAlways : FsyncMode::kBatch;
  uint64_t acked = 0;
  uint64_t syncs = 0;
  double seconds = 0;
  for (auto _ : state) {
    std::string dir = BenchDir("journal");
    auto journal = Journal::Open({dir, mode, 64ull << 20}, 1).value();
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> done{0};
    auto t0 = std::chrono::steady_clock::now();
    std::function<void()> join = start(*journal, stop, done);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    stop = true;
    join();
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    acked += done.load();
    (void)journal->Close();
    syncs += journal->stats().syncs;
    fs::remove_all(dir);
  }
  state.counters["acked_per_s"] = static_cast<double>(acked) / seconds;
  state.counters["records_per_sync"] = syncs ? static_cast<double>(acked) / syncs : 0;
}

const std::string kPayload(200, 'p');

void BM_Journal_Writers(benchmark::State& state) {
  const int writers = static_cast<int>(state.range(1));
  RunJournalBench(state, [&](Journal& journal, std::atomic<bool>& stop, std::atomic<uint64_t>& done) {
    auto threads = std::make_shared<std::vector<std::thread>>();
    for (int w = 0; w < writers; ++w) {
      threads->emplace_back([&] {
        while (!stop.load(std::memory_order_relaxed)) {
          auto seq = journal.Append(kPayload);
          if (!seq.ok() || !journal.WaitDurable(*seq).ok()) return;
          done.fetch_add(1, std::memory_order_relaxed);
        }
      });
    }
    return std::function<void()>([threads] {
      for (auto& t : *threads) t.join();
    });
  });
}
BENCHMARK(BM_Journal_Writers)->Args({0, 64})->Args({1, 64})->Iterations(1)->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_Journal_Callbacks(benchmark::State& state) {
  const int writers = static_cast<int>(state.range(1));
  std::function<void()> write;
  RunJournalBench(state, [&](Journal& journal, std::atomic<bool>& stop, std::atomic<uint64_t>& done) {
    write = [&] {
      if (stop.load(std::memory_order_relaxed)) return;
      auto seq = journal.Append(kPayload);
      if (!seq.ok()) return;
      journal.WhenDurable(*seq, [&](const Status& s) {
        if (!s.ok()) return;
        done.fetch_add(1, std::memory_order_relaxed);
        write();  // this writer's next request
      });
    };
    for (int w = 0; w < writers; ++w) write();
    return std::function<void()>([] {});  // Close() drains the callbacks
  });
}
BENCHMARK(BM_Journal_Callbacks)->Args({0, 64})->Args({1, 64})->Iterations(1)->UseRealTime()
    ->Unit(benchmark::kMillisecond);

constexpr int kTokens = 1'000'000;
constexpr int kClients = 100'000;

TokenKey RandomTokenKey() {
  TokenKey k;
  RandomBytes(std::span<uint8_t>(reinterpret_cast<uint8_t*>(&k), sizeof(k)));
  return k;
}

// A store with kTokens tokens and kClients clients, built once.
Store& BigStore() {
  static Store* store = [] {
    auto* s = new Store;
    MutationBatch batch;
    for (int i = 0; i < kClients; ++i) {
      ClientRecord c;
      c.id = i + 1;
      c.org_id = "org" + std::to_string(i % 100);
      c.client_key = RandomBase62(25);
      c.name = "client " + std::to_string(i);
      c.description = "benchmark client";
      c.expiration_token_time = 3600;
      c.scopes = {ScopeEntry{1, ScopePermission::kRead, {"/v3/customers/.*"}}};
      c.secret_hash = Sha256(c.client_key);
      batch.push_back(Put<ClientRecord>{std::move(c)});
      if (batch.size() == 4096) s->Apply(batch), batch.clear();
    }
    for (int i = 0; i < kTokens; ++i) {
      TokenRecord t;
      t.token_key = RandomTokenKey();
      t.set_client_key(std::string(25, 'c'));
      t.issued_at_s = 1700000000;
      t.expires_at_s = 1700003600;
      batch.push_back(Put<TokenRecord>{t});
      if (batch.size() == 4096) s->Apply(batch), batch.clear();
    }
    s->Apply(batch, 1);
    return s;
  }();
  return *store;
}

std::string SnapshotPath() { return BenchDir("snapshot") + "/" + SnapshotFileName(1); }

// As in the server: capture runs alongside writers (none here) through a tap.
CommitTap tap;

void BM_Snapshot_Write(benchmark::State& state) {
  Store& store = BigStore();
  std::string path = SnapshotPath();
  uint64_t bytes = 0;
  for (auto _ : state) {
    auto r = WriteStoreSnapshot(store, &tap, path, 1, 0);
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
    bytes = r->header.payload_bytes;
    state.counters["capture_s"] = r->capture_seconds;
    state.counters["write_s"] = r->write_seconds;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_Snapshot_Write)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Snapshot_Load(benchmark::State& state) {
  Store& store = BigStore();
  std::string path = SnapshotPath();
  auto written = WriteStoreSnapshot(store, &tap, path, 1, 0);
  if (!written.ok()) state.SkipWithError(written.status().message().c_str());
  for (auto _ : state) {
    Store fresh;
    auto h = LoadStoreSnapshot(path, &fresh);
    if (!h.ok() || fresh.table<TokenRecord>().size() != kTokens) state.SkipWithError("load failed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(written->header.payload_bytes * state.iterations()));
}
BENCHMARK(BM_Snapshot_Load)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Snapshot_ReadLatency(benchmark::State& state) {
  Store& store = BigStore();
  std::vector<TokenKey> keys;
  store.table<TokenRecord>().ForEach([&](const TokenRecord& t) {
    if (keys.size() < 100000) keys.push_back(t.token_key);
  });
  std::string path = SnapshotPath();
  for (auto _ : state) {
    std::atomic<bool> stop{false};
    std::vector<std::vector<double>> lat(4);
    std::vector<std::thread> readers;
    for (int r = 0; r < 4; ++r) {
      readers.emplace_back([&, r] {
        size_t i = static_cast<size_t>(r) * 7919;
        while (!stop.load(std::memory_order_relaxed)) {
          auto t0 = std::chrono::steady_clock::now();
          bool found = store.table<TokenRecord>().Read(keys[i++ % keys.size()],
                                                       [](const TokenRecord&) {});
          benchmark::DoNotOptimize(found);
          lat[r].push_back(std::chrono::duration<double, std::micro>(
                               std::chrono::steady_clock::now() - t0).count());
        }
      });
    }
    if (state.range(0) == 1) {
      auto r = WriteStoreSnapshot(store, &tap, path, 1, 0);
      if (!r.ok()) state.SkipWithError("snapshot failed");
    } else {
      std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    stop = true;
    for (auto& t : readers) t.join();
    std::vector<double> all;
    for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    state.counters["p50_us"] = all[all.size() / 2];
    state.counters["p99_us"] = all[all.size() * 99 / 100];
    state.counters["p999_us"] = all[all.size() * 999 / 1000];
    state.counters["reads"] = static_cast<double>(all.size());
  }
}
BENCHMARK(BM_Snapshot_ReadLatency)->Arg(0)->Arg(1)->Iterations(1)->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ihub

BENCHMARK_MAIN();
