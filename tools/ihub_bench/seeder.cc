#include "tools/ihub_bench/seeder.h"

#include <simdjson.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>

#include "tools/ihub_bench/event_loop.h"
#include "tools/ihub_bench/requests.h"

namespace ihub::bench {
namespace {

// Past this many failed connections in one phase the server is taken to be gone.
constexpr uint64_t kMaxConnErrors = 1000;

// One phase of seeding: `total` items, each one request and one answer.
struct SeedPhase {
  SeedPhase(std::string n, int64_t count) : name(std::move(n)), total(static_cast<uint64_t>(count)) {}

  std::string name;
  uint64_t total;
  std::function<void(uint64_t item, std::string* out)> build;
  // Reads the 2xx answer to `item` on loop `thread`; false when it lacks what is needed.
  std::function<bool(int thread, uint64_t item, std::string_view body)> accept;

  std::atomic<uint64_t> next{0}, answered{0}, failed{0}, conn_errors{0};
  std::atomic<bool> abort{false};
  std::mutex mu;
  std::string first_failure;  // guarded by mu
};

class SeedWorkload final : public Workload {
 public:
  SeedWorkload(SeedPhase& phase, int thread) : phase_(phase), thread_(thread) {}

  bool Next(std::string* out, uint64_t* tag) override {
    if (phase_.abort.load(std::memory_order_relaxed)) return false;
    uint64_t item;
    if (!retry_.empty()) {
      item = retry_.back();
      retry_.pop_back();
    } else {
      item = phase_.next.fetch_add(1, std::memory_order_relaxed);
      if (item >= phase_.total) return false;
    }
    phase_.build(item, out);
    *tag = item;
    return true;
  }

  void OnResponse(uint64_t tag, int status, std::string_view body, uint64_t) override {
    const bool ok = status / 100 == 2 && phase_.accept(thread_, tag, body);
    if (!ok && phase_.failed.fetch_add(1) == 0) {
      // Error answers never carry secrets (API.md §1); cut long ones anyway.
      std::lock_guard lock(phase_.mu);
      phase_.first_failure = "HTTP " + std::to_string(status) + ": " +
                             std::string(body.substr(0, 300));
    }
    phase_.answered.fetch_add(1, std::memory_order_relaxed);
  }

  void OnLost(uint64_t tag) override { retry_.push_back(tag); }

  void OnConnectionError() override {
    if (phase_.conn_errors.fetch_add(1) + 1 >= kMaxConnErrors) phase_.abort.store(true);
  }

  bool Done() override {
    return phase_.abort.load(std::memory_order_relaxed) ||
           phase_.answered.load(std::memory_order_relaxed) >= phase_.total;
  }

 private:
  SeedPhase& phase_;
  int thread_;
  std::vector<uint64_t> retry_;
};

// Reads string members of JSON answers with simdjson's on-demand API; one per thread.
class JsonReader {
 public:
  // Copies the string members `names` of `body` (of its member `object` when not empty) into
  // `outs`; false when the body is not JSON or one is missing.
  bool Read(std::string_view body, std::string_view object,
            std::initializer_list<std::string_view> names, std::string* outs) {
    buf_.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    buf_.assign(body);
    simdjson::ondemand::document doc;
    if (parser_.iterate(simdjson::padded_string_view(buf_.data(), buf_.size(), buf_.capacity()))
            .get(doc))
      return false;
    simdjson::ondemand::object obj;
    if (object.empty() ? doc.get_object().get(obj) : doc[object].get_object().get(obj))
      return false;
    for (std::string_view name : names) {
      std::string_view v;
      if (obj[name].get_string().get(v)) return false;
      (outs++)->assign(v);
    }
    return true;
  }

 private:
  simdjson::ondemand::parser parser_;
  std::string buf_;
};

std::string WithCommas(uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}

// Runs `phase` to the end; returns an error when it aborted or every item failed.
Status RunPhase(const Options& o, const sockaddr_in& addr, SeedPhase& phase) {
  if (phase.total == 0) return Status::Ok();
  std::vector<std::unique_ptr<SeedWorkload>> workloads;
  std::vector<Workload*> raw;
  for (int t = 0; t < o.threads; ++t) {
    workloads.push_back(std::make_unique<SeedWorkload>(phase, t));
    raw.push_back(workloads.back().get());
  }
  // Fewer connections than items would leave some idle, and a phase of one item needs one.
  const int conns = static_cast<int>(std::min<uint64_t>(o.connections, phase.total));
  const int threads = std::min<int>(o.threads, conns);
  raw.resize(threads);
  const uint64_t start_ns = NowNs();
  double next_report = 1.0, last_elapsed = 0;
  uint64_t last = 0;
  auto tick = [&](double elapsed) {
    if (o.quiet || elapsed < next_report) return;
    next_report += 1.0;
    const uint64_t done = phase.answered.load();
    std::fprintf(stderr, "seeding %s: %s/%s  %.0f/s  failed %llu\n", phase.name.c_str(),
                 WithCommas(done).c_str(), WithCommas(phase.total).c_str(),
                 (done - last) / (elapsed - last_elapsed),
                 static_cast<unsigned long long>(phase.failed.load()));
    last = done;
    last_elapsed = elapsed;
  };
  Status st = RunLoops(addr, conns, o.seed_pipeline, raw, tick);
  if (!st.ok()) return st;
  const double elapsed_s = static_cast<double>(NowNs() - start_ns) / 1e9;
  const uint64_t failed = phase.failed.load();
  if (!o.quiet)
    std::fprintf(stderr, "seeded %s %s in %.1f s (%.0f/s), %llu failed\n",
                 WithCommas(phase.total - failed).c_str(), phase.name.c_str(), elapsed_s,
                 (phase.total - failed) / std::max(elapsed_s, 1e-3),
                 static_cast<unsigned long long>(failed));
  if (phase.abort.load())
    return Status::Unavailable("seeding " + phase.name + ": too many connection errors (is the "
                               "server running on this address?)");
  if (failed > 0) {
    std::lock_guard lock(phase.mu);
    std::fprintf(stderr, "seeding %s: first failure: %s\n", phase.name.c_str(),
                 phase.first_failure.c_str());
    if (failed == phase.total)
      return Status::Internal("seeding " + phase.name + ": every request failed");
  }
  return Status::Ok();
}

}  // namespace

Result<Dataset> SeedDataset(const Options& o, const sockaddr_in& addr,
                            const std::string& host_header) {
  Dataset empty;
  RequestBuilder rb(empty, host_header);
  std::vector<JsonReader> json(o.threads);
  const std::string& root = o.root_key;

  // Orgs, then one key each.
  std::vector<std::string> org_ids(o.orgs), org_keys(o.orgs);
  SeedPhase orgs("orgs", o.orgs);
  orgs.build = [&](uint64_t i, std::string* out) { rb.CreateOrg(root, i, out); };
  orgs.accept = [&](int t, uint64_t i, std::string_view body) {
    return json[t].Read(body, "", {"id"}, &org_ids[i]);
  };
  if (Status st = RunPhase(o, addr, orgs); !st.ok()) return st;

  SeedPhase keys("api keys", o.orgs);
  keys.build = [&](uint64_t i, std::string* out) { rb.CreateApiKey(root, org_ids[i], out); };
  keys.accept = [&](int t, uint64_t i, std::string_view body) {
    return !org_ids[i].empty() && json[t].Read(body, "", {"key"}, &org_keys[i]);
  };
  if (Status st = RunPhase(o, addr, keys); !st.ok()) return st;

  Dataset d;
  for (int64_t i = 0; i < o.orgs; ++i) {
    if (org_keys[i].empty()) continue;
    d.org_ids.Add(org_ids[i]);
    d.org_keys.Add(org_keys[i]);
  }

  // Clients, round-robin over the orgs that have a key.
  std::vector<std::string> client_keys(o.clients), client_secrets(o.clients);
  SeedPhase clients("clients", o.clients);
  clients.build = [&](uint64_t i, std::string* out) {
    rb.CreateClient(d.org_keys[i % d.orgs()], i, o.token_ttl_s, out);
  };
  clients.accept = [&](int t, uint64_t i, std::string_view body) {
    std::string kv[2];
    if (!json[t].Read(body, "data", {"clientKey", "clientSecret"}, kv)) return false;
    client_keys[i] = std::move(kv[0]);
    client_secrets[i] = std::move(kv[1]);
    return true;
  };
  if (Status st = RunPhase(o, addr, clients); !st.ok()) return st;
  for (int64_t i = 0; i < o.clients; ++i) {
    if (client_keys[i].empty()) continue;
    d.client_org.push_back(static_cast<uint32_t>(i % d.orgs()));
    d.client_keys.Add(client_keys[i]);
    d.client_secrets.Add(client_secrets[i]);
  }
  if (d.clients() == 0) return Status::Internal("no client could be created");

  if (Status st = AddTokens(o, addr, host_header, o.tokens, &d); !st.ok()) return st;
  return d;
}

Status AddTokens(const Options& o, const sockaddr_in& addr, const std::string& host_header,
                 int64_t count, Dataset* d) {
  if (count == 0) return Status::Ok();
  if (d->clients() == 0) return Status::InvalidArgument("the dataset has no clients");
  // Continue the round-robin where the dataset's tokens end.
  const uint64_t first = d->token_count();
  RequestBuilder with_clients(*d, host_header);
  std::vector<JsonReader> json(o.threads);
  // Each thread keeps its own tokens; they are merged after the phase.
  struct ThreadTokens {
    StringTable tokens;
    std::vector<uint32_t> client;
    std::string scratch;
  };
  std::vector<ThreadTokens> per_thread(o.threads);
  SeedPhase tokens("tokens", count);
  tokens.build = [&](uint64_t i, std::string* out) { with_clients.IssueToken(first + i, out); };
  tokens.accept = [&](int t, uint64_t i, std::string_view body) {
    ThreadTokens& mine = per_thread[t];
    if (!json[t].Read(body, "", {"access_token"}, &mine.scratch)) return false;
    mine.tokens.Add(mine.scratch);
    mine.client.push_back(static_cast<uint32_t>((first + i) % d->clients()));
    return true;
  };
  if (Status st = RunPhase(o, addr, tokens); !st.ok()) return st;
  d->tokens.Reserve(first + count, (first + count) * 56);
  for (ThreadTokens& mine : per_thread) {
    for (size_t i = 0; i < mine.tokens.size(); ++i) {
      d->tokens.Add(mine.tokens[i]);
      d->token_client.push_back(mine.client[i]);
    }
    mine = {};
  }
  return Status::Ok();
}

}  // namespace ihub::bench
