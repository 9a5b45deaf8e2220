#include "tools/ihub_bench/dataset.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <random>

namespace ihub::bench {
namespace {

constexpr const char kMagic[] = "ihub-bench-seed 1";

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

// Splits `line` at single spaces into up to `n` fields; returns how many were found.
size_t Split(std::string_view line, std::string_view* fields, size_t n) {
  size_t count = 0;
  while (!line.empty() && count < n) {
    const size_t sp = line.find(' ');
    fields[count++] = line.substr(0, sp);
    line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
  }
  return line.empty() ? count : n + 1;
}

bool ParseIndex(std::string_view s, size_t limit, uint32_t* out) {
  uint64_t v = 0;
  if (s.empty() || s.size() > 10) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v >= limit) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

// Parses one record line into `d`; false when it is malformed.
bool ParseRecord(std::string_view line, Dataset& d) {
  std::string_view f[4];
  const size_t n = Split(line, f, 4);
  uint32_t index = 0;
  if (n == 3 && f[0] == "org") {
    d.org_ids.Add(f[1]);
    d.org_keys.Add(f[2]);
  } else if (n == 4 && f[0] == "client" && ParseIndex(f[1], d.orgs(), &index)) {
    d.client_org.push_back(index);
    d.client_keys.Add(f[2]);
    d.client_secrets.Add(f[3]);
  } else if (n == 3 && f[0] == "token" && ParseIndex(f[1], d.clients(), &index)) {
    d.token_client.push_back(index);
    d.tokens.Add(f[2]);
  } else {
    return false;
  }
  return true;
}

std::string RandomString(std::mt19937_64& rng, std::string_view prefix, size_t n) {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string s(prefix);
  for (size_t i = 0; i < n; ++i) s.push_back(kAlphabet[rng() % 62]);
  return s;
}

}  // namespace

Status SaveDataset(const Dataset& d, const std::string& path) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot create " + tmp);
  File f(fdopen(fd, "w"));
  if (!f) {
    ::close(fd);
    return Status::Internal("cannot open " + tmp);
  }
  std::fprintf(f.get(), "%s\n", kMagic);
  auto put = [&](std::string_view kind, uint64_t index, bool with_index, std::string_view a,
                 std::string_view b) {
    if (with_index)
      std::fprintf(f.get(), "%.*s %llu %.*s", int(kind.size()), kind.data(),
                   static_cast<unsigned long long>(index), int(a.size()), a.data());
    else
      std::fprintf(f.get(), "%.*s %.*s", int(kind.size()), kind.data(), int(a.size()), a.data());
    if (!b.empty()) std::fprintf(f.get(), " %.*s", int(b.size()), b.data());
    std::fputc('\n', f.get());
  };
  for (size_t i = 0; i < d.orgs(); ++i) put("org", 0, false, d.org_ids[i], d.org_keys[i]);
  for (size_t i = 0; i < d.clients(); ++i)
    put("client", d.client_org[i], true, d.client_keys[i], d.client_secrets[i]);
  for (size_t i = 0; i < d.token_count(); ++i) put("token", d.token_client[i], true, d.tokens[i], {});
  if (std::fflush(f.get()) != 0 || std::ferror(f.get()) || ::fsync(fileno(f.get())) != 0)
    return Status::Internal("cannot write " + tmp);
  f.reset();
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Status::Internal("cannot rename to " + path);
  return Status::Ok();
}

Result<Dataset> LoadDataset(const std::string& path) {
  File f(std::fopen(path.c_str(), "r"));
  if (!f) return Status::NotFound("cannot open seed file " + path);
  Dataset d;
  char* line = nullptr;
  size_t cap = 0;
  ssize_t len = 0;
  uint64_t line_no = 0;
  Status status;
  while ((len = getline(&line, &cap, f.get())) >= 0) {
    ++line_no;
    std::string_view l(line, static_cast<size_t>(len));
    if (l.ends_with('\n')) l.remove_suffix(1);
    const bool ok = line_no == 1 ? l == kMagic : ParseRecord(l, d);
    if (!ok) {
      // The line holds secrets: name its number only.
      status = Status::InvalidArgument(path + ": bad record on line " + std::to_string(line_no));
      break;
    }
  }
  std::free(line);
  if (!status.ok()) return status;
  if (line_no == 0) return Status::InvalidArgument(path + " is empty");
  return d;
}

Dataset SyntheticDataset(int64_t orgs, int64_t clients, int64_t tokens) {
  std::mt19937_64 rng(std::random_device{}());
  Dataset d;
  for (int64_t i = 0; i < orgs; ++i) {
    d.org_ids.Add(RandomString(rng, "", 22));
    d.org_keys.Add(RandomString(rng, "ihk_", 40));
  }
  for (int64_t i = 0; i < clients; ++i) {
    d.client_org.push_back(static_cast<uint32_t>(i % orgs));
    d.client_keys.Add(RandomString(rng, "", 25));
    d.client_secrets.Add(RandomString(rng, "", 40));
  }
  d.tokens.Reserve(tokens, tokens * 56);
  for (int64_t i = 0; i < tokens; ++i) {
    d.token_client.push_back(static_cast<uint32_t>(i % clients));
    d.tokens.Add(RandomString(rng, "ihat_", 50));
  }
  return d;
}

}  // namespace ihub::bench
