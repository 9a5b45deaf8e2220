// HttpServer: loops, threads, signals and the shutdown sequence.
//
// Shutdown runs on the control io_context (the thread that called Run):
//   1. the listener closes; 2. each loop marks itself draining and tells every
//   session (idle ones close at once, busy ones finish and close); 3. each loop
//   reports once its last session closed; 4. when all have, or after
//   kDrainLimit, the loops stop and Run() returns.
#include "server/http_server.h"

#include <csignal>
#include <random>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/config.h"
#include "server/listener.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/services.h"

namespace ihub {

using WorkGuard = net::executor_work_guard<net::io_context::executor_type>;

namespace {
// The loop's sessions, copied first because closing one removes it from the map.
std::vector<std::shared_ptr<Session>> LiveSessions(IoLoop& loop) {
  std::vector<std::shared_ptr<Session>> out;
  for (auto& [ptr, weak] : loop.sessions) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}
}  // namespace

struct HttpServer::Impl {
  Impl(Services& services, const Router& router)
      : shared{services,
               router,
               services.config.max_body,
               std::chrono::seconds(services.config.idle_timeout_s),
               std::chrono::seconds(services.config.header_timeout_s),
               services.config.max_connections,
               std::random_device{}()},
        control(1),
        signals(control, SIGINT, SIGTERM),
        deadline(control) {}

  void BeginShutdown();
  void ForceCloseAll();
  void Finish();

  ServerShared shared;
  std::vector<std::unique_ptr<IoLoop>> loops;
  std::vector<WorkGuard> guards;
  std::shared_ptr<Listener> listener;
  net::io_context control;  // signals and the shutdown sequence
  net::signal_set signals;
  net::steady_timer deadline;
  // Control thread only.
  bool stopping = false;
  size_t drained_loops = 0;
};

HttpServer::HttpServer(Services& services, const Router& router)
    : impl_(std::make_unique<Impl>(services, router)) {
  services.metrics.Configure(router);
  const int threads = std::max(1, services.config.threads);
  std::vector<IoLoop*> raw;
  for (int i = 0; i < threads; ++i) {
    impl_->loops.push_back(std::make_unique<IoLoop>(i));
    impl_->loops.back()->metrics = services.metrics.AddShard();
    raw.push_back(impl_->loops.back().get());
  }
  // The acceptor shares loop 0: accepting is rare next to serving requests.
  impl_->listener = std::make_shared<Listener>(*raw[0], raw, impl_->shared);
  Services* s = &services;
  services.metrics.AddCallback("ihub_ready", "1 once the store is restored and serving.",
                               Metrics::Type::kGauge, [s](std::vector<Metrics::Sample>& out) {
                                 out.push_back({"", s->ready.load() ? 1.0 : 0.0});
                               });
}

HttpServer::~HttpServer() = default;

Result<uint16_t> HttpServer::Listen() {
  const Config& config = impl_->shared.services.config;
  beast::error_code ec;
  auto address = net::ip::make_address(config.listen_host, ec);
  if (ec) return Status::InvalidArgument("invalid listen address " + config.listen_host);
  ec = impl_->listener->Open(tcp::endpoint(address, config.listen_port));
  if (ec) {
    return Status::Unavailable("cannot listen on " + config.listen_host + ":" +
                               std::to_string(config.listen_port) + ": " + ec.message());
  }
  return impl_->listener->port();
}

void HttpServer::Run() {
  Impl& im = *impl_;
  im.signals.async_wait([&im](beast::error_code ec, int signal) {
    if (ec) return;
    Log(LogLevel::kInfo, "shutting down", {{"signal", signal}});
    im.BeginShutdown();
  });
  WorkGuard control_guard(im.control.get_executor());
  std::vector<std::thread> threads;
  for (auto& loop : im.loops) {
    im.guards.emplace_back(loop->ioc.get_executor());
    net::post(loop->ioc, [l = loop.get()] { Session::SweepTimeouts(*l); });
    threads.emplace_back([l = loop.get()] { l->ioc.run(); });
  }
  im.listener->Start();
  im.control.run();
  for (auto& t : threads) t.join();
}

void HttpServer::Stop() {
  net::post(impl_->control, [im = impl_.get()] { im->BeginShutdown(); });
}

void HttpServer::Impl::BeginShutdown() {
  if (stopping) return;
  stopping = true;
  listener->Stop();
  for (auto& loop : loops) {
    net::post(loop->ioc, [this, l = loop.get()] {
      l->draining = true;
      l->on_drained = [this] {
        net::post(control, [this] {
          if (++drained_loops == loops.size()) Finish();
        });
      };
      for (auto& s : LiveSessions(*l)) s->BeginDrain();
      if (l->sessions.empty() && l->on_drained) {
        auto done = std::move(l->on_drained);
        l->on_drained = nullptr;
        done();
      }
    });
  }
  deadline.expires_after(kDrainLimit);
  deadline.async_wait([this](beast::error_code ec) {
    if (!ec) ForceCloseAll();
  });
}

void HttpServer::Impl::ForceCloseAll() {
  Log(LogLevel::kWarn, "drain limit reached; closing remaining connections",
      {{"limit_s", kDrainLimit.count()}});
  for (auto& loop : loops) {
    net::post(loop->ioc, [l = loop.get()] {
      for (auto& s : LiveSessions(*l)) s->ForceClose();
      l->sessions.clear();
      if (l->on_drained) {
        auto done = std::move(l->on_drained);
        l->on_drained = nullptr;
        done();
      }
    });
  }
}

void HttpServer::Impl::Finish() {
  deadline.cancel();
  signals.cancel();
  for (auto& g : guards) g.reset();
  for (auto& loop : loops) loop->ioc.stop();
  control.stop();
}

}  // namespace ihub
