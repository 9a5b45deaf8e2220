// Listener: the one acceptor. It runs on its home loop and hands each new
// socket round-robin to an io loop (the socket is created bound to that loop's
// io_context, so the connection never changes thread afterwards). Beyond
// --max-connections a new connection is closed at once.
//
// Thread-safety: Open runs before the loops start; Start and Stop may be
// called from any thread (they post to the home loop).
#pragma once

#include <memory>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/session.h"

namespace ihub {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(IoLoop& home, std::vector<IoLoop*> loops, ServerShared& shared);

  // Binds and listens on endpoint. Returns the error, if any.
  beast::error_code Open(const tcp::endpoint& endpoint);
  // The bound port. REQUIRES: Open succeeded.
  uint16_t port() const;

  void Start();
  void Stop();

 private:
  void Accept();
  void OnAccept(beast::error_code ec);

  IoLoop& home_;
  std::vector<IoLoop*> loops_;
  ServerShared& shared_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  size_t next_ = 0;
  bool stopped_ = false;  // home loop only
};

}  // namespace ihub
