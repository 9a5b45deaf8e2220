#include "store/persistence.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>

#include "store/clock.h"
#include "store/journal_reader.h"
#include "store/store.h"

namespace ihub {
namespace {

Status CheckDir(const std::string& dir, std::string_view what) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    return ErrnoStatus(std::string("cannot use ") + std::string(what), dir, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::Internal(std::string(what) + " " + dir + " is not a directory");
  }
  if (::access(dir.c_str(), R_OK | W_OK | X_OK) != 0) {
    return ErrnoStatus(std::string(what) + " is not readable and writable:", dir, errno);
  }
  return Status::Ok();
}

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

}  // namespace

Persistence::Persistence(PersistenceOptions options, Store* store, const Clock* clock)
    : options_(std::move(options)),
      store_(store),
      clock_(clock),
      snapshot_dir_(options_.data_dir + "/snapshots"),
      journal_dir_(options_.data_dir + "/journal") {}

Result<std::unique_ptr<Persistence>> Persistence::Open(PersistenceOptions options, Store* store,
                                                       const Clock* clock) {
  if (options.data_dir.empty()) return Status::InvalidArgument("no data dir given");
  if (options.snapshot_keep < 1) return Status::InvalidArgument("snapshot-keep must be >= 1");
  if (Status s = CheckDir(options.data_dir, "data dir"); !s.ok()) return s;
  std::unique_ptr<Persistence> p(new Persistence(std::move(options), store, clock));
  for (const std::string* dir : {&p->snapshot_dir_, &p->journal_dir_}) {
    if (Status s = EnsureDir(*dir); !s.ok()) return s;
    if (Status s = CheckDir(*dir, "data dir subdirectory"); !s.ok()) return s;
  }
  return p;
}

Persistence::~Persistence() { Shutdown(false); }

void Persistence::Warn(const std::string& message, RestoreReport* report) {
  if (report != nullptr) report->problems.push_back(message);
  if (options_.log) options_.log(true, message);
}

void Persistence::Info(const std::string& message) {
  if (options_.log) options_.log(false, message);
}

Result<bool> Persistence::LoadNewestSnapshot(RestoreReport* report) {
  if (Status s = RemoveStaleSnapshotTemporaries(snapshot_dir_); !s.ok()) return s;
  auto list = ListSnapshots(snapshot_dir_);
  if (!list.ok()) return list.status();
  if (!list->empty()) next_snapshot_seq_ = list->back().sequence + 1;
  for (auto it = list->rbegin(); it != list->rend(); ++it) {
    auto loaded = LoadStoreSnapshot(it->path, store_);
    if (loaded.ok()) {
      report->snapshot_path = it->path;
      report->snapshot_seq = loaded->journal_seq;
      report->snapshot_records = loaded->total_records();
      last_snapshot_journal_seq_ = loaded->journal_seq;
      have_snapshot_ = true;
      return true;
    }
    if (!IsCorruptSnapshot(loaded.status())) {
      // Unreadable rather than damaged, or unloadable after records were
      // applied: a good file may be sitting there. Stop rather than start empty.
      return loaded.status();
    }
    auto moved = QuarantineSnapshot(it->path);
    if (!moved.ok()) return moved.status();
    Warn(loaded.status().message() + "; renamed to " + *moved +
             (std::next(it) != list->rend() ? ", falling back to the previous snapshot" : ""),
         report);
  }
  return false;
}

Status Persistence::ReplayJournal(RestoreReport* report) {
  const uint64_t after = store_->last_seq();
  MutationBatch batch;
  auto recovery = RecoverJournal(journal_dir_, after, [&](uint64_t seq, std::string_view payload) {
    batch.clear();
    if (Status s = DecodeBatch(payload, &batch); !s.ok()) {
      return Status::Internal("journal record " + std::to_string(seq) + ": " + s.message());
    }
    store_->Apply(batch, seq);
    return Status::Ok();
  });
  if (!recovery.ok()) return recovery.status();
  report->journal_records = recovery->records_replayed;
  if (recovery->problem) {
    const JournalProblem& p = *recovery->problem;
    std::string msg = "journal damaged: " + p.reason + " in " + p.segment + " at offset " +
                      std::to_string(p.offset) + " (expected sequence " +
                      std::to_string(p.expected_seq) + "); replay stopped after sequence " +
                      std::to_string(recovery->last_seq);
    for (const std::string& a : recovery->actions) msg += "; " + a;
    Warn(msg, report);
  }
  auto journal = Journal::Open({journal_dir_, options_.fsync, 64ull << 20,
                                std::chrono::microseconds(options_.group_commit_delay_us)},
                               std::max(recovery->last_seq, store_->last_seq()) + 1);
  if (!journal.ok()) return journal.status();
  journal_ = std::move(*journal);
  return Status::Ok();
}

Result<RestoreReport> Persistence::Restore() {
  auto t0 = std::chrono::steady_clock::now();
  RestoreReport report;
  std::lock_guard snap_lock(snapshot_mu_);
  auto loaded = LoadNewestSnapshot(&report);
  if (!loaded.ok()) return loaded.status();
  if (Status s = ReplayJournal(&report); !s.ok()) return s;
  store_->SetJournalSink([this](const MutationBatch& batch) -> Result<uint64_t> {
    Result<uint64_t> seq = journal_->Append(EncodeBatch(batch));
    if (seq.ok()) tap_.OnCommit(*seq, batch);
    return seq;
  });
  report.last_seq = store_->last_seq();
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Info("restored: " + (report.snapshot_path.empty() ? std::string("no snapshot")
                                                     : "snapshot " + report.snapshot_path) +
       " (" + std::to_string(report.snapshot_records) + " records), " +
       std::to_string(report.journal_records) + " journal records replayed, sequence " +
       std::to_string(report.last_seq) + ", " + Fmt("%.3f s", report.seconds));
  thread_ = std::thread([this] { SnapshotThread(); });
  return report;
}

void Persistence::WhenDurable(uint64_t seq, DurableCallback done) {
  if (!journal_) {
    done(Status::Unavailable("journal not open"));
    return;
  }
  journal_->WhenDurable(seq, std::move(done));
}

Result<StoreSnapshotResult> Persistence::TakeSnapshot() {
  std::lock_guard lock(snapshot_mu_);
  return TakeSnapshotLocked();
}

Result<StoreSnapshotResult> Persistence::TakeSnapshotLocked() {
  if (!journal_) return Status::Unavailable("not restored yet");
  uint64_t seq = next_snapshot_seq_++;
  auto result = WriteStoreSnapshot(*store_, &tap_, snapshot_dir_ + "/" + SnapshotFileName(seq),
                                   seq, clock_->NowMs());
  if (!result.ok()) {
    Warn("snapshot " + std::to_string(seq) + " failed: " + result.status().message());
    return result;
  }
  last_snapshot_journal_seq_ = result->header.journal_seq;
  have_snapshot_ = true;
  {
    std::lock_guard l(mu_);
    ++snapshots_taken_;
  }
  Info("snapshot " + result->path + ": " + std::to_string(result->header.total_records()) +
       " records, " + std::to_string(result->header.payload_bytes) + " bytes, journal sequence " +
       std::to_string(result->header.journal_seq) + ", capture " +
       Fmt("%.3f s", result->capture_seconds) + ", write " + Fmt("%.3f s", result->write_seconds));
  if (Status s = CutBehind(); !s.ok()) Warn("cutting the journal failed: " + s.message());
  return result;
}

// After a durable snapshot: start a new journal segment, drop snapshots beyond
// --snapshot-keep, and journal segments older than the oldest one kept (item 103).
Status Persistence::CutBehind() {
  if (Status s = journal_->Rotate(); !s.ok()) return s;
  if (Status s = PruneSnapshots(snapshot_dir_, static_cast<size_t>(options_.snapshot_keep), nullptr);
      !s.ok()) {
    return s;
  }
  auto list = ListSnapshots(snapshot_dir_);
  if (!list.ok()) return list.status();
  for (const SnapshotInfo& info : *list) {
    if (info.header_status.ok()) return journal_->TruncateBefore(info.header.journal_seq + 1);
  }
  return Status::Ok();
}

void Persistence::RequestSnapshot(SnapshotDone done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_ && thread_.joinable()) {
      requests_.push_back(std::move(done));
      cv_.notify_one();
      return;
    }
  }
  done(Status::Unavailable("snapshots are not running"));
}

void Persistence::SnapshotThread() {
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::seconds(options_.snapshot_interval_s);
  auto next_periodic = Clock::now() + interval;
  for (;;) {
    std::vector<SnapshotDone> requests;
    {
      std::unique_lock lock(mu_);
      auto ready = [&] { return stopping_ || !requests_.empty(); };
      if (options_.snapshot_interval_s > 0) {
        cv_.wait_until(lock, next_periodic, ready);
      } else {
        cv_.wait(lock, ready);
      }
      if (stopping_) return;
      requests.swap(requests_);
    }
    if (requests.empty()) {
      next_periodic = Clock::now() + interval;
      std::lock_guard snap_lock(snapshot_mu_);
      if (store_->last_seq() != last_snapshot_journal_seq_) TakeSnapshotLocked();
      continue;
    }
    auto result = TakeSnapshot();
    for (auto& done : requests) done(result);
  }
}

Status Persistence::Shutdown(bool final_snapshot) {
  std::vector<SnapshotDone> orphans;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return Status::Ok();
    shut_down_ = true;
    stopping_ = true;
    orphans.swap(requests_);
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  for (auto& done : orphans) done(Status::Unavailable("shutting down"));
  Status result;
  if (final_snapshot && journal_) {
    std::lock_guard snap_lock(snapshot_mu_);
    if (store_->last_seq() != last_snapshot_journal_seq_) {
      auto r = TakeSnapshotLocked();
      if (!r.ok()) result = r.status();
    }
  }
  if (journal_) {
    Status s = journal_->Close();
    if (result.ok()) result = s;
  }
  return result;
}

uint64_t Persistence::snapshots_taken() const {
  std::lock_guard lock(mu_);
  return snapshots_taken_;
}

}  // namespace ihub
