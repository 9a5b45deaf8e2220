// SlotMap: the token table's primary map. Same contract and members as ShardedMap (sharded_map.h),
// built for one shape of record: small, trivially copyable, holding its own key, with a key that
// is already uniformly random (a SHA-256 prefix, token_format.h).
//
// Each shard is an open-addressing table of cache-line slots probed linearly. A slot holds the
// whole record and an occupancy flag, so a lookup reads one cache line (sometimes the next, which
// the hardware prefetches) instead of a group of metadata and then the slot, as the general flat
// map does: one cache miss less on every token validation. The key's high bits pick the shard,
// its low bits the home slot. Erase shifts the following run back (no tombstones), so a table
// never degrades with churn. A shard grows by doubling past 7/8 full and never shrinks. A shard's
// slots are a HugePageArray, so a table of a million tokens sits on 2 MiB pages and a lookup
// seldom pays a TLB miss before its cache miss.
//
// Thread-safety: as ShardedMap. Readers hold one shard's shared lock; writers its exclusive lock;
// the *Locked members are for Store's multi-shard commits.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/huge_page_array.h"
#include "store/sharded_map_common.h"

namespace ihub {

template <typename V, typename Hash, int kShardBits = 6>
class SlotMap : public ShardedMapCommon<SlotMap<V, Hash, kShardBits>> {
  static_assert(std::is_trivially_copyable_v<V>, "slots are copied and moved as bytes");
  friend class ShardedMapCommon<SlotMap>;  // size() and ForEach() read shards_
  static_assert(kShardBits >= 1 && kShardBits <= 12, "between 2 and 4096 shards");

 public:
  using K = typename V::Key;
  static constexpr size_t kShards = size_t{1} << kShardBits;
  using Mutex = std::shared_mutex;

  SlotMap() = default;
  SlotMap(const SlotMap&) = delete;
  SlotMap& operator=(const SlotMap&) = delete;

  template <typename Fn>
  bool Read(const K& key, Fn&& fn) const {
    const uint64_t h = Hash{}(key);
    const Shard& s = shards_[ShardOfHash(h)];
    std::shared_lock lock(s.mu);
    const Slot* slot = s.Find(key, h);
    if (slot == nullptr) return false;
    std::forward<Fn>(fn)(std::as_const(slot->value));
    return true;
  }

  // Starts loading the cache line of `key`'s home slot, without a lock and without waiting, so
  // that a Read of the same key issued after some other work finds it in the cache. A hint only:
  // it reads the shard's table address through an atomic that Grow keeps current, and a stale
  // address (a table that has just grown) costs a wasted load, never a fault (prefetch does not
  // fault) or a wrong answer (Read takes the lock and probes as always).
  void Prefetch(const K& key) const {
    const uint64_t h = Hash{}(key);
    const Shard& s = shards_[ShardOfHash(h)];
    const uintptr_t base = s.prefetch_base.load(std::memory_order_relaxed);
    const size_t mask = s.prefetch_mask.load(std::memory_order_relaxed);
    if (base == 0) return;
    const size_t home = static_cast<size_t>(h) & mask;
    __builtin_prefetch(reinterpret_cast<const void*>(base + home * sizeof(Slot)));
  }

  std::optional<V> Get(const K& key) const {
    std::optional<V> out;
    Read(key, [&](const V& v) { out.emplace(v); });
    return out;
  }

  bool Contains(const K& key) const {
    return Read(key, [](const V&) {});
  }

  // Inserts or replaces the value for `key` (which must be value.key()).
  void Put(const K& key, const V& value) {
    const uint64_t h = Hash{}(key);
    Shard& s = shards_[ShardOfHash(h)];
    std::unique_lock lock(s.mu);
    s.Put(value, h);
  }

  bool Erase(const K& key) {
    const uint64_t h = Hash{}(key);
    Shard& s = shards_[ShardOfHash(h)];
    std::unique_lock lock(s.mu);
    return s.Erase(key, h);
  }

  // Calls fn(const K&, const V&) for every entry of one shard under its shared lock.
  template <typename Fn>
  void ForEachInShard(size_t shard, Fn&& fn) const {
    const Shard& s = shards_[shard];
    std::shared_lock lock(s.mu);
    for (size_t i = 0; i < s.capacity(); ++i) {
      if (s.slots[i].used) fn(s.slots[i].value.key(), std::as_const(s.slots[i].value));
    }
  }

  // Erases every entry for which pred(const K&, const V&) holds, shard by shard, each under its
  // exclusive lock. Returns how many.
  template <typename Pred>
  size_t EraseIf(Pred&& pred) {
    size_t erased = 0;
    std::vector<K> doomed;
    for (Shard& s : shards_) {
      std::unique_lock lock(s.mu);
      doomed.clear();
      for (size_t i = 0; i < s.capacity(); ++i) {
        const V& v = s.slots[i].value;
        if (s.slots[i].used && pred(v.key(), v)) doomed.push_back(v.key());
      }
      // Collected first: a backward shift may move a not yet visited slot behind the scan.
      for (const K& k : doomed) erased += s.Erase(k, Hash{}(k)) ? 1 : 0;
    }
    return erased;
  }

  // --- Multi-shard commits (Store): lock shards yourself, then use the *Locked members. ---

  size_t ShardOf(const K& key) const { return ShardOfHash(Hash{}(key)); }
  Mutex& shard_mutex(size_t shard) const { return shards_[shard].mu; }

  // REQUIRES: the caller holds shard_mutex(ShardOf(key)) exclusively.
  void PutLocked(const K& key, const V& value) {
    const uint64_t h = Hash{}(key);
    shards_[ShardOfHash(h)].Put(value, h);
  }

  // REQUIRES: the caller holds shard_mutex(ShardOf(key)) exclusively.
  bool EraseLocked(const K& key) {
    const uint64_t h = Hash{}(key);
    return shards_[ShardOfHash(h)].Erase(key, h);
  }

  // A pointer valid while the caller holds the shard lock (any later Put may move the slot).
  // REQUIRES: the caller holds shard_mutex(ShardOf(key)), shared or exclusive.
  const V* FindLocked(const K& key) const {
    const uint64_t h = Hash{}(key);
    const Slot* slot = shards_[ShardOfHash(h)].Find(key, h);
    return slot == nullptr ? nullptr : &slot->value;
  }
  V* FindLocked(const K& key) { return const_cast<V*>(std::as_const(*this).FindLocked(key)); }

 private:
  struct alignas(64) Slot {
    V value;
    bool used;
  };

  struct alignas(64) Shard {
    mutable Mutex mu;
    HugePageArray<Slot> slots;  // capacity() of them, a power of two; GUARDED_BY(mu)
    size_t used = 0;
    std::atomic<size_t> count{0};  // `used`, readable without the lock
    // `slots` and capacity() - 1 for Prefetch, readable without the lock (set by Grow).
    std::atomic<uintptr_t> prefetch_base{0};
    std::atomic<size_t> prefetch_mask{0};

    size_t capacity() const { return slots.size(); }
    size_t Home(uint64_t h) const { return static_cast<size_t>(h) & (capacity() - 1); }

    // The slot holding `key`, or else the unused slot that ends its run, where it would go.
    // REQUIRES: capacity() != 0. A run always ends: the table is never full.
    size_t Probe(const K& key, uint64_t h) const {
      size_t i = Home(h);
      while (slots[i].used && !(slots[i].value.key() == key)) i = (i + 1) & (capacity() - 1);
      return i;
    }

    const Slot* Find(const K& key, uint64_t h) const {
      if (capacity() == 0) return nullptr;
      const Slot& slot = slots[Probe(key, h)];
      return slot.used ? &slot : nullptr;
    }

    void Put(const V& value, uint64_t h) {
      size_t i = capacity() == 0 ? 0 : Probe(value.key(), h);
      if (capacity() != 0 && slots[i].used) {
        slots[i].value = value;  // replaces
        return;
      }
      if ((used + 1) * 8 > capacity() * 7) {
        Grow();
        i = Probe(value.key(), h);
      }
      slots[i].value = value;
      slots[i].used = true;
      count.store(++used, std::memory_order_relaxed);
    }

    bool Erase(const K& key, uint64_t h) {
      const Slot* found = Find(key, h);
      if (found == nullptr) return false;
      // Backward shift: pull each later slot of the run into the hole unless its home lies
      // cyclically in (hole, slot], where moving it would put it before its home.
      const size_t mask = capacity() - 1;
      size_t hole = static_cast<size_t>(found - slots.get());
      for (size_t j = (hole + 1) & mask; slots[j].used; j = (j + 1) & mask) {
        const size_t home = Home(Hash{}(slots[j].value.key()));
        const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (stays) continue;
        slots[hole] = slots[j];
        hole = j;
      }
      slots[hole].used = false;
      count.store(--used, std::memory_order_relaxed);
      return true;
    }

    void Grow() {
      const size_t new_capacity = capacity() == 0 ? 16 : capacity() * 2;
      HugePageArray<Slot> old = std::exchange(slots, HugePageArray<Slot>(new_capacity));
      for (size_t i = 0; i < old.size(); ++i) {
        if (old[i].used) slots[Probe(old[i].value.key(), Hash{}(old[i].value.key()))] = old[i];
      }
      prefetch_base.store(reinterpret_cast<uintptr_t>(slots.get()), std::memory_order_relaxed);
      prefetch_mask.store(capacity() - 1, std::memory_order_relaxed);
    }
  };

  static size_t ShardOfHash(uint64_t h) { return static_cast<size_t>(h >> (64 - kShardBits)); }

  Shard shards_[kShards];
};

}  // namespace ihub
