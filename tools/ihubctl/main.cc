// ihubctl: offline operator tool for ihub data directories.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tools/ihubctl/commands.h"

namespace ihub::ctl {
namespace {

constexpr const char* kUsage = R"(Usage: ihubctl [--data-dir DIR] COMMAND [ARGS]

Offline tools for an ihub data directory (default: $IHUB_DATA_DIR, else ./data).

Commands:
  snapshot list                      snapshots with sequence, time, size, record counts
  snapshot verify FILE               check a snapshot's header and payload checksum
  snapshot export FILE --format json [-o OUT]
                                     write the snapshot's records as JSON (secrets stay
                                     hashed or encrypted)
  snapshot restore FILE --data-dir DIR [--force]
                                     make DIR start from FILE, a snapshot or an export of
                                     one (read back from each record's "raw" bytes); refuses
                                     a non-empty DIR unless --force (which replaces its
                                     snapshots and journal)
  journal verify                     check every journal record's checksum and sequence

Options:
  --data-dir DIR   data directory
  --format json    export format (only json)
  -o, --output F   export to F instead of stdout
  --force          allow restore into a data dir that holds data
  -h, --help       this text

Exit status: 0 ok, 1 a file is damaged, 2 usage error, 3 could not read or write.
)";

int Usage(const char* error) {
  if (error != nullptr) {
    std::fprintf(stderr, "ihubctl: %s\nTry 'ihubctl --help'.\n", error);
    return kExitUsage;
  }
  std::fputs(kUsage, stdout);
  return kExitOk;
}

int Main(int argc, char** argv) {
  Options o;
  if (const char* env = std::getenv("IHUB_DATA_DIR")) o.data_dir = env;
  std::vector<std::string> words;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    if (a == "-h" || a == "--help") return Usage(nullptr);
    if (a == "--force") {
      o.force = true;
    } else if (a == "--data-dir") {
      if (!value(&o.data_dir)) return Usage("--data-dir needs a value");
    } else if (a.starts_with("--data-dir=")) {
      o.data_dir = std::string(a.substr(11));
    } else if (a == "--format") {
      if (!value(&o.format)) return Usage("--format needs a value");
    } else if (a == "-o" || a == "--output") {
      if (!value(&o.output)) return Usage("--output needs a value");
    } else if (a.size() > 1 && a[0] == '-') {
      return Usage(("unknown option " + std::string(a)).c_str());
    } else {
      words.emplace_back(a);
    }
  }
  if (o.data_dir.empty()) o.data_dir = "./data";
  if (words.size() < 2) return Usage(words.empty() ? "no command given" : "incomplete command");
  o.args.assign(words.begin() + 2, words.end());
  const std::string cmd = words[0] + " " + words[1];
  auto need = [&](size_t n) { return o.args.size() == n; };
  if (cmd == "snapshot list" && need(0)) return SnapshotList(o);
  if (cmd == "snapshot verify" && need(1)) return SnapshotVerify(o);
  if (cmd == "snapshot export" && need(1)) {
    if (o.format != "json") return Usage("only --format json is supported");
    return SnapshotExport(o);
  }
  if (cmd == "snapshot restore" && need(1)) return SnapshotRestore(o);
  if (cmd == "journal verify" && need(0)) return JournalVerify(o);
  return Usage(("bad command or arguments: " + cmd).c_str());
}

}  // namespace
}  // namespace ihub::ctl

int main(int argc, char** argv) { return ihub::ctl::Main(argc, argv); }
