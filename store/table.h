// Table<Record>: one record kind's data: a ShardedMap by primary key, a per-group ordered index
// for paginated listing (an org's records; or every org), and the kind's unique secondary
// indexes (records.h). All three are kept in step by the store's commits.
//
// Thread-safety: the const members may be called from any thread at any time. Each single read
// (Read, Get, ReadBy, one page of ListByGroup) is consistent in itself: a commit locks every
// shard it touches before changing any of them. Across several reads there is no snapshot; a
// listing skips records erased between reading the index and reading the record.
// The *Locked and CollectLocks members are for Store's commit only (REQUIRES the store's writer
// mutex, plus the shard locks they name).
#pragma once

#include <cassert>
#include <cstddef>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "store/records.h"
#include "store/sharded_map.h"

namespace ihub {

// The primary map's key type: Record::MapKey when the record declares one (an in-memory form of
// its Key, constructible from key(), equal to and hashed like the Key it holds, so lookups by Key
// or its views still work), else Record::Key.
template <typename Record>
struct PrimaryMapKeyOf {
  using type = typename Record::Key;
};
template <typename Record>
  requires requires { typename Record::MapKey; }
struct PrimaryMapKeyOf<Record> {
  using type = typename Record::MapKey;
};

// The primary map: Record::PrimaryMap when the record names one (tokens: a SlotMap), else a
// ShardedMap by the map key. Both have the same members.
template <typename Record>
struct PrimaryMapOf {
  using type = ShardedMap<typename PrimaryMapKeyOf<Record>::type, Record, typename Record::KeyHash>;
};
template <typename Record>
  requires requires { typename Record::PrimaryMap; }
struct PrimaryMapOf<Record> {
  using type = typename Record::PrimaryMap;
};

template <typename Record, typename Indexes = typename Record::Indexes>
class Table;

template <typename Record, typename... Ix>
class Table<Record, IndexList<Ix...>> {
 public:
  using RecordType = Record;
  using Key = typename Record::Key;
  using MapKey = typename PrimaryMapKeyOf<Record>::type;
  using PrimaryMap = typename PrimaryMapOf<Record>::type;
  static constexpr bool kListed = requires(const Record& r) { r.list_group(); };

  struct ListPage {
    std::vector<Record> items;  // ordered by key
    std::string next_cursor;    // pass as cursor_after for the next page; empty when done
  };

  Table() = default;
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  // Calls fn(const Record&) under the record's shard lock if present; returns whether it was.
  template <typename KLike, typename Fn>
  bool Read(const KLike& key, Fn&& fn) const {
    return primary_.Read(key, std::forward<Fn>(fn));
  }
  template <typename KLike>
  std::optional<Record> Get(const KLike& key) const {
    return primary_.Get(key);
  }
  // A hint that `key` is about to be read, where the primary map offers one (SlotMap::Prefetch).
  template <typename KLike>
  void Prefetch(const KLike& key) const {
    primary_.Prefetch(key);
  }
  template <typename KLike>
  bool Contains(const KLike& key) const {
    return primary_.Contains(key);
  }

  // Lookups through a unique secondary index `Index` (one of the record's Indexes): the index
  // holds a copy of the record, so this is one probe.
  template <typename Index, typename KLike, typename Fn>
  bool ReadBy(const KLike& key, Fn&& fn) const {
    return index<Index>().Read(key, std::forward<Fn>(fn));
  }
  template <typename Index, typename KLike>
  std::optional<Record> GetBy(const KLike& key) const {
    return index<Index>().Get(key);
  }

  // Up to `limit` records of `group` with keys greater than `cursor_after` (empty: from the
  // start), in key order. The cursor is the last key returned, so records created or erased
  // between pages never cause a listed record to be skipped or repeated.
  ListPage ListByGroup(std::string_view group, std::string_view cursor_after, size_t limit) const
    requires kListed;
  // An org's records (org-owned kinds).
  ListPage ListByOrg(std::string_view org_id, std::string_view cursor_after, size_t limit) const
    requires kListed {
    return ListByGroup(org_id, cursor_after, limit);
  }
  // Every record of a kind listed as one group (orgs).
  ListPage ListAll(std::string_view cursor_after, size_t limit) const requires kListed {
    return ListByGroup({}, cursor_after, limit);
  }

  size_t size() const { return primary_.size(); }

  // Calls fn(const Record&) for every record, shard by shard (snapshots, sweeps).
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    primary_.ForEach([&](const MapKey&, const Record& r) { fn(r); });
  }

  const PrimaryMap& records() const { return primary_; }

  // Erases the records for which pred(const Record&) holds, shard by shard (Store::EraseIf).
  template <typename Pred>
  size_t EraseIfUnindexed(Pred&& pred)
    requires(!kListed && sizeof...(Ix) == 0)
  {
    return primary_.EraseIf([&](const MapKey&, const Record& r) { return pred(r); });
  }

  // --- Commit side (Store only). ---

  // Appends the shard locks that replacing `old` by `now` needs (either may be null).
  void CollectLocks(const Record* old, const Record* now, std::vector<std::shared_mutex*>& out) const;
  // Inserts or replaces the record and its index entries. REQUIRES: CollectLocks' locks held.
  void PutLocked(const Record& r);
  // Removes the record and its index entries if present. REQUIRES: CollectLocks' locks held.
  void EraseLocked(const Key& key);

 private:
  template <typename Index>
  using IndexMap = ShardedMap<typename Index::Key, Record, typename Index::Hash>;

  template <typename Index>
  const IndexMap<Index>& index() const {
    return std::get<IndexMap<Index>>(indexes_);
  }
  template <typename Index>
  IndexMap<Index>& index() {
    return std::get<IndexMap<Index>>(indexes_);
  }

  static std::string GroupOf(const Record& r) {
    if constexpr (kListed) {
      return std::string(r.list_group());
    } else {
      return {};
    }
  }

  template <typename Index>
  void PutIndexLocked(const Record* old, const Record& r);
  template <typename Index>
  void EraseIndexLocked(const Record& old);

  PrimaryMap primary_;
  // group -> keys of its records, ordered (used only when kListed).
  ShardedMap<std::string, std::set<Key, std::less<>>> groups_;
  std::tuple<IndexMap<Ix>...> indexes_;
};

template <typename Record, typename... Ix>
auto Table<Record, IndexList<Ix...>>::ListByGroup(std::string_view group,
                                                  std::string_view cursor_after,
                                                  size_t limit) const -> ListPage
  requires kListed
{
  ListPage page;
  std::string after(cursor_after);
  while (page.items.size() < limit) {
    // One more key than needed tells whether a next page exists.
    const size_t want = limit - page.items.size() + 1;
    std::vector<Key> keys;
    groups_.Read(group, [&](const std::set<Key, std::less<>>& ks) {
      for (auto it = ks.upper_bound(after); it != ks.end() && keys.size() < want; ++it) {
        keys.push_back(*it);
      }
    });
    for (const Key& k : keys) {
      if (page.items.size() == limit) {
        page.next_cursor = page.items.back().key();
        return page;
      }
      // Erased since the index was read: skip it.
      if (auto r = primary_.Get(k)) page.items.push_back(std::move(*r));
      after = k;
    }
    if (keys.size() < want) break;
  }
  return page;
}

template <typename Record, typename... Ix>
void Table<Record, IndexList<Ix...>>::CollectLocks(const Record* old, const Record* now,
                                                   std::vector<std::shared_mutex*>& out) const {
  for (const Record* r : {old, now}) {
    if (r == nullptr) continue;
    out.push_back(&primary_.shard_mutex(primary_.ShardOf(r->key())));
    if constexpr (kListed) out.push_back(&groups_.shard_mutex(groups_.ShardOf(r->list_group())));
    (out.push_back(&index<Ix>().shard_mutex(index<Ix>().ShardOf(Ix::KeyOf(*r)))), ...);
  }
}

template <typename Record, typename... Ix>
template <typename Index>
void Table<Record, IndexList<Ix...>>::PutIndexLocked(const Record* old, const Record& r) {
  auto& ix = index<Index>();
  const typename Index::Key new_key = Index::KeyOf(r);
  if (old != nullptr) {
    const typename Index::Key old_key = Index::KeyOf(*old);
    if (!(old_key == new_key)) ix.EraseLocked(old_key);
  }
  // A clash with another record's entry is a bug of the write body, which must check first.
  assert(ix.FindLocked(new_key) == nullptr || ix.FindLocked(new_key)->key() == r.key());
  ix.PutLocked(new_key, r);
}

template <typename Record, typename... Ix>
template <typename Index>
void Table<Record, IndexList<Ix...>>::EraseIndexLocked(const Record& old) {
  auto& ix = index<Index>();
  const typename Index::Key key = Index::KeyOf(old);
  const Record* entry = ix.FindLocked(key);
  if (entry != nullptr && entry->key() == old.key()) ix.EraseLocked(key);
}

template <typename Record, typename... Ix>
void Table<Record, IndexList<Ix...>>::PutLocked(const Record& r) {
  const Record* old = primary_.FindLocked(r.key());
  if constexpr (kListed) {
    if (old != nullptr && old->list_group() != r.list_group()) {
      auto* ks = groups_.FindLocked(old->list_group());
      if (ks != nullptr) ks->erase(old->key());
      if (ks != nullptr && ks->empty()) groups_.EraseLocked(old->list_group());
    }
    groups_.FindOrCreateLocked(GroupOf(r)).insert(r.key());
  }
  (PutIndexLocked<Ix>(old, r), ...);
  primary_.PutLocked(MapKey(r.key()), r);  // last: `old` points into primary_
}

template <typename Record, typename... Ix>
void Table<Record, IndexList<Ix...>>::EraseLocked(const Key& key) {
  const Record* old = primary_.FindLocked(key);
  if (old == nullptr) return;
  if constexpr (kListed) {
    auto* ks = groups_.FindLocked(old->list_group());
    if (ks != nullptr) {
      ks->erase(key);
      if (ks->empty()) groups_.EraseLocked(old->list_group());
    }
  }
  (EraseIndexLocked<Ix>(*old), ...);
  primary_.EraseLocked(key);
}

}  // namespace ihub
