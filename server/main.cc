// ihubd: parse the config, prepare the data dir, build Services and routes,
// listen, serve until SIGTERM/SIGINT, exit 0. The steps that belong to the
// store, the clock and auth have their own functions below, so wiring them in
// keeps main() short.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "server/auth.h"
#include "server/config.h"
#include "server/http_server.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "server/persistence_service.h"
#include "server/router.h"
#include "server/routes.h"
#include "server/services.h"
#include "server/token_auth.h"

namespace ihub {
namespace {

// Creates the data dir (mode 0700) when missing. Returns false after logging why.
bool PrepareDataDir(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return true;
  if (!std::filesystem::create_directories(dir, ec) && ec) {
    Log(LogLevel::kError, "cannot create data dir", {{"path", dir}, {"error", ec.message()}});
    return false;
  }
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  return true;
}

// Opens the store, clock, keys and journal and points services at them.
// Returns false after logging why. (Store/Clock/auth wiring goes here.)
bool OpenServices(Config& config, Services& services) {
  if (!OpenPersistence(config, services)) return false;
  if (Status s = LoadRootKey(services, config.data_dir); !s.ok()) {
    Log(LogLevel::kError, "cannot load the root key", {{"error", s.message()}});
    return false;
  }
  return true;
}

// Restores the newest snapshot and the journal, then sets services.ready.
// Runs after the server listens, so /livez and /readyz answer meanwhile.
void RestoreAndMarkReady(Services& services, HttpServer& server) {
  StartRestore(services, [&server] { server.Stop(); });
}

// After the server stopped: final snapshot, journal close.
// Returns the exit code.
int CloseServices(Services& services) { return ClosePersistence(services); }

int Main(int argc, char** argv) {
  ConfigOutcome parsed = ParseConfig(std::vector<std::string>(argv + 1, argv + argc),
                                     [](const char* name) { return std::getenv(name); });
  switch (parsed.action) {
    case ConfigOutcome::Action::kHelp:
    case ConfigOutcome::Action::kVersion:
      std::fputs(parsed.message.c_str(), stdout);
      return 0;
    case ConfigOutcome::Action::kError:
      std::fprintf(stderr, "ihubd: %s\n", parsed.message.c_str());
      return 2;
    case ConfigOutcome::Action::kRun:
      break;
  }
  Config& config = parsed.config;
  SetAccessLog(config.access_log);
  StartLogFlusher();
  if (!PrepareDataDir(config.data_dir)) return 1;

  Metrics metrics;
  Services services(config, metrics);
  if (!OpenServices(config, services)) return 1;
  OAuthState oauth;  // throttle and counters; outlives the server
  InstallOAuth(services, metrics, oauth);
  Router router;
  RegisterAllRoutes(router);
  HttpServer server(services, router);
  Result<uint16_t> port = server.Listen();
  if (!port.ok()) {
    Log(LogLevel::kError, "cannot listen", {{"error", port.status().message()}});
    StopLogFlusher();
    return 1;
  }
  if (config.issuer_defaulted) {
    config.issuer = "http://" + config.listen_host + ":" + std::to_string(*port);
  }
  Log(LogLevel::kInfo, "listening",
      {{"address", config.listen_host}, {"port", *port}, {"threads", config.threads}});
  RestoreAndMarkReady(services, server);
  TokenReclaimer reclaimer;  // expired tokens leave memory in the background (item 37)
  reclaimer.Start(services);
  server.Run();
  reclaimer.Stop();
  int code = CloseServices(services);
  Log(LogLevel::kInfo, "stopped", {{"exit_code", code}});
  StopLogFlusher();
  return code;
}

}  // namespace
}  // namespace ihub

int main(int argc, char** argv) { return ihub::Main(argc, argv); }
