// EventLoop: one thread's keep-alive HTTP/1.1 client connections, driven by epoll directly.
//
// The loop keeps up to `pipeline` requests in flight on each of its connections. It asks its
// Workload for request bytes, stamps each with the time it was sent, parses the answers with
// ResponseParser and hands each one back with its latency. A connection that closes or fails is
// reopened (after a short pause if it failed to connect); requests in flight on it are handed
// back as lost. Steady state allocates nothing: buffers are reused and grow only for large
// answers.
//
// Thread-safety: an EventLoop and its Workload belong to the thread that calls Run().
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"
#include "tools/ihub_bench/response_parser.h"

namespace ihub::bench {

// What a loop sends and what it does with the answers; called on the loop's thread only.
class Workload {
 public:
  virtual ~Workload() = default;
  // Appends the next request's bytes to *out and sets *tag to identify it; returns false when
  // there is nothing to send now (the loop asks again after its next wait).
  virtual bool Next(std::string* out, uint64_t* tag) = 0;
  // The answer to request `tag` arrived `latency_ns` after the request was sent.
  virtual void OnResponse(uint64_t tag, int status, std::string_view body, uint64_t latency_ns) = 0;
  // Request `tag` got no answer: its connection closed or failed first.
  virtual void OnLost(uint64_t tag) = 0;
  // A connection failed: refused, reset, closed with requests in flight, or a bad answer.
  virtual void OnConnectionError() = 0;
  // Polled after every wait; true ends Run().
  virtual bool Done() = 0;
};

// Monotonic clock in nanoseconds.
uint64_t NowNs();

class EventLoop {
 public:
  // REQUIRES: connections >= 1, pipeline >= 1; `workload` outlives the loop.
  EventLoop(const sockaddr_in& addr, int connections, int pipeline, Workload* workload);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Opens the connections and runs until workload->Done(). Returns an error only when epoll
  // itself fails; connection trouble is reported through the workload and retried.
  Status Run();

 private:
  struct Inflight {
    uint64_t tag;
    uint64_t sent_ns;
  };
  struct Conn {
    int fd = -1;
    bool connected = false;
    uint64_t retry_at_ns = 0;  // when fd < 0: reconnect at this time
    std::string out;
    size_t out_off = 0;
    std::vector<char> in;
    size_t in_start = 0, in_end = 0;
    ResponseParser parser;
    std::vector<Inflight> inflight;  // ring of `pipeline` slots
    size_t head = 0, count = 0;
  };

  void Open(uint32_t id);
  void Fail(uint32_t id, bool count_error);
  void OnEvent(uint32_t id, uint32_t events);
  bool Flush(uint32_t id);
  void Fill(uint32_t id);
  bool ReadAndParse(uint32_t id);
  bool ParseResponses(uint32_t id);

  sockaddr_in addr_;
  int pipeline_;
  Workload* workload_;
  int epfd_ = -1;
  std::vector<Conn> conns_;
  int waiting_ = 0;       // connections closed and waiting to reopen (an upper bound)
  bool starved_ = false;  // the workload had nothing to send for some connection
};

}  // namespace ihub::bench

namespace ihub::bench {

// Runs one EventLoop per workload, each on its own thread, splitting `connections` between them
// as evenly as possible. While they run, calls `tick(elapsed_s)` on the calling thread about
// every 100 ms; the workloads' Done() decides when each loop ends. Returns the first loop error.
// REQUIRES: 1 <= workloads.size() <= connections.
Status RunLoops(const sockaddr_in& addr, int connections, int pipeline,
                const std::vector<Workload*>& workloads,
                const std::function<void(double elapsed_s)>& tick);

}  // namespace ihub::bench
