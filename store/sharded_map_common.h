// ShardedMapCommon: the members ShardedMap (sharded_map.h) and SlotMap (slot_map.h) share, written
// once: the entry count and the walk over every entry. A map derives from
// ShardedMapCommon<itself>, befriends it, and provides kShards, a `shards_` array whose shards
// keep a `std::atomic<size_t> count`, and ForEachInShard(shard, fn).
//
// Thread-safety: as the derived map's.
#pragma once

#include <atomic>
#include <cstddef>

namespace ihub {

template <typename Derived>
class ShardedMapCommon {
 public:
  // Number of entries: the sum of per-shard counts read without locks, so it may be momentarily
  // stale while writers run, but never torn.
  size_t size() const {
    size_t n = 0;
    for (const auto& s : self().shards_) n += s.count.load(std::memory_order_relaxed);
    return n;
  }

  // Calls fn(const K&, const V&) for every entry, shard by shard; each shard is consistent in
  // itself, the whole is not a point-in-time view unless writers are excluded by the caller.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < Derived::kShards; ++i) self().ForEachInShard(i, fn);
  }

 private:
  const Derived& self() const { return static_cast<const Derived&>(*this); }
};

}  // namespace ihub
