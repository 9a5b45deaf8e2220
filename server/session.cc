// Session: read -> parse -> route -> queue -> write, all on the connection's loop.
#include "server/session.h"

#include <vector>

#include <boost/asio/post.hpp>

#include "server/envelopes.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/services.h"

namespace ihub {
namespace {

constexpr size_t kReadChunk = 16 * 1024;
// Input drained while lingering (kLingerTime) before the connection is closed anyway.
constexpr size_t kLingerBytes = 1 << 20;

const std::string kUnmatchedLabel = "unmatched";

}  // namespace

Session::Session(LoopSocket socket, IoLoop& loop, ServerShared& shared)
    : socket_(std::move(socket)), loop_(loop), shared_(shared) {}

Session::~Session() {
  if (!closed_) {
    // Only reached when the io_context is torn down with this session still
    // open; the loop thread has stopped, so touching loop state is safe.
    loop_.sessions.erase(this);
    shared_.open_connections.fetch_sub(1, std::memory_order_relaxed);
  }
}

void Session::Start() {
  loop_.sessions.emplace(this, weak_from_this());
  loop_.metrics->ConnectionOpened();
  beast::error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
  socket_.non_blocking(true, ec);  // WriteReady tries each write at once (see there)
  if (loop_.draining) {
    BeginDrain();
    return;
  }
  Pump();
}

bool Session::Idle() const {
  return count_ == 0 && !writing_ && buffer_.size() == 0 && (!parser_ || !parser_->got_some());
}

void Session::BeginDrain() {
  draining_ = true;
  if (Idle()) {
    Close();
    return;
  }
  if (!parser_ || !parser_->got_some()) {
    no_more_requests_ = true;
    CloseWhenDone();
  }
}

void Session::ForceClose() { Close(); }

void Session::SweepTimeouts(IoLoop& loop) {
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<Session>> expired;
  for (auto& [ptr, weak] : loop.sessions) {
    if (ptr->deadline_ < now && (ptr->reading_ || ptr->writing_)) {
      if (auto s = weak.lock()) expired.push_back(std::move(s));
    }
  }
  for (auto& s : expired) s->Close();  // cancels the pending read or write
  loop.sweep_timer.expires_after(kSweepPeriod);
  loop.sweep_timer.async_wait([&loop](beast::error_code ec) {
    if (!ec) SweepTimeouts(loop);
  });
}

// Parses and dispatches every complete request the buffer holds, then writes every answer that is
// ready (pipelined ones together), and goes round again while a write that completed at once has
// freed ring slots. Re-entered from a handler that finished inside the loop, it returns: the loop
// writes that answer.
void Session::Pump() {
  if (pumping_) return;
  pumping_ = true;
  do {
    pump_again_ = false;
    ReadRequests();
    WriteReady();
  } while (pump_again_ && !closed_);
  pumping_ = false;
}

// Stops while the answer ring is full; a finished write pumps again to resume.
void Session::ReadRequests() {
  while (!closed_ && !reading_ && !no_more_requests_ && count_ < kQueueLimit) {
    if (draining_ && (!parser_ || !parser_->got_some()) && buffer_.size() == 0) {
      no_more_requests_ = true;
      break;
    }
    if (buffer_.size() == 0) {
      // An answer still being computed (a token waiting for its journal write) means the client
      // is waiting too: a read now would only fail with EAGAIN. OnWrite pumps again once it is out.
      if (AwaitingAnswer()) return;
      ReadLater();
      return;
    }
    if (!parser_) {
      parser_.emplace(Incoming());  // count_ < kQueueLimit: the slot is free
      parser_->header_limit(kSessionHeaderLimit);
      parser_->body_limit(shared_.max_body);
      parser_->eager(true);  // header and body in one put() when both are buffered
      header_checked_ = false;
      header_deadline_ = std::chrono::steady_clock::now() + shared_.header_timeout;
    }
    beast::error_code ec;
    auto data = buffer_.data();
    size_t n = parser_->put(data, ec);
    if (ec == bhttp::error::need_more) {
      buffer_.consume(n);
      StartRead();
      return;
    }
    if (ec) {
      RejectParseError(ec);
      return;
    }
    buffer_.consume(n);
    if (parser_->is_header_done() && !header_checked_) {
      header_checked_ = true;
      if (!CheckHeader()) return;
    }
    if (parser_->is_done()) {
      Dispatch();
      if (draining_) no_more_requests_ = true;
      continue;
    }
    if (n == 0) {  // no progress without more input
      StartRead();
      return;
    }
  }
  CloseWhenDone();
}

bool Session::AwaitingAnswer() const {
  for (int i = 0; i < count_; ++i) {
    if (!queue_[(head_ + i) % kQueueLimit].ready) return true;
  }
  return false;
}

void Session::StartRead() {
  reading_ = true;
  if (lingering_) {
    deadline_ = std::chrono::steady_clock::now() + kLingerTime;
  } else if (parser_ && !parser_->is_header_done()) {
    deadline_ = header_deadline_;
  } else {
    deadline_ = std::chrono::steady_clock::now() + shared_.idle_timeout;
  }
  socket_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            self->OnRead(ec, n);
                          });
}

// Reads after the handlers already queued on this loop have run, and the loop has polled once
// more. A read started at once, just after the answer went out, nearly always finds nothing yet:
// a recv that fails with EAGAIN, then a wait. Started later, under load it usually finds the next
// request already there (docs/performance.md), so it is tried at once on the non-blocking socket,
// without an asynchronous read's operation and its completion's trip through the loop; only a
// read that finds nothing waits asynchronously.
void Session::ReadLater() {
  reading_ = true;
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->closed_) {
      self->reading_ = false;
      return;
    }
    self->ReadNowOrWait();
  });
}

void Session::ReadNowOrWait() {
  beast::error_code ec;
  const size_t n = socket_.read_some(buffer_.prepare(kReadChunk), ec);
  if (WouldBlock(ec)) {
    StartRead();
    return;
  }
  OnRead(ec, n);
}

void Session::OnRead(beast::error_code ec, size_t n) {
  reading_ = false;
  if (closed_) return;
  if (lingering_) {
    lingered_ += n;
    if (ec || lingered_ > kLingerBytes) {
      Close();
    } else {
      buffer_.clear();
      StartRead();
    }
    return;
  }
  if (ec == net::error::eof) {
    eof_ = true;
    no_more_requests_ = true;
    CloseWhenDone();
    return;
  }
  if (ec) {  // timeout, reset, or cancelled by Close
    Close();
    return;
  }
  buffer_.commit(n);
  Pump();
}

Session::Pending& Session::Push() {
  Pending& p = queue_[(head_ + count_) % kQueueLimit];
  ++count_;
  p.start = std::chrono::steady_clock::now();
  p.serial = next_serial_++;
  p.ready = false;
  p.keep_alive = true;
  p.route_label = &kUnmatchedLabel;
  return p;
}

void Session::Dispatch() {
  Pending& p = Push();  // the slot the parser filled
  parser_.reset();
  AssignRequestId(p);
  p.keep_alive = p.request.keep_alive() && !draining_;

  std::string_view target = p.request.target();
  size_t qmark = target.find('?');
  std::string_view path = target.substr(0, qmark);
  std::string_view query = qmark == std::string_view::npos ? std::string_view() : target.substr(qmark + 1);
  const bhttp::verb method = p.request.method();
  Router::Match m = shared_.router.Find(method, path);
  Metrics& metrics = shared_.services.metrics;

  if (m.route == nullptr) {
    p.metrics_slot = metrics.UnmatchedSlot(m.family);
    if (m.path_known && method == bhttp::verb::options) {
      p.response = HttpResponse{bhttp::status::no_content, 11};  // version framed by AppendResponse
      p.response.set(bhttp::field::allow, m.allow);
    } else if (m.path_known) {
      p.response = MakeErrorResponse(m.family, bhttp::status::method_not_allowed,
                                     "METHOD_NOT_ALLOWED", "method not allowed on this path");
      p.response.set(bhttp::field::allow, m.allow);
    } else {
      p.response = MakeErrorResponse(m.family, bhttp::status::not_found, "NOT_FOUND",
                                     "no such endpoint");
    }
  } else {
    p.route_label = &m.route->path_template;
    p.metrics_slot = metrics.RouteSlot(m.route->id);
    if (m.route->family != ApiFamily::kOps &&
        !shared_.services.ready.load(std::memory_order_acquire)) {
      p.response = MakeErrorResponse(m.route->family, bhttp::status::service_unavailable,
                                     "UNAVAILABLE", "server is starting, retry shortly");
      p.response.set(bhttp::field::retry_after, "1");
    } else {
      RunHandler(p, *m.route, path, query, m.params);
      return;
    }
  }
  Finish(p);
}

void Session::RunHandler(Pending& p, const Route& route, std::string_view path,
                         std::string_view query, const PathParams& params) {
  RequestContext ctx{p.request, path, query, params, p.request_id_view(), &route};
  Reply reply;
  bool failed = false;
  try {
    reply = route.handler(shared_.services, ctx);
  } catch (const std::exception&) {
    failed = true;  // what() is not logged: it might quote request data
  }
  const uint64_t serial = p.serial;
  auto ex = loop_.ioc.get_executor();
  if (!failed && reply.deferred) {
    Completion done = [self = shared_from_this(), ex, serial](HttpResponse res) {
      net::post(ex, [self, serial, res = std::move(res)]() mutable {
        self->Complete(serial, std::move(res));
      });
    };
    try {
      reply.deferred(std::move(done));
      return;
    } catch (const std::exception&) {
      failed = true;
    }
  }
  if (failed) {
    Log(LogLevel::kError, "handler threw", {{"route", route.path_template}});
    p.response = MakeErrorResponse(route.family, bhttp::status::internal_server_error, "INTERNAL",
                                   "internal error");
    Finish(p);
    return;
  }
  p.response = std::move(reply.response);
  if (reply.durable_seq != 0 && shared_.services.when_durable) {
    // Held (with every later answer on this connection) until durable.
    shared_.services.when_durable(reply.durable_seq, [self = shared_from_this(), ex, serial] {
      net::post(ex, [self, serial] { self->Complete(serial, std::nullopt); });
    });
    return;
  }
  Finish(p);
}

void Session::Complete(uint64_t serial, std::optional<HttpResponse> response) {
  if (closed_) return;
  for (int i = 0; i < count_; ++i) {
    Pending& p = queue_[(head_ + i) % kQueueLimit];
    if (p.serial != serial || p.ready) continue;
    if (response) p.response = std::move(*response);
    Finish(p);
    return;
  }
}

}  // namespace ihub
