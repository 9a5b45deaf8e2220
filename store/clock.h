// Clock: wall time in milliseconds and seconds for timestamps and token expiry.
//
// Reads CLOCK_REALTIME_COARSE (a vDSO read of the last tick, a few ns; resolution one kernel tick,
// a few ms), which is enough for millisecond timestamps and second-granularity expiry and cheap
// enough to call on every request. Tests move time forward with TEST_Advance instead of sleeping.
//
// Thread-safety: all members are safe from any thread; the test offset is an atomic.
#pragma once

#include <atomic>
#include <cstdint>

namespace ihub {

class Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;

  // Milliseconds since the Unix epoch, plus the test offset.
  int64_t NowMs() const;

  // Whole seconds since the Unix epoch, plus the test offset (floor of NowMs() / 1000).
  int64_t NowSeconds() const { return NowMs() / 1000; }

  // Moves this clock forward by `ms` (may be negative) for every later reading. Tests only.
  void TEST_Advance(int64_t ms) { offset_ms_.fetch_add(ms, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> offset_ms_{0};
};

}  // namespace ihub
