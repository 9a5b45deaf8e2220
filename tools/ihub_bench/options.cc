#include "tools/ihub_bench/options.h"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <map>
#include <string_view>

namespace ihub::bench {
namespace {

constexpr std::pair<Scenario, const char*> kScenarioNames[] = {
    {Scenario::kToken, "token"},         {Scenario::kIntrospect, "introspect"},
    {Scenario::kAuthorize, "authorize"}, {Scenario::kClientGet, "client-get"},
    {Scenario::kMixed, "mixed"},         {Scenario::kNone, "none"},
};

bool ParseInt(std::string_view s, int64_t lo, int64_t hi, int64_t* out) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool ParseSeconds(std::string_view s, double lo, double hi, double* out) {
  std::string copy(s);
  char* end = nullptr;
  const double v = std::strtod(copy.c_str(), &end);
  if (copy.empty() || *end != '\0' || !(v >= lo && v <= hi)) return false;
  *out = v;
  return true;
}

// A flag's handler: takes the value (empty for switches) and returns false when it is bad.
using Setter = std::function<bool(std::string_view)>;

Setter IntFlag(int64_t* target, int64_t lo, int64_t hi) {
  return [=](std::string_view v) { return ParseInt(v, lo, hi, target); };
}
template <typename T>
Setter NarrowFlag(T* target, int64_t lo, int64_t hi) {
  return [=](std::string_view v) {
    int64_t x = 0;
    if (!ParseInt(v, lo, hi, &x)) return false;
    *target = static_cast<T>(x);
    return true;
  };
}
Setter StringFlag(std::string* target) {
  return [=](std::string_view v) {
    *target = std::string(v);
    return !v.empty();
  };
}

}  // namespace

const char* ScenarioName(Scenario s) {
  for (const auto& [sc, name] : kScenarioNames)
    if (sc == s) return name;
  return "?";
}

Result<Options> ParseOptions(int argc, const char* const* argv) {
  Options o;
  const std::map<std::string_view, Setter> valued = {
      {"--host", StringFlag(&o.host)},
      {"--port", NarrowFlag(&o.port, 1, 65535)},
      {"--root-key", StringFlag(&o.root_key)},
      {"--root-key-file", StringFlag(&o.root_key_file)},
      {"--orgs", IntFlag(&o.orgs, 1, 10'000'000)},
      {"--clients", IntFlag(&o.clients, 1, 100'000'000)},
      {"--tokens", IntFlag(&o.tokens, 0, 1'000'000'000)},
      {"--add-tokens", IntFlag(&o.add_tokens, 1, 1'000'000'000)},
      {"--token-ttl", IntFlag(&o.token_ttl_s, 1, 31'536'000)},
      {"--seed-file", StringFlag(&o.seed_file)},
      {"--use-seed-file", StringFlag(&o.use_seed_file)},
      {"--seed-pipeline", NarrowFlag(&o.seed_pipeline, 1, 1024)},
      {"--connections", NarrowFlag(&o.connections, 1, 100'000)},
      {"--threads", NarrowFlag(&o.threads, 1, 1024)},
      {"--pipeline", NarrowFlag(&o.pipeline, 1, 1024)},
      {"--duration", [&](std::string_view v) { return ParseSeconds(v, 0.1, 86400, &o.duration_s); }},
      {"--warmup", [&](std::string_view v) { return ParseSeconds(v, 0, 86400, &o.warmup_s); }},
      {"--scenario",
       [&](std::string_view v) {
         for (const auto& [sc, name] : kScenarioNames)
           if (v == name) return o.scenario = sc, true;
         return false;
       }},
  };
  const std::map<std::string_view, bool*> switches = {
      {"--synthetic", &o.synthetic}, {"--json", &o.json},
      {"--quiet", &o.quiet},         {"--help", &o.help},
      {"-h", &o.help},
  };

  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    bool has_value = false;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    if (auto s = switches.find(arg); s != switches.end()) {
      if (has_value) return Status::InvalidArgument(std::string(arg) + " takes no value");
      *s->second = true;
      continue;
    }
    auto f = valued.find(arg);
    if (f == valued.end()) return Status::InvalidArgument("unknown flag " + std::string(arg));
    if (!has_value) {
      if (i + 1 >= argc) return Status::InvalidArgument(std::string(arg) + " needs a value");
      value = argv[++i];
    }
    // The message names the flag only: a root key given on the command line is never echoed.
    if (!f->second(value)) return Status::InvalidArgument("bad value for " + std::string(arg));
  }
  if (!o.use_seed_file.empty() && o.synthetic)
    return Status::InvalidArgument("--use-seed-file and --synthetic exclude each other");
  if (o.add_tokens > 0 && o.use_seed_file.empty())
    return Status::InvalidArgument("--add-tokens needs --use-seed-file");
  if (o.clients < o.orgs) return Status::InvalidArgument("--clients must be at least --orgs");
  if (o.connections < o.threads) o.threads = o.connections;
  return o;
}

std::string UsageText() {
  return R"(ihub-bench: seeds an ihub server through its API, then drives one scenario.

Target:   --host H (127.0.0.1)  --port P (8080)
          --root-key K | --root-key-file F   (else $IHUB_ROOT_KEY)
Dataset:  --orgs N (10)  --clients N (1000)  --tokens N (10000, spread across clients)
          --token-ttl S (86400)  --seed-pipeline N (16 requests in flight per connection)
          --seed-file PATH        write the seeded dataset (secrets! mode 0600) to PATH
          --use-seed-file PATH    reuse a dataset written by --seed-file; no seeding
          --add-tokens N          with --use-seed-file: issue N more tokens to its clients
                                  (write the grown dataset with --seed-file)
          --synthetic             make a random dataset locally, no seeding (for servers
                                  answering a fixed reply, such as nginx)
Load:     --scenario token|introspect|authorize|client-get|mixed|none (introspect)
            mixed = 70% introspect, 20% authorize, 9% client-get, 1% token
            none  = seed (and write --seed-file) only
          --connections C (64)  --threads T (2)  --pipeline N (1)
          --duration S (10)  --warmup S (2)
Output:   --json (one JSON object on stdout)  --quiet (no progress lines on stderr)
)";
}

}  // namespace ihub::bench
