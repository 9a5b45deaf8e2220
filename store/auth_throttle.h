// AuthThrottle: slows down guessing of client secrets. Counts failed client authentications per
// client key and, when a key fails too often, refuses every attempt for that key (right secret
// or not) for a while, with a lock period that grows each time the key is locked again.
//
// Policy (defaults; docs/oauth.md): more than 10 failures within a 60 s window lock the key for
// 30 s; each further lock doubles the period, up to 15 min. A successful authentication forgets
// the key's failures and locks. A key's escalation is forgotten once it has been quiet (no lock
// in force and no failure) for an hour, when Sweep drops its entry.
//
// Memory: callers record failures only for client keys that exist, so the map holds at most one
// small entry per client that failed recently; Sweep keeps it from growing without bound.
//
// Thread-safety: every member may be called from any thread. The map is split into 64 shards,
// each with its own mutex (no global lock); a call locks exactly one shard, briefly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include <boost/unordered/unordered_flat_map.hpp>

namespace ihub {

class AuthThrottle {
 public:
  struct Policy {
    int max_failures = 10;               // a key may fail this often per window without a lock
    int64_t window_ms = 60'000;
    int64_t base_lock_ms = 30'000;       // first lock
    int64_t max_lock_ms = 15 * 60'000;   // locks double up to this
    int64_t forget_after_ms = 3'600'000; // quiet time after which Sweep drops an entry
  };

  AuthThrottle() : AuthThrottle(Policy{}) {}
  explicit AuthThrottle(Policy policy) : policy_(policy) {}
  AuthThrottle(const AuthThrottle&) = delete;
  AuthThrottle& operator=(const AuthThrottle&) = delete;

  const Policy& policy() const { return policy_; }

  // 0 when `key` may attempt authentication at now_ms; otherwise the whole seconds (at least 1,
  // rounded up) until its lock ends: the Retry-After value.
  int64_t RetryAfterSeconds(std::string_view key, int64_t now_ms) const;

  // Records one failed authentication of `key`. Returns the Retry-After seconds when this failure
  // locked the key, else 0.
  int64_t RecordFailure(std::string_view key, int64_t now_ms);

  // Forgets `key`'s failures and lock history (after a successful authentication).
  void RecordSuccess(std::string_view key);

  // Drops entries quiet for forget_after_ms. Returns how many. One shard locked at a time.
  size_t Sweep(int64_t now_ms);

  // Entries held (summed over shards; may be momentarily stale).
  size_t size() const;

 private:
  struct Entry {
    int64_t window_start_ms = 0;
    int64_t locked_until_ms = 0;
    int64_t last_event_ms = 0;  // last failure or lock end, for Sweep
    int32_t failures = 0;       // in the current window
    int32_t locks = 0;          // locks so far: the next lock lasts base << locks
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept;
  };
  using Map = boost::unordered_flat_map<std::string, Entry, StringHash, std::equal_to<>>;
  static constexpr size_t kShards = 64;
  struct alignas(64) Shard {
    mutable std::mutex mu;
    Map map;  // GUARDED_BY(mu)
  };

  Shard& ShardOf(std::string_view key) const;
  int64_t LockPeriodMs(int32_t locks) const;

  const Policy policy_;
  mutable Shard shards_[kShards];
};

}  // namespace ihub
