// Token hot path in-process: issuing, validating and authorizing access tokens against a store
// loaded like the targets of issue 3 (1,000,000 live tokens across 100,000 clients).
//
//   benchmark                       what one iteration does
//   BM_Token_Issue                  new token text + SHA-256 key + Store::Write(Put) (no journal)
//   BM_Token_Validate_Hit           gate + key + token shard read + client shard read, a live token
//   BM_Token_Validate_Hit_HotSet/N  the same, tokens drawn from a working set of N live ones
//                                   (100, 1,000, 10,000)
//   BM_Token_TableOnly_Hit          gate + key + token shard read only (no client): the floor
//   BM_Token_Validate_Miss          the same for a well-formed token that was never issued
//   BM_Token_Validate_Malformed     a token with a bad checksum: refused before any store access
//   BM_Authorize_Decision           what POST /v1/authorize does after parsing: Validate_Hit, the
//                                   org check, the scopes over a path, the JSON answer
//
// Tokens are drawn in a random order over the whole table, so hits pay the cache misses of a
// table much larger than the CPU caches, as a server does with tokens it has not seen lately.
// The hot-set case is what an API gateway sees most: the same active tokens again and again, so
// their records (and their clients') stay in the caches; both figures are reported. The setup also reports the resident
// memory the 1M token records added (counter rss_bytes_per_token on BM_Token_Validate_Hit).
// Targets: >= 5M hit validations/s per core; <= 200 bytes of RSS per live token.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "server/authorize_handlers.h"
#include "server/token_auth.h"
#include "store/scopes.h"
#include "store/secrets.h"
#include "store/store.h"
#include "store/token_format.h"

namespace ihub {
namespace {

constexpr size_t kOrgs = 100;
constexpr size_t kClients = 100'000;
constexpr size_t kTokens = 1'000'000;
constexpr size_t kHotSet = 10'000;  // live tokens of BM_Token_Validate_Hit_HotSet
constexpr size_t kBatch = 1000;  // records per Store::Write while loading
constexpr int64_t kNow = 1'800'000'000;

size_t ResidentBytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<size_t>(resident) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

// Token texts of one length, back to back in one buffer, read in order. A server validates the
// token of the request it has just read, which is in the cache; a vector of std::string would
// add a cache miss per token (its heap block) that no server pays.
class TokenTexts {
 public:
  TokenTexts() = default;
  template <typename It>
  TokenTexts(It first, It last) {
    for (; first != last; ++first) push_back(*first);
  }
  void push_back(std::string_view token) {
    if (token.size() != kAccessTokenLength) std::abort();  // the fixed stride needs one length
    text_.append(token);
  }
  size_t size() const { return text_.size() / kAccessTokenLength; }
  std::string_view operator[](size_t i) const {
    return std::string_view(text_).substr(i * kAccessTokenLength, kAccessTokenLength);
  }

 private:
  std::string text_;
};

struct World {
  Store store;
  TokenTexts tokens;      // texts of the live tokens, in random order
  TokenTexts hot;         // kHotSet live tokens, in random order
  TokenTexts misses;      // well-formed, never issued
  TokenTexts malformed;   // bad checksum
  double rss_bytes_per_token = 0;

  World() {
    // The seed client's scopes, compiled once and shared as identical clients would be.
    std::vector<ScopeEntry> scopes = {{1, ScopePermission::kReadWrite, {".*v3/targetGroups.*"}},
                                      {2, ScopePermission::kWrite, {}}};
    auto compiled = CompiledScopes::Compile(scopes).value();
    // Org ids as ihub makes them (22 characters: longer than a std::string holds inline).
    std::vector<std::string> orgs;
    for (size_t i = 0; i < kOrgs; ++i) orgs.push_back(NewId());
    std::vector<std::string> keys;
    for (size_t i = 0; i < kClients; i += kBatch) {
      (void)store.Write([&](WriteTxn& txn) {
        for (size_t j = i; j < i + kBatch; ++j) {
          ClientRecord c;
          c.id = static_cast<int64_t>(j + 1);
          c.org_id = orgs[j % kOrgs];
          c.client_key = RandomBase62(TokenRecord::kClientKeySize);
          c.expiration_token_time = 3600;
          c.scopes = scopes;
          c.compiled = compiled;
          keys.push_back(c.client_key);
          txn.Put(std::move(c));
        }
        return Status::Ok();
      });
    }
    std::vector<std::string> issued;
    issued.reserve(kTokens);
    for (size_t i = 0; i < kTokens; ++i) issued.push_back(NewAccessToken());
    const size_t before = ResidentBytes();
    for (size_t i = 0; i < kTokens; i += kBatch) {
      (void)store.Write([&](WriteTxn& txn) {
        for (size_t j = i; j < i + kBatch; ++j) {
          TokenRecord t;
          t.token_key = TokenKeyOf(issued[j]);
          t.set_client_key(keys[j % kClients]);
          t.entity_mask = 0b011;
          t.issued_at_s = kNow - 10;
          t.expires_at_s = kNow + 3600;
          txn.Put(t);
        }
        return Status::Ok();
      });
    }
    rss_bytes_per_token = static_cast<double>(ResidentBytes() - before) / kTokens;
    std::shuffle(issued.begin(), issued.end(), std::mt19937_64(42));
    tokens = TokenTexts(issued.begin(), issued.end());
    hot = TokenTexts(issued.begin(), issued.begin() + kHotSet);  // a random sample of live tokens
    for (size_t i = 0; i < 100'000; ++i) {
      misses.push_back(NewAccessToken());
      std::string bad = NewAccessToken();
      bad[20] = bad[20] == 'a' ? 'b' : 'a';
      malformed.push_back(std::move(bad));
    }
  }
};

World& TheWorld() {
  static World* world = new World();  // built once, on first use; never destroyed
  return *world;
}

// The validation the introspection, Bearer and authorize paths share.
TokenReason Validate(const Store& store, std::string_view token) {
  return InspectToken(store, token, kNow,
                      [](TokenReason base, const TokenRecord&, const ClientRecord&) { return base; });
}

void RunValidate(benchmark::State& state, const TokenTexts& inputs,
                 TokenReason expected) {
  const Store& store = TheWorld().store;
  size_t i = 0;
  for (auto _ : state) {
    const TokenReason r = Validate(store, inputs[i]);
    if (r != expected) state.SkipWithError("unexpected reason");
    benchmark::DoNotOptimize(r);
    if (++i == inputs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Token_Validate_Hit(benchmark::State& state) {
  World& w = TheWorld();
  RunValidate(state, w.tokens, TokenReason::kValid);
  state.counters["rss_bytes_per_token"] = w.rss_bytes_per_token;
  state.counters["live_tokens"] = static_cast<double>(w.store.tokens().size());
}
BENCHMARK(BM_Token_Validate_Hit);

// Arg: the working set, a prefix of the 10,000-token hot sample. Small sets show what a
// validation costs once its records are cached; the gap to 10,000 is memory latency.
void BM_Token_Validate_Hit_HotSet(benchmark::State& state) {
  const TokenTexts& hot = TheWorld().hot;
  TokenTexts set;
  for (int64_t i = 0; i < state.range(0); ++i) set.push_back(hot[i]);
  RunValidate(state, set, TokenReason::kValid);
  state.counters["working_set"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_Token_Validate_Hit_HotSet)->Arg(100)->Arg(1'000)->Arg(kHotSet);

// The token table alone (gate, key, one shard read, no client): the floor under any validation
// that must read the token's record, and what is left once the client costs nothing.
void BM_Token_TableOnly_Hit(benchmark::State& state) {
  const World& w = TheWorld();
  size_t i = 0;
  for (auto _ : state) {
    const std::string_view token = w.tokens[i];
    bool found = IsWellFormedAccessToken(token) &&
                 w.store.tokens().Read(TokenKeyOf(token), [](const TokenRecord&) {});
    if (!found) state.SkipWithError("unexpected miss");
    benchmark::DoNotOptimize(found);
    if (++i == w.tokens.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Token_TableOnly_Hit);

void BM_Token_Validate_Miss(benchmark::State& state) {
  RunValidate(state, TheWorld().misses, TokenReason::kNotFound);
}
BENCHMARK(BM_Token_Validate_Miss);

void BM_Token_Validate_Malformed(benchmark::State& state) {
  RunValidate(state, TheWorld().malformed, TokenReason::kNotFound);
}
BENCHMARK(BM_Token_Validate_Malformed);

// The work of POST /v1/authorize between reading the request and framing the answer, for a
// gateway authenticated with the root key (it sees every org): the decision and its JSON body.
void BM_Authorize_Decision(benchmark::State& state) {
  World& w = TheWorld();
  const std::string_view paths[] = {"/v3/targetGroups/42", "/v1.1/transaction/7"};
  const MethodClass methods[] = {MethodClass::kRead, MethodClass::kWrite};
  const TokenCaller gateway{.root = true};
  std::string body;
  size_t i = 0;
  int64_t allowed = 0;
  for (auto _ : state) {
    body.clear();
    const PresentedToken token(w.store, w.tokens[i % w.tokens.size()]);
    const TokenReason r =
        DecideAuthorize(w.store, gateway, token, methods[(i >> 1) & 1], paths[i & 1], kNow, body);
    allowed += r == TokenReason::kValid;
    ++i;
  }
  benchmark::DoNotOptimize(allowed);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Authorize_Decision);

void BM_Token_Issue(benchmark::State& state) {
  World& w = TheWorld();
  std::string client_key;
  w.store.clients().ForEach([&](const ClientRecord& c) {
    if (client_key.empty()) client_key = c.client_key;
  });
  for (auto _ : state) {
    const std::string token = NewAccessToken();
    TokenRecord t;
    t.token_key = TokenKeyOf(token);
    t.set_client_key(client_key);
    t.issued_at_s = kNow;
    t.expires_at_s = kNow + 3600;
    auto seq = w.store.Write([&](WriteTxn& txn) {
      txn.Put(t);
      return Status::Ok();
    });
    benchmark::DoNotOptimize(seq);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Token_Issue);

}  // namespace
}  // namespace ihub

BENCHMARK_MAIN();
