// ihub-bench: the load generator of ihub. Seeds a dataset through the API (or loads one), then
// drives one scenario and prints what it measured. Usage: ihub-bench --help; docs/load-testing.md.
#include <arpa/inet.h>
#include <netdb.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "tools/ihub_bench/dataset.h"
#include "tools/ihub_bench/load.h"
#include "tools/ihub_bench/options.h"
#include "tools/ihub_bench/report.h"
#include "tools/ihub_bench/requests.h"
#include "tools/ihub_bench/seeder.h"

namespace ihub::bench {
namespace {

int Fail(const Status& st) {
  std::fprintf(stderr, "ihub-bench: %s\n", st.message().c_str());
  return 1;
}

Result<sockaddr_in> Resolve(const std::string& host, uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) == 1) return addr;
  addrinfo hints{}, *res = nullptr;
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || res == nullptr)
    return Status::InvalidArgument("cannot resolve " + host);
  addr.sin_addr = reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr;
  freeaddrinfo(res);
  return addr;
}

// --root-key, else $IHUB_ROOT_KEY, else the first line of --root-key-file.
Status ResolveRootKey(Options& o) {
  if (!o.root_key.empty()) return Status::Ok();
  if (const char* env = std::getenv("IHUB_ROOT_KEY"); env && *env) {
    o.root_key = env;
    return Status::Ok();
  }
  if (o.root_key_file.empty())
    return Status::InvalidArgument(
        "seeding needs the root key: --root-key, --root-key-file or $IHUB_ROOT_KEY");
  std::ifstream in(o.root_key_file);
  if (!in || !std::getline(in, o.root_key) || o.root_key.empty())
    return Status::InvalidArgument("cannot read a key from " + o.root_key_file);
  while (!o.root_key.empty() && std::isspace(static_cast<unsigned char>(o.root_key.back())))
    o.root_key.pop_back();
  return Status::Ok();
}

Result<Dataset> MakeDataset(Options& o, const sockaddr_in& addr, const std::string& host_header) {
  if (!o.use_seed_file.empty()) {
    Result<Dataset> d = LoadDataset(o.use_seed_file);
    if (!d.ok() || o.add_tokens == 0) return d;
    if (Status st = AddTokens(o, addr, host_header, o.add_tokens, &*d); !st.ok()) return st;
    return d;
  }
  if (o.synthetic) return SyntheticDataset(o.orgs, o.clients, o.tokens);
  if (Status st = ResolveRootKey(o); !st.ok()) return st;
  return SeedDataset(o, addr, host_header);
}

int Main(int argc, char** argv) {
  Result<Options> parsed = ParseOptions(argc, argv);
  if (!parsed.ok()) {
    std::fprintf(stderr, "ihub-bench: %s\n\n%s", parsed.status().message().c_str(),
                 UsageText().c_str());
    return 2;
  }
  Options& o = *parsed;
  if (o.help) {
    std::fputs(UsageText().c_str(), stdout);
    return 0;
  }
  Result<sockaddr_in> addr = Resolve(o.host, o.port);
  if (!addr.ok()) return Fail(addr.status());
  const std::string host_header = o.host + ":" + std::to_string(o.port);

  Result<Dataset> data = MakeDataset(o, *addr, host_header);
  if (!data.ok()) return Fail(data.status());
  if (!o.seed_file.empty()) {
    if (Status st = SaveDataset(*data, o.seed_file); !st.ok()) return Fail(st);
    if (!o.quiet) std::fprintf(stderr, "dataset written to %s\n", o.seed_file.c_str());
  }
  if (o.scenario == Scenario::kNone) return 0;
  if (Status st = CheckDatasetFor(o.scenario, *data); !st.ok()) return Fail(st);

  RequestBuilder requests(*data, host_header);
  Result<LoadResult> result = RunLoad(o, *addr, *data, requests);
  if (!result.ok()) return Fail(result.status());
  const std::string out = o.json ? JsonReport(o, *data, *result) : TextReport(o, *data, *result);
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace
}  // namespace ihub::bench

int main(int argc, char** argv) { return ihub::bench::Main(argc, argv); }
