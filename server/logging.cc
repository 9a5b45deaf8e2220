// Per-thread log buffers, a registry of them, and a flusher thread.
#include "server/logging.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "codec/json_writer.h"

namespace ihub {
namespace {

constexpr size_t kFlushThreshold = 32 * 1024;
constexpr auto kFlushPeriod = std::chrono::milliseconds(50);
constexpr int kLogFd = 2;

struct ThreadBuffer {
  std::mutex mu;
  std::string buf;  // guarded by mu
  std::string spare;  // only the flushing thread touches it, under Registry::write_mu
  std::atomic<bool> dead{false};
};

// Leaked on purpose: thread_local destructors of late threads may still use it.
struct Registry {
  std::mutex mu;  // guards buffers
  std::vector<std::shared_ptr<ThreadBuffer>> buffers;
  std::mutex write_mu;  // one writer to fd 2 at a time, so lines never interleave
  std::atomic<bool> access_log{true};

  std::mutex flusher_mu;
  std::condition_variable flusher_cv;
  bool flusher_stop = false;  // guarded by flusher_mu
  std::thread flusher;
};

Registry& Reg() {
  static Registry* reg = new Registry;
  return *reg;
}

void WriteAll(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(kLogFd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere to report a failing stderr
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// Moves tb's pending lines out under its mutex and writes them under write_mu.
void FlushBuffer(ThreadBuffer& tb) {
  std::lock_guard<std::mutex> write_lock(Reg().write_mu);
  {
    std::lock_guard<std::mutex> lock(tb.mu);
    if (tb.buf.empty()) return;
    tb.spare.clear();
    tb.buf.swap(tb.spare);
  }
  WriteAll(tb.spare);
}

struct ThreadHolder {
  std::shared_ptr<ThreadBuffer> tb;
  // Per-thread cache of the formatted second, refreshed when the second changes.
  int64_t cached_second = -1;
  char second_text[24] = {};

  ThreadHolder() : tb(std::make_shared<ThreadBuffer>()) {
    tb->buf.reserve(kFlushThreshold + 4096);
    std::lock_guard<std::mutex> lock(Reg().mu);
    Reg().buffers.push_back(tb);
  }
  ~ThreadHolder() {
    FlushBuffer(*tb);
    tb->dead.store(true);
  }
};

ThreadHolder& Holder() {
  thread_local ThreadHolder holder;
  return holder;
}

// Appends "ts":"2024-01-02T03:04:05.678Z" (UTC, milliseconds).
void AppendTimestamp(ThreadHolder& h, std::string& out) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  int64_t sec = ms / 1000;
  if (sec != h.cached_second) {
    std::time_t t = static_cast<std::time_t>(sec);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(h.second_text, sizeof h.second_text, "%Y-%m-%dT%H:%M:%S", &tm);
    h.cached_second = sec;
  }
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms % 1000));
  out += "{\"ts\":\"";
  out += h.second_text;
  out += frac;
  out += '"';
}

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

void FlusherLoop() {
  Registry& reg = Reg();
  std::unique_lock<std::mutex> lock(reg.flusher_mu);
  while (!reg.flusher_stop) {
    reg.flusher_cv.wait_for(lock, kFlushPeriod);
    lock.unlock();
    FlushLogs();
    lock.lock();
  }
}

}  // namespace

void LogValue::AppendTo(std::string& out) const {
  switch (kind_) {
    case Kind::kString: AppendJsonString(out, s_); break;
    case Kind::kInt: out += std::to_string(i_); break;
    case Kind::kUint: out += std::to_string(u_); break;
    case Kind::kBool: out += u_ ? "true" : "false"; break;
    case Kind::kDouble: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", d_);
      out += buf;
      break;
    }
  }
}

void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
  ThreadHolder& h = Holder();
  {
    std::lock_guard<std::mutex> lock(h.tb->mu);
    std::string& out = h.tb->buf;
    AppendTimestamp(h, out);
    out += ",\"level\":\"";
    out += LevelName(level);
    out += "\",\"msg\":";
    AppendJsonString(out, msg);
    for (const LogField& f : fields) {
      out += ',';
      AppendJsonString(out, f.key);
      out += ':';
      f.value.AppendTo(out);
    }
    out += "}\n";
  }
  FlushBuffer(*h.tb);
}

void LogRequest(std::string_view method, std::string_view route, unsigned status,
                uint64_t duration_us, std::string_view request_id) {
  if (!AccessLogEnabled()) return;
  ThreadHolder& h = Holder();
  bool full;
  {
    std::lock_guard<std::mutex> lock(h.tb->mu);
    std::string& out = h.tb->buf;
    AppendTimestamp(h, out);
    out += ",\"level\":\"info\",\"msg\":\"request\",\"method\":";
    AppendJsonString(out, method);
    out += ",\"route\":";
    AppendJsonString(out, route);
    out += ",\"status\":";
    out += std::to_string(status);
    out += ",\"duration_us\":";
    out += std::to_string(duration_us);
    out += ",\"request_id\":";
    AppendJsonString(out, request_id);
    out += "}\n";
    full = out.size() >= kFlushThreshold;
  }
  if (full) FlushBuffer(*h.tb);
}

void SetAccessLog(bool on) { Reg().access_log.store(on, std::memory_order_relaxed); }
bool AccessLogEnabled() { return Reg().access_log.load(std::memory_order_relaxed); }

void FlushLogs() {
  std::vector<std::shared_ptr<ThreadBuffer>> buffers;
  {
    std::lock_guard<std::mutex> lock(Reg().mu);
    buffers = Reg().buffers;
    // Buffers of exited threads were flushed by their destructor; drop them.
    std::erase_if(Reg().buffers, [](const auto& b) { return b->dead.load(); });
  }
  for (auto& b : buffers) FlushBuffer(*b);
}

void StartLogFlusher() {
  Registry& reg = Reg();
  std::lock_guard<std::mutex> lock(reg.flusher_mu);
  if (reg.flusher.joinable()) return;
  reg.flusher_stop = false;
  reg.flusher = std::thread(FlusherLoop);
}

void StopLogFlusher() {
  Registry& reg = Reg();
  {
    std::lock_guard<std::mutex> lock(reg.flusher_mu);
    reg.flusher_stop = true;
  }
  reg.flusher_cv.notify_all();
  if (reg.flusher.joinable()) reg.flusher.join();
  FlushLogs();
}

}  // namespace ihub
