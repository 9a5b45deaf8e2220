#include "tools/ihub_bench/event_loop.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace ihub::bench {
namespace {
constexpr size_t kReadChunk = 64 * 1024;
constexpr uint64_t kReconnectPauseNs = 100'000'000;
constexpr int kWaitMs = 20;
}  // namespace

uint64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

EventLoop::EventLoop(const sockaddr_in& addr, int connections, int pipeline, Workload* workload)
    : addr_(addr), pipeline_(pipeline), workload_(workload), conns_(connections) {
  for (Conn& c : conns_) {
    c.inflight.resize(pipeline);
    c.in.resize(kReadChunk);
    c.out.reserve(4096);
  }
}

EventLoop::~EventLoop() {
  for (Conn& c : conns_)
    if (c.fd >= 0) ::close(c.fd);
  if (epfd_ >= 0) ::close(epfd_);
}

void EventLoop::Open(uint32_t id) {
  Conn& c = conns_[id];
  c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c.fd < 0) {
    c.retry_at_ns = NowNs() + kReconnectPauseNs;
    ++waiting_;
    workload_->OnConnectionError();
    return;
  }
  const int one = 1;
  ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  epoll_event ev{};
  // Edge-triggered: the loop reads until a short read and writes until EAGAIN, so it never
  // needs to re-arm, and epoll_ctl runs once per connection, not once per request.
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u32 = id;
  const int rc = ::connect(c.fd, reinterpret_cast<const sockaddr*>(&addr_), sizeof addr_);
  if ((rc != 0 && errno != EINPROGRESS) || ::epoll_ctl(epfd_, EPOLL_CTL_ADD, c.fd, &ev) != 0) {
    Fail(id, true);
    return;
  }
  c.connected = false;
}

void EventLoop::Fail(uint32_t id, bool count_error) {
  Conn& c = conns_[id];
  const bool was_connected = c.connected;
  if (c.fd >= 0) ::close(c.fd);  // also removes it from the epoll set
  c.fd = -1;
  c.connected = false;
  if (c.count > 0) count_error = true;
  for (; c.count > 0; --c.count, c.head = (c.head + 1) % c.inflight.size())
    workload_->OnLost(c.inflight[c.head].tag);
  c.head = 0;
  c.out.clear();
  c.out_off = 0;
  c.in_start = c.in_end = 0;
  c.parser.Reset();
  if (count_error) workload_->OnConnectionError();
  // A connection the server closed cleanly comes back at once; a failed one after a pause,
  // so a stopped server does not turn the loop into a busy spin.
  c.retry_at_ns = was_connected && !count_error ? 0 : NowNs() + kReconnectPauseNs;
  if (c.retry_at_ns == 0) Open(id);
  if (c.fd < 0) ++waiting_;
}

bool EventLoop::Flush(uint32_t id) {
  Conn& c = conns_[id];
  while (c.out_off < c.out.size()) {
    const ssize_t n =
        ::send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;  // EPOLLOUT will follow
      if (errno == EINTR) continue;
      Fail(id, true);
      return false;
    }
    c.out_off += static_cast<size_t>(n);
  }
  c.out.clear();
  c.out_off = 0;
  return true;
}

void EventLoop::Fill(uint32_t id) {
  Conn& c = conns_[id];
  if (!c.connected) return;
  const size_t before = c.count;
  uint64_t now = 0;
  while (c.count < c.inflight.size()) {
    uint64_t tag = 0;
    if (!workload_->Next(&c.out, &tag)) {
      starved_ = true;
      break;
    }
    if (now == 0) now = NowNs();
    c.inflight[(c.head + c.count) % c.inflight.size()] = {tag, now};
    ++c.count;
  }
  if (c.count != before) Flush(id);
}

// Consumes every complete answer in the buffer; false when the connection was failed.
bool EventLoop::ParseResponses(uint32_t id) {
  Conn& c = conns_[id];
  uint64_t now = 0;
  while (c.in_end > c.in_start) {
    size_t consumed = 0;
    const auto st = c.parser.Parse(c.in.data() + c.in_start, c.in_end - c.in_start, &consumed);
    if (st == ResponseParser::State::kNeedMore) break;
    if (st == ResponseParser::State::kError || c.count == 0) {
      Fail(id, true);
      return false;
    }
    if (c.parser.status() / 100 == 1) {  // an interim answer: the real one follows
      c.in_start += consumed;
      c.parser.Reset();
      continue;
    }
    if (now == 0) now = NowNs();
    const Inflight done = c.inflight[c.head];
    c.head = (c.head + 1) % c.inflight.size();
    --c.count;
    workload_->OnResponse(done.tag, c.parser.status(), c.parser.body(), now - done.sent_ns);
    const bool keep_alive = c.parser.keep_alive();
    c.parser.Reset();
    c.in_start += consumed;
    if (!keep_alive) {
      Fail(id, false);
      return false;
    }
  }
  if (c.in_start == c.in_end) c.in_start = c.in_end = 0;
  return true;
}

// Reads until the socket is drained (a short read), parsing as it goes.
bool EventLoop::ReadAndParse(uint32_t id) {
  Conn& c = conns_[id];
  for (;;) {
    if (c.in.size() - c.in_end < kReadChunk / 4) {
      // Move the unparsed tail to the front; grow only when one answer is that large.
      std::copy(c.in.begin() + c.in_start, c.in.begin() + c.in_end, c.in.begin());
      c.in_end -= c.in_start;
      c.in_start = 0;
      if (c.in.size() - c.in_end < kReadChunk / 4) c.in.resize(c.in.size() * 2);
    }
    const size_t room = c.in.size() - c.in_end;
    const ssize_t n = ::recv(c.fd, c.in.data() + c.in_end, room, 0);
    if (n == 0) {
      Fail(id, c.count > 0);
      return false;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      if (errno == EINTR) continue;
      Fail(id, true);
      return false;
    }
    c.in_end += static_cast<size_t>(n);
    if (!ParseResponses(id)) return false;
    if (static_cast<size_t>(n) < room) return true;
  }
}

void EventLoop::OnEvent(uint32_t id, uint32_t events) {
  Conn& c = conns_[id];
  if (c.fd < 0) return;
  if (!c.connected) {
    if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
      Fail(id, true);
      return;
    }
    c.connected = true;
    Fill(id);
    return;
  }
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) {
    if (!ReadAndParse(id)) return;
    Fill(id);
  }
  if ((events & EPOLLOUT) && c.fd >= 0 && c.out_off < c.out.size()) Flush(id);
}

Status EventLoop::Run() {
  epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epfd_ < 0) return Status::Internal("epoll_create1 failed");
  for (uint32_t i = 0; i < conns_.size(); ++i) Open(i);
  epoll_event events[256];
  while (!workload_->Done()) {
    const int n = ::epoll_wait(epfd_, events, 256, kWaitMs);
    if (n < 0 && errno != EINTR) return Status::Internal("epoll_wait failed");
    for (int i = 0; i < n; ++i) OnEvent(events[i].data.u32, events[i].events);
    // Connections waiting to reconnect, and idle ones whose workload may have work again.
    // Scanned only when some connection is in that state, so a busy loop pays nothing.
    if (waiting_ == 0 && !starved_) continue;
    const uint64_t now = NowNs();
    waiting_ = 0;
    starved_ = false;
    for (uint32_t i = 0; i < conns_.size(); ++i) {
      Conn& c = conns_[i];
      if (c.fd < 0 && now >= c.retry_at_ns) Open(i);
      else if (c.connected && c.count == 0) Fill(i);
      if (c.fd < 0) ++waiting_;
    }
  }
  return Status::Ok();
}

}  // namespace ihub::bench

namespace ihub::bench {

Status RunLoops(const sockaddr_in& addr, int connections, int pipeline,
                const std::vector<Workload*>& workloads,
                const std::function<void(double elapsed_s)>& tick) {
  const int n = static_cast<int>(workloads.size());
  std::vector<Status> results(n);
  std::atomic<int> running{n};
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t) {
    const int conns = connections / n + (t < connections % n ? 1 : 0);
    threads.emplace_back([&, t, conns] {
      EventLoop loop(addr, conns, pipeline, workloads[t]);
      results[t] = loop.Run();
      running.fetch_sub(1);
    });
  }
  const uint64_t start = NowNs();
  while (running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    tick(static_cast<double>(NowNs() - start) / 1e9);
  }
  for (auto& th : threads) th.join();
  for (const Status& s : results)
    if (!s.ok()) return s;
  return Status::Ok();
}

}  // namespace ihub::bench
