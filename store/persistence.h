// Persistence: the data directory's lifecycle — restore at start-up, the
// journal sink and durability hook while serving, snapshots (periodic, on
// request, at shutdown), and cutting the journal behind them.
//
// Data directory layout:
//   <data-dir>/snapshots/snapshot-<n>.ihubsnap   (docs/snapshot-format.md)
//   <data-dir>/journal/<first-seq>.journal       (docs/journal-format.md)
//   <data-dir>/data.key, root.key                (keys; not written here)
//
// Restore loads the newest valid snapshot (a damaged one is renamed *.corrupt
// and the previous one tried), replays the journal after it, repairs a
// damaged journal tail, and opens the journal for appending. A data dir that
// is missing or cannot be read is an error: ihub never starts empty over data
// it could not read.
//
// Thread-safety: Open/Restore/Shutdown from the main thread, in that order.
// WhenDurable, TakeSnapshot and RequestSnapshot from any thread. Snapshots are
// serialized: one runs at a time; requests that arrive while one runs share
// the next one.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/journal.h"
#include "store/snapshot.h"
#include "store/status.h"

namespace ihub {

class Store;
class Clock;

struct PersistenceOptions {
  std::string data_dir;
  FsyncMode fsync = FsyncMode::kBatch;
  int snapshot_interval_s = 300;  // 0: no periodic snapshots
  int snapshot_keep = 5;
  // Receives what restore and snapshots did; warning = something was damaged
  // or failed. Called from the thread doing the work.
  std::function<void(bool warning, const std::string& message)> log;
  // JournalOptions::group_commit_delay, in microseconds (kBatch only).
  int group_commit_delay_us = 0;
};

struct RestoreReport {
  std::string snapshot_path;  // empty: no snapshot was loaded
  uint64_t snapshot_seq = 0;
  uint64_t snapshot_records = 0;
  uint64_t journal_records = 0;  // replayed after the snapshot
  uint64_t last_seq = 0;         // the store's sequence after restore
  std::vector<std::string> problems;  // damage found (also logged as warnings)
  double seconds = 0;
};

using SnapshotDone = std::function<void(const Result<StoreSnapshotResult>&)>;

class Persistence {
 public:
  // Checks that `data_dir` exists and is a readable, writable directory, and
  // creates snapshots/ and journal/ in it. kInternal with a clear message
  // otherwise.
  static Result<std::unique_ptr<Persistence>> Open(PersistenceOptions options, Store* store,
                                                   const Clock* clock);
  ~Persistence();  // Shutdown(false)

  // Loads the snapshot and the journal into the (empty) store, opens the
  // journal, installs the store's journal sink, and starts the snapshot
  // thread. Errors leave the store unusable; the caller exits.
  Result<RestoreReport> Restore();

  // Calls done(Ok) once journal sequence `seq` is durable, done(error) if the
  // journal fails first. Runs on the journal thread.
  void WhenDurable(uint64_t seq, DurableCallback done);

  // Takes a snapshot now on the calling thread (waits for one in progress)
  // and returns it once durable; then prunes old snapshots and the journal.
  Result<StoreSnapshotResult> TakeSnapshot();

  // Asks the snapshot thread for a snapshot; done runs on that thread once it
  // is durable (or failed). Requests made while one is being written share
  // the next snapshot.
  void RequestSnapshot(SnapshotDone done);

  // Stops the snapshot thread, takes a final snapshot if `final_snapshot`
  // and anything changed, and closes the journal. Idempotent.
  Status Shutdown(bool final_snapshot);

  const std::string& snapshot_dir() const { return snapshot_dir_; }
  const std::string& journal_dir() const { return journal_dir_; }
  Journal* journal() { return journal_.get(); }
  uint64_t snapshots_taken() const;

 private:
  Persistence(PersistenceOptions options, Store* store, const Clock* clock);
  Result<bool> LoadNewestSnapshot(RestoreReport* report);
  Status ReplayJournal(RestoreReport* report);
  void Warn(const std::string& message, RestoreReport* report = nullptr);
  void Info(const std::string& message);
  Result<StoreSnapshotResult> TakeSnapshotLocked();
  Status CutBehind();
  void SnapshotThread();

  const PersistenceOptions options_;
  Store* const store_;
  const Clock* const clock_;
  const std::string snapshot_dir_;
  const std::string journal_dir_;
  std::unique_ptr<Journal> journal_;
  CommitTap tap_;  // guarded by the store's writer mutex

  std::mutex snapshot_mu_;              // one snapshot at a time
  uint64_t next_snapshot_seq_ = 1;      // GUARDED_BY(snapshot_mu_)
  uint64_t last_snapshot_journal_seq_ = 0;  // GUARDED_BY(snapshot_mu_)
  bool have_snapshot_ = false;          // GUARDED_BY(snapshot_mu_)

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<SnapshotDone> requests_;  // GUARDED_BY(mu_)
  bool stopping_ = false;               // GUARDED_BY(mu_)
  bool shut_down_ = false;              // GUARDED_BY(mu_)
  uint64_t snapshots_taken_ = 0;        // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace ihub
