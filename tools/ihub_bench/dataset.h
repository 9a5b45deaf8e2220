// Dataset: what ihub-bench seeded (orgs with their API keys, API clients, access tokens), held
// compactly so a million tokens cost their bytes and little more, and saved to or loaded from a
// seed file so the same requests can be replayed against another server.
//
// Seed file: text, one record a line, fields separated by one space:
//   ihub-bench-seed 1
//   org <orgId> <apiKey>
//   client <orgIndex> <clientKey> <clientSecret>
//   token <clientIndex> <accessToken>
// Indexes count records of the kind before, from 0. The file holds secrets: it is written with
// mode 0600, and nothing in ihub-bench ever prints its values.
//
// Thread-safety: built by one thread; read-only (and so shareable) once built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"

namespace ihub::bench {

// Many short strings in one arena: index -> view.
class StringTable {
 public:
  void Add(std::string_view s) {
    offsets_.push_back(static_cast<uint64_t>(bytes_.size()));
    bytes_.append(s);
  }
  std::string_view operator[](size_t i) const {
    const uint64_t end = i + 1 < offsets_.size() ? offsets_[i + 1] : bytes_.size();
    return std::string_view(bytes_).substr(offsets_[i], end - offsets_[i]);
  }
  size_t size() const { return offsets_.size(); }
  void Reserve(size_t n, size_t bytes) {
    offsets_.reserve(n);
    bytes_.reserve(bytes);
  }

 private:
  std::string bytes_;
  std::vector<uint64_t> offsets_;
};

struct Dataset {
  StringTable org_ids, org_keys;               // per org
  StringTable client_keys, client_secrets;     // per client
  std::vector<uint32_t> client_org;            // per client: its org index
  StringTable tokens;                          // per token
  std::vector<uint32_t> token_client;          // per token: its client index

  size_t orgs() const { return org_ids.size(); }
  size_t clients() const { return client_keys.size(); }
  size_t token_count() const { return tokens.size(); }
};

// Writes `d` to `path` (mode 0600, via a temporary file renamed into place).
Status SaveDataset(const Dataset& d, const std::string& path);
// Reads a file written by SaveDataset; checks every index.
Result<Dataset> LoadDataset(const std::string& path);
// Makes a dataset of random values shaped like ihub's (for servers that answer a fixed reply):
// clients spread round-robin over orgs, tokens round-robin over clients.
Dataset SyntheticDataset(int64_t orgs, int64_t clients, int64_t tokens);

}  // namespace ihub::bench
