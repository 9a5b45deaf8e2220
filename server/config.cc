// Config parsing: one table of flags drives flags, env, the file and --help.
#include "server/config.h"

#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <string_view>
#include <thread>

#include <simdjson.h>

namespace ihub {
namespace {

// Applies a value to the config; returns an error description or "".
using Setter = std::string (*)(Config&, const std::string&);

struct Flag {
  const char* name;
  const char* arg;
  const char* help;
  Setter set;
};

template <typename T>
std::optional<T> ParseInt(std::string_view s) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string SetInt(int& field, const std::string& v, long lo, long hi) {
  auto n = ParseInt<long>(v);
  if (!n || *n < lo || *n > hi) {
    return "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  }
  field = static_cast<int>(*n);
  return "";
}

std::string SetListen(Config& c, const std::string& v) {
  size_t colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) return "expected host:port";
  std::string host = v.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  auto port = ParseInt<unsigned>(std::string_view(v).substr(colon + 1));
  if (!port || *port > 65535) return "expected host:port with a port from 0 to 65535";
  c.listen_host = host == "localhost" ? "127.0.0.1" : host;
  c.listen_port = static_cast<uint16_t>(*port);
  return "";
}

std::string SetMaxBody(Config& c, const std::string& v) {
  std::string_view s = v;
  uint64_t mult = 1;
  auto strip = [&](std::string_view suffix, uint64_t m) {
    if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
      s.remove_suffix(suffix.size());
      mult = m;
      return true;
    }
    return false;
  };
  strip("KiB", 1024) || strip("k", 1024) || strip("K", 1024) || strip("MiB", 1 << 20) ||
      strip("m", 1 << 20) || strip("M", 1 << 20);
  auto n = ParseInt<uint64_t>(s);
  constexpr uint64_t kMax = uint64_t{1} << 30;
  if (!n || *n == 0 || *n > kMax / mult) return "expected a size from 1 byte to 1GiB (e.g. 1048576, 512K, 4M)";
  c.max_body = static_cast<size_t>(*n * mult);
  return "";
}

std::string SetFsync(Config& c, const std::string& v) {
  if (v == "always") c.fsync = FsyncMode::kAlways;
  else if (v == "batch") c.fsync = FsyncMode::kBatch;
  else if (v == "none") c.fsync = FsyncMode::kNone;
  else return "expected always, batch or none";
  return "";
}

std::string SetAccessLog(Config& c, const std::string& v) {
  if (v == "on" || v == "true") c.access_log = true;
  else if (v == "off" || v == "false") c.access_log = false;
  else return "expected on or off";
  return "";
}

std::string SetNonEmpty(std::string& field, const std::string& v) {
  if (v.empty()) return "expected a non-empty value";
  field = v;
  return "";
}

const Flag kFlags[] = {
    {"listen", "HOST:PORT", "address to listen on; port 0 picks a free port (default 127.0.0.1:8080)",
     SetListen},
    {"threads", "N", "io threads, one event loop each (default: number of cores)",
     [](Config& c, const std::string& v) { return SetInt(c.threads, v, 1, 1024); }},
    {"data-dir", "DIR", "snapshots, journal and keys (default ./data)",
     [](Config& c, const std::string& v) { return SetNonEmpty(c.data_dir, v); }},
    {"snapshot-interval", "SECONDS", "seconds between snapshots, 0 = never (default 300)",
     [](Config& c, const std::string& v) { return SetInt(c.snapshot_interval_s, v, 0, 86400 * 365); }},
    {"snapshot-keep", "N", "snapshots kept (default 5)",
     [](Config& c, const std::string& v) { return SetInt(c.snapshot_keep, v, 1, 10000); }},
    {"fsync", "always|batch|none", "journal durability before a write is acknowledged (default batch)",
     SetFsync},
    {"group-commit-delay", "MICROSECONDS",
     "fsync batch: how long a sync may wait to gather concurrent writes (default 0 = never)",
     [](Config& c, const std::string& v) { return SetInt(c.group_commit_delay_us, v, 0, 100000); }},
    {"issuer", "URL", "OAuth issuer (default http://<listen>)",
     [](Config& c, const std::string& v) {
       c.issuer_defaulted = false;
       return SetNonEmpty(c.issuer, v);
     }},
    {"max-body", "BYTES", "largest request body, larger ones answer 413 (default 1MiB)", SetMaxBody},
    {"max-connections", "N", "open connections beyond this are closed at once (default 10000)",
     [](Config& c, const std::string& v) { return SetInt(c.max_connections, v, 1, 10000000); }},
    {"idle-timeout", "SECONDS", "close a keep-alive connection idle this long (default 60)",
     [](Config& c, const std::string& v) { return SetInt(c.idle_timeout_s, v, 1, 86400); }},
    {"header-timeout", "SECONDS", "time allowed to send a request's headers (default 10)",
     [](Config& c, const std::string& v) { return SetInt(c.header_timeout_s, v, 1, 3600); }},
    {"encryption-key-file", "FILE", "AES-256 key for secrets at rest (else env IHUB_ENCRYPTION_KEY or <data-dir>/data.key)",
     [](Config& c, const std::string& v) { return SetNonEmpty(c.encryption_key_file, v); }},
    {"access-log", "on|off", "one log line per request (default on)", SetAccessLog},
    {"config", "FILE", "JSON file of flag values keyed by flag name",
     [](Config& c, const std::string& v) { return SetNonEmpty(c.config_file, v); }},
};

const Flag* FindFlag(std::string_view name) {
  for (const Flag& f : kFlags) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

std::string EnvName(std::string_view flag) {
  std::string name = "IHUB_";
  for (char c : flag) name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

struct Value {
  std::string text;
  std::string origin;  // "--threads", "env IHUB_THREADS", "config file x.json"
};

// Reads the JSON config file into `values` (keyed by flag name).
std::string LoadFile(const std::string& path, std::map<std::string, Value>& values) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.load(path).get(doc); err) {
    return "cannot read config file " + path + ": " + simdjson::error_message(err);
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj)) return "config file " + path + " must hold a JSON object";
  for (auto [key, value] : obj) {
    std::string name(key);
    if (FindFlag(name) == nullptr || name == "config") {
      return "config file " + path + ": unknown key \"" + name + "\"";
    }
    std::string text;
    switch (value.type()) {
      case simdjson::dom::element_type::STRING: text = std::string(value.get_string().value()); break;
      case simdjson::dom::element_type::INT64: text = std::to_string(value.get_int64().value()); break;
      case simdjson::dom::element_type::UINT64: text = std::to_string(value.get_uint64().value()); break;
      case simdjson::dom::element_type::BOOL: text = value.get_bool().value() ? "true" : "false"; break;
      default: return "config file " + path + ": \"" + name + "\" must be a string, integer or boolean";
    }
    values[name] = {text, "config file " + path};
  }
  return "";
}

ConfigOutcome Error(std::string message) {
  ConfigOutcome out;
  out.action = ConfigOutcome::Action::kError;
  out.message = std::move(message);
  return out;
}

}  // namespace

const char* FsyncModeName(FsyncMode mode) {
  switch (mode) {
    case FsyncMode::kAlways: return "always";
    case FsyncMode::kBatch: return "batch";
    case FsyncMode::kNone: return "none";
  }
  return "batch";
}

std::string ConfigHelp() {
  std::string out =
      "Usage: ihubd [flags]\n\nEvery flag can also be set by env IHUB_<FLAG> (e.g. IHUB_DATA_DIR)\n"
      "or in the --config JSON file; precedence: flag > env > file > default.\n\n";
  for (const Flag& f : kFlags) {
    std::string left = std::string("  --") + f.name + " " + f.arg;
    if (left.size() < 34) left.resize(34, ' ');
    out += left + " " + f.help + "\n";
  }
  out += "  --help                             this text\n  --version                          print the version\n";
  return out;
}

ConfigOutcome ParseConfig(const std::vector<std::string>& args, const EnvLookup& env) {
  std::map<std::string, Value> flags;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") return {ConfigOutcome::Action::kHelp, {}, ConfigHelp()};
    if (arg == "--version") return {ConfigOutcome::Action::kVersion, {}, "ihubd 0.1.0\n"};
    if (arg.substr(0, 2) != "--") return Error("unexpected argument '" + std::string(arg) + "'");
    arg.remove_prefix(2);
    std::string name(arg.substr(0, arg.find('=')));
    if (FindFlag(name) == nullptr) return Error("unknown flag --" + name + " (see --help)");
    std::string value;
    if (arg.find('=') != std::string_view::npos) {
      value = std::string(arg.substr(arg.find('=') + 1));
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Error("flag --" + name + " needs a value");
    }
    flags[name] = {value, "--" + name};
  }

  std::map<std::string, Value> values;
  std::string config_path;
  if (flags.count("config")) {
    config_path = flags["config"].text;
  } else if (const char* e = env ? env("IHUB_CONFIG") : nullptr) {
    config_path = e;
  }
  if (!config_path.empty()) {
    if (std::string err = LoadFile(config_path, values); !err.empty()) return Error(err);
    values["config"] = {config_path, "--config"};
  }
  for (const Flag& f : kFlags) {
    std::string name = EnvName(f.name);
    if (const char* e = env ? env(name.c_str()) : nullptr) values[f.name] = {e, "env " + name};
  }
  for (auto& [name, v] : flags) values[name] = v;

  ConfigOutcome out;
  unsigned cores = std::thread::hardware_concurrency();
  out.config.threads = cores == 0 ? 1 : static_cast<int>(cores);
  for (const Flag& f : kFlags) {
    auto it = values.find(f.name);
    if (it == values.end()) continue;
    if (std::string err = f.set(out.config, it->second.text); !err.empty()) {
      return Error("invalid value '" + it->second.text + "' for --" + f.name + " (from " +
                   it->second.origin + "): " + err);
    }
  }
  if (out.config.issuer_defaulted) {
    const Config& c = out.config;
    bool v6 = c.listen_host.find(':') != std::string::npos;
    out.config.issuer = "http://" + (v6 ? "[" + c.listen_host + "]" : c.listen_host) + ":" +
                        std::to_string(c.listen_port);
  }
  return out;
}

}  // namespace ihub
