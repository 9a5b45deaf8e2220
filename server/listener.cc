// Listener: accept loop with round-robin hand-off to the io loops.
#include "server/listener.h"

#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>

#include "server/logging.h"

namespace ihub {

Listener::Listener(IoLoop& home, std::vector<IoLoop*> loops, ServerShared& shared)
    : home_(home), loops_(std::move(loops)), shared_(shared), acceptor_(home.ioc), retry_timer_(home.ioc) {}

beast::error_code Listener::Open(const tcp::endpoint& endpoint) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  return ec;
}

uint16_t Listener::port() const {
  beast::error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void Listener::Start() {
  net::post(home_.ioc, [self = shared_from_this()] { self->Accept(); });
}

void Listener::Stop() {
  net::post(home_.ioc, [self = shared_from_this()] {
    self->stopped_ = true;
    self->retry_timer_.cancel();
    beast::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::Accept() {
  if (stopped_) return;
  IoLoop& target = *loops_[next_];
  next_ = (next_ + 1) % loops_.size();
  acceptor_.async_accept(target.ioc, [self = shared_from_this(), &target](
                                         beast::error_code ec, LoopSocket socket) {
    if (!ec && !self->stopped_) {
      if (self->shared_.open_connections.fetch_add(1, std::memory_order_relaxed) >=
          self->shared_.max_connections) {
        self->shared_.open_connections.fetch_sub(1, std::memory_order_relaxed);
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        ServerShared& shared = self->shared_;
        net::post(target.ioc, [&target, &shared, s = std::move(socket)]() mutable {
          std::make_shared<Session>(std::move(s), target, shared)->Start();
        });
      }
    }
    self->OnAccept(ec);
  });
}

void Listener::OnAccept(beast::error_code ec) {
  if (stopped_ || ec == net::error::operation_aborted) return;
  if (!ec) {
    Accept();
    return;
  }
  // EMFILE and friends: keep serving, but back off instead of spinning.
  Log(LogLevel::kWarn, "accept failed", {{"error", ec.message()}});
  retry_timer_.expires_after(std::chrono::milliseconds(50));
  retry_timer_.async_wait([self = shared_from_this()](beast::error_code) { self->Accept(); });
}

}  // namespace ihub
