// Logging: one JSON object per line on stderr.
//
// Request lines ({"ts","level":"info","msg":"request","method","route","status",
// "duration_us","request_id"}) go into a per-thread buffer that a background
// flusher writes every ~50 ms, or that its own thread writes once it passes
// ~32 KiB, so serving a request never costs a system call for logging. General
// lines (Log) are rare and are written at once, after the thread's pending
// request lines, so the order within a thread holds.
//
// Never pass a secret (key, client secret, token, credential) to any function
// here: the route template is logged, never the raw path.
//
// Thread-safety: every function may be called from any thread. Each thread
// appends only to its own buffer; the buffer's mutex is contended only by the
// flusher, once per flush.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace ihub {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// A log field value: a string, an integer, a double or a bool.
class LogValue {
 public:
  enum class Kind { kString, kInt, kUint, kDouble, kBool };
  LogValue(std::string_view s) : kind_(Kind::kString), s_(s) {}  // NOLINT: implicit by design
  LogValue(const char* s) : kind_(Kind::kString), s_(s) {}       // NOLINT
  LogValue(const std::string& s) : kind_(Kind::kString), s_(s) {}  // NOLINT
  LogValue(bool b) : kind_(Kind::kBool), u_(b ? 1 : 0) {}         // NOLINT
  LogValue(double d) : kind_(Kind::kDouble), d_(d) {}             // NOLINT
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  LogValue(T v) {  // NOLINT
    if constexpr (std::signed_integral<T>) {
      kind_ = Kind::kInt;
      i_ = v;
    } else {
      kind_ = Kind::kUint;
      u_ = v;
    }
  }
  // Appends the value as JSON.
  void AppendTo(std::string& out) const;

 private:
  Kind kind_ = Kind::kInt;
  std::string_view s_;
  int64_t i_ = 0;
  uint64_t u_ = 0;
  double d_ = 0;
};

struct LogField {
  std::string_view key;
  LogValue value;
};

// Writes {"ts":..,"level":..,"msg":msg, key:value...} at once.
void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});

// Buffers one access-log line; dropped when the access log is off.
void LogRequest(std::string_view method, std::string_view route, unsigned status,
                uint64_t duration_us, std::string_view request_id);

// --access-log on|off. Default on.
void SetAccessLog(bool on);
bool AccessLogEnabled();

// Starts the background flusher (idempotent). Without it request lines are
// written only when a thread's buffer fills or FlushLogs() runs.
void StartLogFlusher();
// Stops the flusher and writes every buffer. Call before the process exits.
void StopLogFlusher();
// Writes every thread's pending lines now.
void FlushLogs();

}  // namespace ihub
