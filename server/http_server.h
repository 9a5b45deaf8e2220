// HttpServer: --threads event loops (one io_context each, run by one thread),
// one acceptor handing connections round-robin to the loops, and graceful
// shutdown on SIGTERM/SIGINT (API-DECISIONS item 112): stop accepting, let
// in-flight requests finish for at most 10 s, close idle keep-alive
// connections, then return from Run() so main can snapshot and exit 0.
//
// Thread-safety: construct, Listen and Run on one thread (main). Stop may be
// called from any thread. Handlers run on the io threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "store/status.h"

namespace ihub {

struct Services;
class Router;

class HttpServer {
 public:
  static constexpr std::chrono::seconds kDrainLimit{10};

  // REQUIRES: every route is added to router; services and router outlive this.
  HttpServer(Services& services, const Router& router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens on config.listen. Returns the bound port (the real one
  // when the config says port 0), or an error naming the address.
  Result<uint16_t> Listen();

  // Serves until SIGTERM/SIGINT or Stop(), then drains and returns.
  // REQUIRES: Listen succeeded.
  void Run();

  // Starts the graceful shutdown; Run() returns once it ends.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ihub
