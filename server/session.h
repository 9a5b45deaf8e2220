// Session: one HTTP/1.1 connection. It reads requests with a fresh Beast
// parser per request, routes them, keeps up to kQueueLimit answers in a ring
// in request order (HTTP pipelining: reading continues while answers wait;
// reading pauses while the ring is full), and writes them strictly in order.
// An answer is written once it is ready: handlers' answers at once, deferred
// ones when their Completion arrives, write acknowledgements once the journal
// reports their sequence durable. The answers ready after one read go out in
// one write, tried at once on the non-blocking socket (server/session_output.cc);
// only what the socket's buffer does not take is written asynchronously.
//
// Limits (API-DECISIONS item 11): body > --max-body answers 413 from
// Content-Length before any body byte is read; header line > 16 KiB, more than
// 100 header fields or > 32 KiB of fields answer 431; a request line > 64 KiB
// answers 414; an unparsable request 400. Each of these closes the connection.
//
// Thread-safety: a connection lives on one IoLoop for its whole life and every
// member function runs on that loop's thread: the loop is its strand, so there
// is no per-request strand hop and no lock. Completions from other threads
// post back to the loop before touching the session.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "server/http.h"

namespace ihub {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
// A connection's socket, bound to its loop's io_context by type rather than through
// any_io_executor: every operation and completion on it skips the type-erased executor's
// property queries, which callgrind counted at a few hundred instructions per request.
using LoopSocket = tcp::socket::rebind_executor<net::io_context::executor_type>::other;

struct Services;
class Router;
class MetricsShard;
class Session;

// Read-only server-wide state shared by every session (plus one atomic).
struct ServerShared {
  Services& services;
  const Router& router;
  size_t max_body;
  std::chrono::seconds idle_timeout;
  std::chrono::seconds header_timeout;
  int max_connections;
  uint32_t boot_id;  // random per process; prefix of generated request ids
  std::atomic<int> open_connections{0};
};

// One event loop: an io_context run by exactly one thread.
struct IoLoop {
  explicit IoLoop(int i) : ioc(1), index(i), sweep_timer(ioc) {}
  net::io_context ioc;  // concurrency hint 1: only this loop's thread runs it
  int index;
  net::steady_timer sweep_timer;  // drives Session::SweepTimeouts once a second
  MetricsShard* metrics = nullptr;
  // Everything below is touched only on this loop's thread.
  // Weak: a session ends when its last handler reference drops.
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  bool draining = false;
  uint64_t requests = 0;           // source of generated request ids
  std::function<void()> on_drained;  // run when draining and the last session closed
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  static constexpr int kQueueLimit = 16;

  // REQUIRES: called on loop's thread; socket belongs to loop.ioc.
  Session(LoopSocket socket, IoLoop& loop, ServerShared& shared);
  ~Session();

  void Start();
  // Shutdown: an idle connection closes now; a busy one answers what it has
  // read (without keep-alive) and then closes.
  void BeginDrain();
  // Closes the socket at once (the drain deadline passed).
  void ForceClose();

  // Closes every session of `loop` whose read/write deadline has passed, and
  // re-arms itself every kSweepPeriod until the loop stops. Timeouts are
  // checked by this one timer per loop instead of a timer per read and write,
  // so serving a request arms no timer at all.
  static constexpr std::chrono::seconds kSweepPeriod{1};
  static void SweepTimeouts(IoLoop& loop);

 private:
  // Request limits (API-DECISIONS item 11); the finer ones are in session_admission.cc.
  static constexpr size_t kMaxRequestLine = 64 * 1024;  // longer: 414
  static constexpr size_t kMaxHeaderFieldBytes = 32 * 1024;
  // Beast's own limit covers the request line plus all fields; the finer limits are checked
  // once the header is parsed (CheckHeader).
  static constexpr uint32_t kSessionHeaderLimit = kMaxRequestLine + kMaxHeaderFieldBytes + 4;
  // After answering with Connection: close, unread input is drained for a short while so the
  // kernel does not reset the connection before the client reads the answer.
  static constexpr auto kLingerTime = std::chrono::seconds(1);

  struct Pending {
    HttpRequest request;
    HttpResponse response;
    std::chrono::steady_clock::time_point start;
    const std::string* route_label = nullptr;
    int metrics_slot = 0;
    uint64_t serial = 0;  // guards against a stale Completion
    bool ready = false;
    bool keep_alive = true;
    uint8_t request_id_len = 0;
    std::array<char, 128> request_id{};
    std::string_view request_id_view() const { return {request_id.data(), request_id_len}; }
  };

  void Pump();
  void ReadRequests();
  void StartRead();
  void ReadLater();
  void ReadNowOrWait();
  bool AwaitingAnswer() const;  // an answer in the ring is not ready yet
  void OnRead(beast::error_code ec, size_t n);
  bool CheckHeader();
  void RejectRaw(bhttp::status status, std::string_view code, std::string_view message);
  void RejectParseError(beast::error_code ec);
  void Dispatch();
  void RunHandler(Pending& p, const Route& route, std::string_view path, std::string_view query,
                  const PathParams& params);
  void Complete(uint64_t serial, std::optional<HttpResponse> response);
  void Finish(Pending& p);
  void WriteReady();
  void OnWrite(beast::error_code ec);
  void Retire();
  void CloseWhenDone();
  void Close();
  bool Idle() const;
  Pending& Push();
  // A non-blocking read or write that found the socket not ready: EAGAIN, which Asio names twice
  // (the same errno on Linux, kept apart for portability).
  static bool WouldBlock(const beast::error_code& ec) {
    return ec == net::error::would_block || ec == net::error::try_again;
  }
  HttpRequest& Incoming() { return queue_[(head_ + count_) % kQueueLimit].request; }
  void AssignRequestId(Pending& p);

  LoopSocket socket_;
  // When the pending read or write has waited too long (max = none pending).
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  beast::flat_buffer buffer_;
  std::string out_;     // the answers being written (AppendResponse)
  int in_flight_ = 0;   // answers at the head of the ring that out_ holds
  // Parses the next request straight into its ring slot (Incoming()).
  std::optional<RequestParser> parser_;
  std::chrono::steady_clock::time_point header_deadline_;
  IoLoop& loop_;
  ServerShared& shared_;
  std::array<Pending, kQueueLimit> queue_;
  int head_ = 0;
  int count_ = 0;
  uint64_t next_serial_ = 1;
  bool reading_ = false;
  bool writing_ = false;   // an asynchronous write is pending
  bool pumping_ = false;   // inside Pump's loop
  bool pump_again_ = false;
  bool no_more_requests_ = false;  // EOF, a fatal request error, or draining
  bool header_checked_ = false;
  bool draining_ = false;
  bool eof_ = false;        // the client closed its sending side
  bool rejected_ = false;   // answered a broken request; its rest may still arrive
  bool lingering_ = false;  // our side is shut down; discarding input until EOF
  size_t lingered_ = 0;
  bool closed_ = false;
};

}  // namespace ihub
