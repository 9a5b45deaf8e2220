// ShardedMap: a hash map split into 2^kShardBits lock-striped shards, the base of every table.
//
// A key's 64-bit hash is computed once per call; its HIGH kShardBits bits pick the shard, and the
// remaining bits (rotated into place) are handed to the shard's boost::unordered_flat_map as an
// already-avalanching hash, so the flat map neither re-hashes nor re-mixes the key. If `Hash`
// declares `is_avalanching` (e.g. a hasher over SHA-256 digests) its output is used as is;
// otherwise it is put through a multiply-xorshift finalizer first.
//
// Thread-safety: every public member is safe to call from any thread. A reader holds one shard's
// shared lock for the duration of its callback; a writer holds one shard's exclusive lock. Readers
// of one shard never wait for writers of another. Callbacks run under a shard lock: they must be
// short, must not block and must not call back into the same map (self-deadlock).
// Multi-shard atomic commits (store/store.cc) lock shards themselves through shard_mutex() and
// then use the *Locked members.
#pragma once

#include <atomic>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/unordered/hash_traits.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include "store/sharded_map_common.h"
#include "store/string_hash.h"

namespace ihub {

// The default key hasher: HashString (store/string_hash.h), transparent over string types so that a
// std::string-keyed map can be probed with a std::string_view without building a std::string, and
// over inline keys that expose their bytes as view(); integers hash their bytes. Its output
// avalanches.
struct DefaultShardHash {
  using is_transparent = void;
  using is_avalanching = void;
  size_t operator()(std::string_view s) const noexcept { return HashString(s); }
  template <typename T>
    requires requires(const T& v) {
      { v.view() } -> std::convertible_to<std::string_view>;
    }
  size_t operator()(const T& v) const noexcept {
    return HashString(v.view());
  }
  template <std::integral T>
  size_t operator()(T v) const noexcept {
    return HashString(std::string_view(reinterpret_cast<const char*>(&v), sizeof v));
  }
};

template <typename K, typename V, typename Hash = DefaultShardHash, int kShardBits = 6,
          typename Eq = std::equal_to<>>
class ShardedMap : public ShardedMapCommon<ShardedMap<K, V, Hash, kShardBits, Eq>> {
  static_assert(kShardBits >= 0 && kShardBits <= 12, "between 1 and 4096 shards");
  friend class ShardedMapCommon<ShardedMap>;  // size() and ForEach() read shards_

 public:
  static constexpr size_t kShards = size_t{1} << kShardBits;
  using Mutex = std::shared_mutex;

  ShardedMap() = default;
  ShardedMap(const ShardedMap&) = delete;
  ShardedMap& operator=(const ShardedMap&) = delete;

  // Calls fn(const V&) under the key's shard shared lock if the key is present; returns whether
  // it was. The hot path: no allocation, no copy. `key` may be any type Hash and Eq accept
  // together with K (e.g. std::string_view for std::string keys).
  template <typename KLike, typename Fn>
  bool Read(const KLike& key, Fn&& fn) const {
    const uint64_t h = HashOf(key);
    const Shard& s = shards_[ShardOfHash(h)];
    std::shared_lock lock(s.mu);
    auto it = s.map.find(Prehashed<KLike>{key, InnerHash(h)});
    if (it == s.map.end()) return false;
    std::forward<Fn>(fn)(std::as_const(it->second));
    return true;
  }

  // Returns a copy of the value, or nullopt when absent.
  template <typename KLike>
  std::optional<V> Get(const KLike& key) const {
    std::optional<V> out;
    Read(key, [&](const V& v) { out.emplace(v); });
    return out;
  }

  template <typename KLike>
  bool Contains(const KLike& key) const {
    return Read(key, [](const V&) {});
  }

  // Inserts or replaces the value for `key`.
  void Put(K key, V value) {
    Shard& s = shards_[ShardOf(key)];
    std::unique_lock lock(s.mu);
    PutInShard(s, std::move(key), std::move(value));
  }

  // Removes `key`; returns whether it was present.
  template <typename KLike>
  bool Erase(const KLike& key) {
    Shard& s = shards_[ShardOf(key)];
    std::unique_lock lock(s.mu);
    return EraseInShard(s, key);
  }

  // Calls fn(V&) under the key's shard exclusive lock if present; returns whether it was.
  // fn must keep the value's key-derived invariants (it cannot change the key).
  template <typename KLike, typename Fn>
  bool Mutate(const KLike& key, Fn&& fn) {
    const uint64_t h = HashOf(key);
    Shard& s = shards_[ShardOfHash(h)];
    std::unique_lock lock(s.mu);
    auto it = s.map.find(Prehashed<KLike>{key, InnerHash(h)});
    if (it == s.map.end()) return false;
    std::forward<Fn>(fn)(it->second);
    return true;
  }

  // Calls fn(const K&, const V&) for every entry of one shard under its shared lock.
  // REQUIRES: shard < kShards.
  template <typename Fn>
  void ForEachInShard(size_t shard, Fn&& fn) const {
    const Shard& s = shards_[shard];
    std::shared_lock lock(s.mu);
    for (const auto& [k, v] : s.map) fn(k, v);
  }

  // Erases every entry for which pred(const K&, const V&) is true, shard by shard (each shard
  // under its exclusive lock, so readers of other shards keep going). Returns how many.
  template <typename Pred>
  size_t EraseIf(Pred&& pred) {
    size_t erased = 0;
    for (Shard& s : shards_) {
      std::unique_lock lock(s.mu);
      const size_t n = boost::unordered::erase_if(
          s.map, [&](const auto& kv) { return pred(kv.first, std::as_const(kv.second)); });
      if (n != 0) s.count.store(s.map.size(), std::memory_order_relaxed);
      erased += n;
    }
    return erased;
  }

  // --- Multi-shard commits: lock shards yourself, then use the *Locked members. ---

  // The shard that holds `key`.
  template <typename KLike>
  size_t ShardOf(const KLike& key) const {
    return ShardOfHash(HashOf(key));
  }

  // The reader-writer lock of one shard. REQUIRES: shard < kShards.
  Mutex& shard_mutex(size_t shard) const { return shards_[shard].mu; }

  // REQUIRES: the caller holds shard_mutex(ShardOf(key)) exclusively.
  void PutLocked(K key, V value) {
    Shard& s = shards_[ShardOf(key)];  // before `key` is moved from
    PutInShard(s, std::move(key), std::move(value));
  }

  // REQUIRES: the caller holds shard_mutex(ShardOf(key)) exclusively.
  template <typename KLike>
  bool EraseLocked(const KLike& key) {
    return EraseInShard(shards_[ShardOf(key)], key);
  }

  // Returns a pointer to the value, valid while the caller keeps holding the shard lock.
  // REQUIRES: the caller holds shard_mutex(ShardOf(key)), shared or exclusive.
  template <typename KLike>
  const V* FindLocked(const KLike& key) const {
    const uint64_t h = HashOf(key);
    const Shard& s = shards_[ShardOfHash(h)];
    auto it = s.map.find(Prehashed<KLike>{key, InnerHash(h)});
    return it == s.map.end() ? nullptr : &it->second;
  }

  // As above, for changing the value in place.
  // REQUIRES: the caller holds shard_mutex(ShardOf(key)) exclusively.
  template <typename KLike>
  V* FindLocked(const KLike& key) {
    return const_cast<V*>(std::as_const(*this).FindLocked(key));
  }

  // Returns the value for `key`, default-constructing it first if absent.
  // REQUIRES: the caller holds shard_mutex(ShardOf(key)) exclusively.
  V& FindOrCreateLocked(const K& key) {
    Shard& s = shards_[ShardOf(key)];
    auto [it, inserted] = s.map.try_emplace(key);
    if (inserted) s.count.store(s.map.size(), std::memory_order_relaxed);
    return it->second;
  }

 private:
  // A lookup key that carries its already computed inner hash.
  template <typename KLike>
  struct Prehashed {
    const KLike& key;
    size_t inner_hash;
  };

  // The flat map's hasher: K is hashed in full; a Prehashed key hands over its hash.
  struct InnerHasher {
    using is_transparent = void;
    using is_avalanching = void;  // our output is already mixed: boost must not mix again
    size_t operator()(const K& k) const noexcept { return InnerHash(HashOf(k)); }
    template <typename KLike>
    size_t operator()(const Prehashed<KLike>& p) const noexcept {
      return p.inner_hash;
    }
  };

  struct InnerEq {
    using is_transparent = void;
    bool operator()(const K& a, const K& b) const { return Eq{}(a, b); }
    template <typename KLike>
    bool operator()(const Prehashed<KLike>& p, const K& k) const {
      return Eq{}(p.key, k);
    }
    template <typename KLike>
    bool operator()(const K& k, const Prehashed<KLike>& p) const {
      return Eq{}(k, p.key);
    }
  };

  using Map = boost::unordered_flat_map<K, V, InnerHasher, InnerEq>;

  // Cache-line aligned so that two cores working on neighbouring shards do not bounce a line.
  struct alignas(64) Shard {
    mutable Mutex mu;
    Map map;                         // GUARDED_BY(mu)
    std::atomic<size_t> count{0};    // written under mu (exclusive), read without a lock
  };

  template <typename KLike>
  static uint64_t HashOf(const KLike& key) noexcept {
    uint64_t h = Hash{}(key);
    if constexpr (!boost::unordered::hash_is_avalanching<Hash>::value) {
      // Multiply-xorshift finalizer (the murmur3 fmix64 constants): every input bit reaches
      // the high bits, which choose the shard.
      h ^= h >> 33;
      h *= 0xff51afd7ed558ccdULL;
      h ^= h >> 33;
      h *= 0xc4ceb9fe1a85ec53ULL;
      h ^= h >> 33;
    }
    return h;
  }

  static size_t ShardOfHash(uint64_t h) noexcept {
    if constexpr (kShardBits == 0) {
      return 0;
    } else {
      return static_cast<size_t>(h >> (64 - kShardBits));
    }
  }

  // boost's flat map takes its group position from the high bits and its 7-bit tag from the low
  // byte. The shard bits are constant within a shard, so rotate them out of both places.
  static size_t InnerHash(uint64_t h) noexcept {
    return static_cast<size_t>(std::rotl(h, kShardBits + 8));
  }

  static void PutInShard(Shard& s, K key, V value) {
    s.map.insert_or_assign(std::move(key), std::move(value));
    s.count.store(s.map.size(), std::memory_order_relaxed);
  }

  template <typename KLike>
  static bool EraseInShard(Shard& s, const KLike& key) {
    const uint64_t h = HashOf(key);
    const bool erased = s.map.erase(Prehashed<KLike>{key, InnerHash(h)}) != 0;
    if (erased) s.count.store(s.map.size(), std::memory_order_relaxed);
    return erased;
  }

  Shard shards_[kShards];
};

}  // namespace ihub
