// AuthThrottle: per-key failure windows and growing locks. See auth_throttle.h.
#include "store/auth_throttle.h"

#include <algorithm>

#include "store/string_hash.h"

namespace ihub {
namespace {

int64_t CeilSeconds(int64_t ms) { return std::max<int64_t>(1, (ms + 999) / 1000); }

}  // namespace

size_t AuthThrottle::StringHash::operator()(std::string_view s) const noexcept {
  return HashString(s);
}

AuthThrottle::Shard& AuthThrottle::ShardOf(std::string_view key) const {
  // The low bits feed the flat map's own hashing; pick the shard from a multiplied copy's high
  // bits so the two choices stay independent.
  const uint64_t h = static_cast<uint64_t>(StringHash{}(key)) * 0x9e3779b97f4a7c15ULL;
  return shards_[h >> 58];  // 64 shards
}

int64_t AuthThrottle::LockPeriodMs(int32_t locks) const {
  int64_t period = policy_.base_lock_ms;
  for (int32_t i = 0; i < locks && period < policy_.max_lock_ms; ++i) period *= 2;
  return std::min(period, policy_.max_lock_ms);
}

int64_t AuthThrottle::RetryAfterSeconds(std::string_view key, int64_t now_ms) const {
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(key);
  if (it == s.map.end() || it->second.locked_until_ms <= now_ms) return 0;
  return CeilSeconds(it->second.locked_until_ms - now_ms);
}

int64_t AuthThrottle::RecordFailure(std::string_view key, int64_t now_ms) {
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(key);
  if (it == s.map.end()) it = s.map.emplace(std::string(key), Entry{}).first;
  Entry& e = it->second;
  e.last_event_ms = now_ms;
  if (e.locked_until_ms > now_ms) return CeilSeconds(e.locked_until_ms - now_ms);
  if (e.failures == 0 || now_ms - e.window_start_ms >= policy_.window_ms) {
    e.window_start_ms = now_ms;
    e.failures = 0;
  }
  if (++e.failures <= policy_.max_failures) return 0;
  const int64_t period = LockPeriodMs(e.locks);
  e.locks = std::min<int32_t>(e.locks + 1, 30);
  e.locked_until_ms = now_ms + period;
  e.last_event_ms = e.locked_until_ms;
  e.failures = 0;
  return CeilSeconds(period);
}

void AuthThrottle::RecordSuccess(std::string_view key) {
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(key);
  if (it != s.map.end()) s.map.erase(it);
}

size_t AuthThrottle::Sweep(int64_t now_ms) {
  size_t dropped = 0;
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    dropped += boost::unordered::erase_if(s.map, [&](const auto& kv) {
      return now_ms - kv.second.last_event_ms >= policy_.forget_after_ms;
    });
  }
  return dropped;
}

size_t AuthThrottle::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.map.size();
  }
  return n;
}

}  // namespace ihub
