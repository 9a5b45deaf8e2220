// Options: the command line of ihub-bench, parsed into one plain struct.
//
// Parsing is pure (no I/O beyond what the caller does with the result), so it is unit-tested.
// Thread-safety: plain values; the driver copies what each thread needs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/status.h"

namespace ihub::bench {

enum class Scenario { kToken, kIntrospect, kAuthorize, kClientGet, kMixed, kNone };

// Returns "token", "introspect", ... for `s`.
const char* ScenarioName(Scenario s);

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string root_key;       // from --root-key, $IHUB_ROOT_KEY or --root-key-file
  std::string root_key_file;  // read by the caller when root_key is empty

  // Dataset: seeded through the API unless use_seed_file or synthetic is given.
  int64_t orgs = 10;
  int64_t clients = 1'000;
  int64_t tokens = 10'000;
  int64_t token_ttl_s = 86'400;  // expirationTokenTime of seeded clients
  std::string seed_file;         // write the dataset here after seeding
  std::string use_seed_file;     // load the dataset from here; no seeding
  int64_t add_tokens = 0;        // with use_seed_file: issue this many more tokens first
  bool synthetic = false;        // make random values locally (for fixed-answer servers)
  int seed_pipeline = 16;        // requests in flight per connection while seeding

  Scenario scenario = Scenario::kIntrospect;
  int connections = 64;
  int threads = 2;
  double duration_s = 10;
  double warmup_s = 2;
  int pipeline = 1;  // requests in flight per connection while driving
  bool json = false;
  bool quiet = false;  // no progress lines
  bool help = false;
};

// Parses argv[1..argc). Returns the options, or InvalidArgument naming the bad flag.
// Flags take their value as the next argument or after '='. Does not read files or the
// environment: the caller resolves root_key from IHUB_ROOT_KEY / root_key_file.
Result<Options> ParseOptions(int argc, const char* const* argv);

// Returns the --help text.
std::string UsageText();

}  // namespace ihub::bench
