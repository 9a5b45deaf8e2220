// Store snapshots: a point-in-time image of every table, written as the
// payload of a snapshot file (store/snapshot_file.h), and loaded back; plus
// the cereal encoding of one write's mutations for the journal.
//
// Capture does not stop the store. Each table is copied shard by shard, each
// shard under its own shared lock, while writes go on; the batches committed
// meanwhile are recorded by a CommitTap (fed by the journal sink) and replayed
// onto the copy, so the image is exactly the store at one journal sequence.
// Writes pause only for two instants: reading the start and end sequences.
//
// Payload (cereal binary archive), format version 1:
//   u32 table_count, then per table in RecordKinds order:
//   string kind (Record::kKind), u64 count, count × Record (its serialize()).
// Loading matches tables by kind name, so a snapshot made before a kind was
// appended to RecordKinds still loads (that table starts empty).
//
// Thread-safety: WriteStoreSnapshot may run on any thread alongside readers
// and writers of the store; it must not run twice at once with the same tap
// (the persistence layer serializes snapshots). LoadStoreSnapshot REQUIRES a
// store nobody else uses yet. A CommitTap is guarded by the store's writer
// mutex: OnCommit is called from the journal sink, the rest from
// Store::WithWritesPaused.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/mutation.h"
#include "store/snapshot_file.h"
#include "store/status.h"

namespace ihub {

class Store;

// Journal payload of one write: the cereal binary archive of its batch.
std::string EncodeBatch(const MutationBatch& batch);
// Decodes a journal payload. kInvalidArgument if it does not parse.
Status DecodeBatch(std::string_view payload, MutationBatch* batch);

class CommitTap {
 public:
  // Records the batch if a capture is running. REQUIRES: the store's writer
  // mutex is held (the journal sink is called under it).
  void OnCommit(uint64_t seq, const MutationBatch& batch) {
    if (active_) log_.emplace_back(seq, batch);
  }

 private:
  friend class SnapshotCapture;
  bool active_ = false;
  std::vector<std::pair<uint64_t, MutationBatch>> log_;
};

struct StoreSnapshotResult {
  SnapshotHeader header;
  std::string path;
  double capture_seconds = 0;  // copying shards and rolling forward
  double write_seconds = 0;    // serializing, writing and syncing
};

// Writes a snapshot of `store` to `path` with snapshot counter `sequence`.
// With a tap, capture runs alongside writes (see above); with tap == nullptr,
// writes are paused for the whole capture (offline tools, tests).
Result<StoreSnapshotResult> WriteStoreSnapshot(const Store& store, CommitTap* tap,
                                               const std::string& path, uint64_t sequence,
                                               int64_t created_at_ms);

// Reads, fully checks, and loads the snapshot at `path` into `store`, whose
// last_seq() becomes the snapshot's journal sequence. Errors: as
// ReadSnapshotFile (IsCorruptSnapshot tells damage from I/O, and nothing was
// loaded); a payload that passes its checksum but does not parse is kInternal,
// and then `store` may hold part of it.
// REQUIRES: `store` is empty and not yet shared.
Result<SnapshotHeader> LoadStoreSnapshot(
    const std::string& path, Store* store,
    const std::function<void(uint64_t, uint64_t)>& progress = nullptr);

// Decodes a checked payload table by table without a Store: calls
// on_table(kind, count) and then on_record(kind, record as a Mutation Put) for
// each record. For export tools.
Status VisitSnapshotPayload(std::string_view payload,
                            const std::function<void(std::string_view kind, uint64_t count)>& on_table,
                            const std::function<void(Mutation&& put)>& on_record);

}  // namespace ihub
