// Store: committing and applying batches of mutations. See store.h.
#include "store/store.h"

#include <algorithm>
#include <shared_mutex>
#include <type_traits>

namespace ihub {
namespace {

template <typename Op>
struct OpTraits;
template <typename R>
struct OpTraits<Put<R>> {
  using Record = R;
  static constexpr bool kPut = true;
};
template <typename R>
struct OpTraits<Erase<R>> {
  using Record = R;
  static constexpr bool kPut = false;
};

}  // namespace

void Store::SetJournalSink(JournalSink sink) {
  std::lock_guard lock(writer_mu_);
  sink_ = std::move(sink);
}

Result<uint64_t> Store::CommitLocked(const MutationBatch& batch) {
  if (batch.empty()) return uint64_t{0};
  uint64_t seq = last_seq_.load(std::memory_order_relaxed) + 1;
  if (sink_) {
    // Journal first: a batch that cannot be made durable must not become visible.
    Result<uint64_t> journaled = sink_(batch);
    if (!journaled.ok()) return journaled.status();
    seq = journaled.value();
  }
  ApplyLocked(batch);
  last_seq_.store(seq, std::memory_order_release);
  return seq;
}

void Store::Apply(const MutationBatch& batch, uint64_t seq) {
  std::lock_guard lock(writer_mu_);
  ApplyLocked(batch);
  if (seq != 0) last_seq_.store(seq, std::memory_order_release);
}

void Store::ApplyLocked(const MutationBatch& batch) {
  if (batch.empty()) return;
  // Every state a record passes through in this batch is either committed (read here) or a
  // staged Put (collected here too), so these are all the shards the apply below touches.
  // Committed state cannot move under us: we hold the writer mutex.
  std::vector<std::shared_mutex*> locks;
  for (const Mutation& m : batch) {
    std::visit(
        [&](const auto& op) {
          using Traits = OpTraits<std::decay_t<decltype(op)>>;
          using Record = typename Traits::Record;
          const Table<Record>& t = table<Record>();
          if constexpr (Traits::kPut) {
            std::optional<Record> old = t.Get(op.record.key());
            t.CollectLocks(old ? &*old : nullptr, &op.record, locks);
          } else {
            std::optional<Record> old = t.Get(op.key);
            if (old) t.CollectLocks(&*old, nullptr, locks);
          }
        },
        m);
  }
  // One fixed order (by address) so that two lockers of several shards can never deadlock.
  std::sort(locks.begin(), locks.end());
  locks.erase(std::unique(locks.begin(), locks.end()), locks.end());
  for (std::shared_mutex* mu : locks) mu->lock();
  for (const Mutation& m : batch) {
    std::visit(
        [&](const auto& op) {
          using Traits = OpTraits<std::decay_t<decltype(op)>>;
          Table<typename Traits::Record>& t = mutable_table<typename Traits::Record>();
          if constexpr (Traits::kPut) {
            t.PutLocked(op.record);
          } else {
            t.EraseLocked(op.key);
          }
        },
        m);
  }
  for (auto it = locks.rbegin(); it != locks.rend(); ++it) (*it)->unlock();
}

std::vector<Store::Count> Store::RecordCounts() const {
  std::vector<Count> counts;
  ForEachTable([&](const auto& t) {
    counts.push_back({std::decay_t<decltype(t)>::RecordType::kKind, t.size()});
  });
  return counts;
}

}  // namespace ihub
