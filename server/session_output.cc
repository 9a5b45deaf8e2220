// Session output: marking answers ready, framing and writing them (at once while they fit the
// socket's buffer, asynchronously after that), freeing their ring slots, and closing.
#include <boost/asio/write.hpp>

#include "server/logging.h"
#include "server/metrics.h"
#include "server/response_writer.h"
#include "server/session.h"

namespace ihub {
namespace {

// The output buffer keeps its capacity between answers up to this size.
constexpr size_t kMaxKeptOutput = 64 * 1024;

}  // namespace

// Marks an answer ready; the framing fields are written by AppendResponse.
void Session::Finish(Pending& p) {
  p.ready = true;
  Pump();  // inside the pump loop (a handler that answered at once) this returns at once
}

// Frames every ready answer at the head of the ring into out_ and writes them together: pipelined
// answers that are ready at once cost one system call. The write is tried at once on the
// non-blocking socket: an answer nearly always fits the socket's buffer, and then it is done
// without an asynchronous write's trip through the loop. What does not fit is written
// asynchronously.
void Session::WriteReady() {
  if (writing_ || closed_ || count_ == 0) return;
  const auto now = std::chrono::steady_clock::now();
  out_.clear();
  in_flight_ = 0;
  while (in_flight_ < count_) {
    Pending& p = queue_[(head_ + in_flight_) % kQueueLimit];
    if (!p.ready) break;
    ++in_flight_;
    const auto us = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(now - p.start).count());
    const unsigned code = p.response.result_int();
    loop_.metrics->Record(p.metrics_slot, p.request.method(), code, us);
    LogRequest(p.request.method_string(), *p.route_label, code, us, p.request_id_view());
    AppendResponse(p.response,
                   ResponseFraming{p.request.version(), p.keep_alive,
                                   p.request.method() == bhttp::verb::head, p.request_id_view()},
                   out_);
    if (!p.keep_alive) break;  // a closing answer ends the batch (Retire then stops reading)
  }
  if (in_flight_ == 0) return;
  beast::error_code ec;
  const size_t sent = socket_.write_some(net::buffer(out_), ec);
  if (ec && !WouldBlock(ec)) {
    Close();
    return;
  }
  if (!ec && sent == out_.size()) {
    Retire();
    pump_again_ = true;  // slots are free: parse on, or read
    return;
  }
  out_.erase(0, ec ? 0 : sent);
  writing_ = true;
  deadline_ = now + shared_.idle_timeout;
  net::async_write(socket_, net::buffer(out_),
                   [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWrite(ec); });
}

void Session::OnWrite(beast::error_code ec) {
  writing_ = false;
  if (closed_) return;
  if (ec) {
    Close();
    return;
  }
  Retire();
  Pump();
}

// Frees the ring slots of the answers out_ held, which are written.
void Session::Retire() {
  for (; in_flight_ > 0; --in_flight_) {
    Pending& p = queue_[head_];
    if (!p.keep_alive) no_more_requests_ = true;
    p.request.Clear();
    p.response = {};
    head_ = (head_ + 1) % kQueueLimit;
    --count_;
  }
  // An empty ring starts over at slot 0, so a connection that does not pipeline reuses one slot,
  // whose buffers are warm in the cache, instead of walking all sixteen. Not while a parser is
  // filling the next slot (a request read in part), which must stay where it is.
  if (count_ == 0 && !parser_) head_ = 0;
  if (out_.capacity() > kMaxKeptOutput) std::string().swap(out_);  // after a rare huge answer
}

// Once no more requests will be read and every answer is written, closes:
// at once if the client already closed its side, else after a short linger.
void Session::CloseWhenDone() {
  if (closed_ || !no_more_requests_ || count_ != 0 || writing_) return;
  beast::error_code ec;
  // Nothing unread and no rejected request whose body may still be on its
  // way: closing now cannot reset the connection under the client.
  if (eof_ || (!rejected_ && buffer_.size() == 0 && socket_.available(ec) == 0 && !ec)) {
    Close();
    return;
  }
  if (lingering_) return;
  lingering_ = true;
  deadline_ = std::chrono::steady_clock::now() + kLingerTime;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (reading_) return;  // the pending read now drains and ends in Close
  buffer_.clear();
  StartRead();
}

void Session::Close() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ignored;
  socket_.close(ignored);
  loop_.sessions.erase(this);
  loop_.metrics->ConnectionClosed();
  shared_.open_connections.fetch_sub(1, std::memory_order_relaxed);
  if (loop_.draining && loop_.sessions.empty() && loop_.on_drained) {
    auto done = std::move(loop_.on_drained);  // report once
    loop_.on_drained = nullptr;
    done();
  }
}

}  // namespace ihub
