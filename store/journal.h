// Journal: the write-ahead log that makes acknowledged writes survive a crash.
//
// Every store write is appended as one record (store/journal_format.h) before
// it is applied. Append() only frames the record into an in-memory buffer and
// hands out the next sequence, so it is cheap enough to call under the store's
// writer mutex; a dedicated journal thread writes the buffer and syncs it:
//   - FsyncMode::kAlways: each record is written and fdatasync'ed on its own;
//   - FsyncMode::kBatch (default): group commit — everything appended while
//     one fdatasync is in flight is written and synced together by the next;
//   - FsyncMode::kNone: records are written, never synced (a crash of the
//     machine, not of the process, can lose the last writes).
// A record is "durable" once the sync that covers it has returned (for kNone,
// once it is written). WhenDurable() callbacks then run on the journal thread.
//
// If a write or sync fails, the journal fails for good: pending and later
// callbacks receive the error and Append() refuses further records, so no
// write is acknowledged that might not be on disk.
//
// Thread-safety: every public member may be called from any thread. Callbacks
// run on the journal thread and must not call Close().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/file_io.h"
#include "store/status.h"

namespace ihub {

enum class FsyncMode { kAlways, kBatch, kNone };

// "always" | "batch" | "none". (server/config.h names modes: FsyncModeName.)
Result<FsyncMode> ParseFsyncMode(std::string_view name);

struct JournalOptions {
  std::string dir;  // <data-dir>/journal; created if missing
  FsyncMode fsync = FsyncMode::kBatch;
  // A segment that grows past this is closed and a new one started, so that
  // TruncateBefore() can free space even between snapshots.
  uint64_t segment_target_bytes = 64ull << 20;
  // kBatch only: after a sync that covered more than one record (several writers are waiting),
  // the next write waits up to this long for as many records as that sync covered before it
  // starts. Writers that arrive together then share one fdatasync instead of a few each; a lone
  // writer is never delayed. 0 turns the wait off.
  std::chrono::microseconds group_commit_delay{0};
};

struct JournalStats {
  uint64_t appends = 0;   // records appended
  uint64_t bytes = 0;     // framed bytes written
  uint64_t writes = 0;    // write(2) batches
  uint64_t syncs = 0;     // fdatasync(2) calls for records
  uint64_t segments = 0;  // segments opened by this instance
};

using DurableCallback = std::function<void(const Status&)>;

class Journal {
 public:
  // Opens a journal whose next record gets sequence `next_seq` (the recovery
  // tells the caller: one past the last good record or the snapshot, whichever
  // is later) and starts its thread. A fresh segment named next_seq is created
  // and synced. Fails if a segment with records at or after next_seq exists,
  // since appending would fork the history.
  static Result<std::unique_ptr<Journal>> Open(JournalOptions options, uint64_t next_seq);

  ~Journal();  // Close()
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Frames `payload` into the write buffer and returns its sequence. Never
  // blocks on disk. Sequences are handed out in call order, without gaps.
  // Errors: kInvalidArgument if the payload exceeds the record limit;
  // kInternal after an I/O failure; kUnavailable once closed.
  Result<uint64_t> Append(std::string_view payload);

  // Runs `callback(Ok)` on the journal thread once `seq` is durable, or
  // `callback(error)` if the journal fails or closes first. If seq is already
  // durable the callback still runs on the journal thread, soon.
  void WhenDurable(uint64_t seq, DurableCallback callback);

  // Blocks until `seq` is durable; returns the failure otherwise. For tools,
  // tests and shutdown, never for a request thread.
  Status WaitDurable(uint64_t seq);

  // Makes the next record start a new segment; returns once the current
  // segment is synced and closed. A no-op when the current segment is empty.
  Status Rotate();

  // Deletes whole segments whose records all have sequences < seq (never the
  // segment being written). Called after a snapshot covering seq-1 is durable.
  Status TruncateBefore(uint64_t seq);

  // Writes and syncs every appended record, runs their callbacks, fails the
  // callbacks for sequences never appended, and stops the thread. Idempotent.
  Status Close();

  uint64_t last_seq() const;     // last sequence handed out
  uint64_t durable_seq() const;  // every sequence <= this is durable
  JournalStats stats() const;
  FsyncMode fsync_mode() const { return options_.fsync; }

 private:
  struct Batch {
    std::string bytes;               // framed records, in order
    std::vector<size_t> record_ends; // end offset of each record in bytes
    uint64_t first_seq = 0;
  };

  Journal(JournalOptions options, uint64_t next_seq);
  Status OpenSegment(uint64_t first_seq);
  Status CloseSegment();
  void Run();
  Status WriteBatch(const Batch& batch);
  void CountWritten(uint64_t bytes, bool synced);  // one write(2) into stats_, under mu_
  // The group-commit delay (JournalOptions::group_commit_delay). REQUIRES: mu_ held by `lock`.
  void AwaitGroup(std::unique_lock<std::mutex>& lock, size_t last_group);
  Status Sync();
  void MarkDurable(uint64_t seq);
  void MarkFailed(const Status& status);

  const JournalOptions options_;

  std::mutex close_mu_;  // held by Close() so that only one caller joins the thread
  mutable std::mutex mu_;
  std::condition_variable work_cv_;     // journal thread waits for work
  std::condition_variable durable_cv_;  // WaitDurable / Rotate wait on progress
  Batch pending_;                       // GUARDED_BY(mu_)
  uint64_t next_seq_;                   // GUARDED_BY(mu_)
  uint64_t durable_seq_;                // GUARDED_BY(mu_)
  Status failed_;                       // GUARDED_BY(mu_); sticky
  bool closing_ = false;                // GUARDED_BY(mu_)
  // What the journal thread waits for, so that Append wakes it only when it must: any work
  // (idle_wait_) or, during a group-commit delay, a batch of wake_at_records_ records.
  bool idle_wait_ = false;              // GUARDED_BY(mu_)
  size_t wake_at_records_ = 0;          // GUARDED_BY(mu_); 0 = not delaying
  bool closed_ = false;                 // GUARDED_BY(mu_)
  uint64_t rotate_requests_ = 0;        // GUARDED_BY(mu_)
  uint64_t rotations_done_ = 0;         // GUARDED_BY(mu_)
  std::multimap<uint64_t, DurableCallback> callbacks_;  // GUARDED_BY(mu_)
  JournalStats stats_;                  // GUARDED_BY(mu_)

  // Owned by the journal thread (and by Open before it starts).
  UniqueFd fd_;
  std::string segment_path_;
  uint64_t segment_first_seq_ = 0;
  uint64_t segment_bytes_ = 0;
  uint64_t segment_records_ = 0;
  mutable std::mutex segments_mu_;  // serializes segment switches with TruncateBefore

  std::thread thread_;
};

}  // namespace ihub
