// Store: every table of the in-memory store, and the one way to change them: Write().
//
// Store::Write(body) runs body(WriteTxn&) under the single writer mutex. The body reads current
// state through the tables (or txn.Find for its own staged writes), validates, and stages
// txn.Put(record) / txn.Erase<Kind>(key). If the body returns an error nothing changes. If it
// returns ok, the batch goes to the journal sink first (if it fails, nothing changes), then is
// applied atomically: every shard the batch touches (records, listing and unique indexes) is
// locked exclusively, in address order, the changes are made, and the locks released. A reader
// holding any of those shard locks sees all of the batch or none of it.
//
// Thread-safety: all members are safe from any thread. Readers use the const table accessors
// and never take the writer mutex; they wait only for a commit that touches their shard.
// REQUIRES for bodies: no blocking I/O, and no call back into Store::Write (self-deadlock).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "store/mutation.h"
#include "store/records.h"
#include "store/status.h"
#include "store/table.h"

namespace ihub {

class Store;

// The staging area of one Store::Write. Only valid inside the body it was handed to.
class WriteTxn {
 public:
  // Stages an insert or replace of `record`.
  template <typename Record>
  void Put(Record record) {
    batch_.emplace_back(::ihub::Put<Record>{std::move(record)});
  }
  // Stages removal of the `Record` with primary key `key`.
  template <typename Record>
  void Erase(typename Record::Key key) {
    batch_.emplace_back(::ihub::Erase<Record>{std::move(key)});
  }

  // The record with primary key `key` as this transaction would leave it: its last staged Put or
  // Erase, else the committed record. Secondary-index lookups (table.GetBy) and listings see
  // committed state only: a body that stages two records with the same unique index key must
  // check that itself.
  template <typename Record, typename KLike>
  std::optional<Record> Find(const KLike& key) const;

  const Store& store() const { return store_; }
  const MutationBatch& staged() const { return batch_; }

 private:
  friend class Store;
  explicit WriteTxn(const Store& store) : store_(store) {}

  const Store& store_;
  MutationBatch batch_;
};

class Store {
 public:
  // Journals one batch; returns its sequence, or an error to refuse the write.
  using JournalSink = std::function<Result<uint64_t>(const MutationBatch&)>;
  struct Count {
    std::string_view kind;  // Record::kKind
    size_t records;
  };

  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const Table<OrgRecord>& orgs() const { return table<OrgRecord>(); }
  const Table<ApiKeyRecord>& api_keys() const { return table<ApiKeyRecord>(); }
  const Table<ClientRecord>& clients() const { return table<ClientRecord>(); }
  const Table<TokenRecord>& tokens() const { return table<TokenRecord>(); }
  template <typename Record>
  const Table<Record>& table() const {
    return std::get<Table<Record>>(tables_);
  }

  // Every later write's batch goes to `sink` before it is applied. Pass nullptr to remove it.
  void SetJournalSink(JournalSink sink);

  // Runs body(WriteTxn&) -> Status under the writer mutex and commits what it staged (see the
  // header comment). Returns the batch's journal sequence (without a sink: an in-memory counter),
  // 0 when the body staged nothing, or the body's or the journal's error (then nothing changed).
  template <typename Body>
  Result<uint64_t> Write(Body&& body) {
    std::lock_guard lock(writer_mu_);
    WriteTxn txn(*this);
    Status status = std::forward<Body>(body)(txn);
    if (!status.ok()) return status;
    return CommitLocked(txn.batch_);
  }

  // Applies a batch atomically without journaling it: journal replay and snapshot loading.
  // `seq` (if not 0) becomes last_seq().
  void Apply(const MutationBatch& batch, uint64_t seq = 0);

  // Erases every `Record` for which pred(const Record&) is true, WITHOUT journaling: for derived
  // clean-up that replay may safely undo (expired tokens, API-DECISIONS item 37). One shard is
  // locked (exclusively) at a time, so readers of other shards keep going; the writer mutex is
  // not taken, so writes are not held up either. Returns how many were erased.
  // REQUIRES: Record has no secondary index and no listing (only its primary map changes).
  template <typename Record, typename Pred>
  size_t EraseIf(Pred&& pred) {
    return mutable_table<Record>().EraseIfUnindexed(std::forward<Pred>(pred));
  }

  // The sequence of the last applied batch.
  uint64_t last_seq() const { return last_seq_.load(std::memory_order_acquire); }

  // Records per kind, in RecordKinds order (metrics, snapshot headers).
  std::vector<Count> RecordCounts() const;

  // Calls fn(const Table<R>&) for each kind, in RecordKinds order.
  template <typename Fn>
  void ForEachTable(Fn&& fn) const {
    std::apply([&](const auto&... t) { (fn(t), ...); }, tables_);
  }

  // Runs fn() while no write can commit, and returns what it returns; readers keep going.
  // For a point-in-time snapshot: inside fn, last_seq() and every table stay still.
  template <typename Fn>
  auto WithWritesPaused(Fn&& fn) const {
    std::lock_guard lock(writer_mu_);
    return std::forward<Fn>(fn)();
  }

 private:
  template <typename Kinds>
  struct TablesOf;
  template <typename... Records>
  struct TablesOf<KindList<Records...>> {
    using type = std::tuple<Table<Records>...>;
  };

  template <typename Record>
  Table<Record>& mutable_table() {
    return std::get<Table<Record>>(tables_);
  }

  // REQUIRES: writer_mu_ held.
  Result<uint64_t> CommitLocked(const MutationBatch& batch);
  void ApplyLocked(const MutationBatch& batch);

  mutable std::mutex writer_mu_;
  JournalSink sink_;                   // GUARDED_BY(writer_mu_)
  std::atomic<uint64_t> last_seq_{0};  // written under writer_mu_
  typename TablesOf<RecordKinds>::type tables_;
};

template <typename Record, typename KLike>
std::optional<Record> WriteTxn::Find(const KLike& key) const {
  for (auto it = batch_.rbegin(); it != batch_.rend(); ++it) {
    if (const auto* put = std::get_if<::ihub::Put<Record>>(&*it)) {
      if (put->record.key() == key) return put->record;
    } else if (const auto* erase = std::get_if<::ihub::Erase<Record>>(&*it)) {
      if (erase->key == key) return std::nullopt;
    }
  }
  return store_.table<Record>().Get(key);
}

}  // namespace ihub
