#include "store/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <algorithm>
#include <utility>

#include "store/journal_format.h"

namespace ihub {

namespace jf = journal_format;

Result<FsyncMode> ParseFsyncMode(std::string_view name) {
  if (name == "always") return FsyncMode::kAlways;
  if (name == "batch") return FsyncMode::kBatch;
  if (name == "none") return FsyncMode::kNone;
  return Status::InvalidArgument("fsync must be always, batch or none");
}

Journal::Journal(JournalOptions options, uint64_t next_seq)
    : options_(std::move(options)), next_seq_(next_seq), durable_seq_(next_seq - 1) {}

Result<std::unique_ptr<Journal>> Journal::Open(JournalOptions options, uint64_t next_seq) {
  if (next_seq == 0) return Status::InvalidArgument("journal sequences start at 1");
  if (Status s = EnsureDir(options.dir); !s.ok()) return s;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(options.dir, ec)) {
    uint64_t first = 0;
    if (!jf::ParseSegmentName(entry.path().filename().string(), &first)) continue;
    uint64_t size = entry.file_size(ec);
    if (first > next_seq || (first == next_seq && size > jf::kSegmentHeaderSize)) {
      return Status::Internal("journal segment " + entry.path().string() +
                              " holds records at or after sequence " + std::to_string(next_seq) +
                              "; recover the journal before opening it");
    }
    // An empty segment with our name is a crash right after it was created.
    if (first == next_seq) std::filesystem::remove(entry.path(), ec);
  }
  if (ec) return Status::Internal("list journal " + options.dir + ": " + ec.message());

  std::unique_ptr<Journal> journal(new Journal(std::move(options), next_seq));
  if (Status s = journal->OpenSegment(next_seq); !s.ok()) return s;
  journal->thread_ = std::thread([j = journal.get()] { j->Run(); });
  return journal;
}

Journal::~Journal() { Close(); }

Status Journal::OpenSegment(uint64_t first_seq) {
  std::lock_guard seg_lock(segments_mu_);
  std::string path = jf::SegmentPath(options_.dir, first_seq);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600));
  if (!fd.valid()) return ErrnoStatus("create journal segment", path, errno);
  std::string header;
  jf::AppendSegmentHeader(&header);
  if (Status s = WriteAll(fd.get(), header.data(), header.size(), path); !s.ok()) return s;
  if (options_.fsync != FsyncMode::kNone) {
    // The segment's directory entry must be durable before any record in it
    // is acknowledged, or a crash could lose the whole file.
    if (::fdatasync(fd.get()) != 0) return ErrnoStatus("fdatasync", path, errno);
    if (Status s = SyncDir(options_.dir); !s.ok()) return s;
  }
  fd_ = std::move(fd);
  segment_path_ = std::move(path);
  segment_first_seq_ = first_seq;
  segment_bytes_ = header.size();
  segment_records_ = 0;
  std::lock_guard lock(mu_);
  ++stats_.segments;
  return Status::Ok();
}

Status Journal::CloseSegment() {
  std::lock_guard seg_lock(segments_mu_);
  fd_.Reset();  // every record in it was already synced (or kNone never syncs)
  segment_records_ = 0;
  return Status::Ok();
}

Result<uint64_t> Journal::Append(std::string_view payload) {
  if (payload.size() > jf::kMaxRecordPayload) {
    return Status::InvalidArgument("journal record too large");
  }
  std::lock_guard lock(mu_);
  if (!failed_.ok()) return failed_;
  if (closing_) return Status::Unavailable("journal closed");
  uint64_t seq = next_seq_++;
  if (pending_.bytes.empty()) pending_.first_seq = seq;
  jf::AppendRecord(seq, payload, &pending_.bytes);
  pending_.record_ends.push_back(pending_.bytes.size());
  ++stats_.appends;
  // A futex wake per record would cost the journal thread a context switch per write.
  if (idle_wait_ || (wake_at_records_ != 0 && pending_.record_ends.size() >= wake_at_records_)) {
    work_cv_.notify_one();
  }
  return seq;
}

void Journal::WhenDurable(uint64_t seq, DurableCallback callback) {
  Status inline_status;
  {
    std::lock_guard lock(mu_);
    if (closed_) {
      inline_status = seq <= durable_seq_ ? Status::Ok() : Status::Unavailable("journal closed");
    } else if (!failed_.ok()) {
      inline_status = failed_;
    } else {
      callbacks_.emplace(seq, std::move(callback));
      // Already durable: the thread must run it now. Otherwise it runs after the sync that
      // covers seq, which the thread is doing or will do for the record's Append.
      if (seq <= durable_seq_) work_cv_.notify_one();
      return;
    }
  }
  callback(inline_status);
}

Status Journal::WaitDurable(uint64_t seq) {
  std::unique_lock lock(mu_);
  durable_cv_.wait(lock, [&] { return durable_seq_ >= seq || !failed_.ok() || closed_; });
  if (durable_seq_ >= seq) return Status::Ok();
  if (!failed_.ok()) return failed_;
  return Status::Unavailable("journal closed");
}

Status Journal::Rotate() {
  std::unique_lock lock(mu_);
  if (closing_) return Status::Unavailable("journal closed");
  uint64_t ticket = ++rotate_requests_;
  work_cv_.notify_one();
  durable_cv_.wait(lock, [&] { return rotations_done_ >= ticket || !failed_.ok() || closed_; });
  if (rotations_done_ >= ticket) return Status::Ok();
  return failed_.ok() ? Status::Unavailable("journal closed") : failed_;
}

Status Journal::TruncateBefore(uint64_t seq) {
  std::lock_guard seg_lock(segments_mu_);
  std::vector<std::pair<uint64_t, std::filesystem::path>> segments;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(options_.dir, ec)) {
    uint64_t first = 0;
    if (jf::ParseSegmentName(entry.path().filename().string(), &first)) {
      segments.emplace_back(first, entry.path());
    }
  }
  if (ec) return Status::Internal("list journal " + options_.dir + ": " + ec.message());
  std::sort(segments.begin(), segments.end());
  uint64_t after_last;  // first sequence that is not in any segment on disk
  {
    std::lock_guard lock(mu_);
    after_last = next_seq_;
  }
  bool removed = false;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (fd_.valid() && segments[i].first == segment_first_seq_) break;  // being written
    uint64_t successor = i + 1 < segments.size() ? segments[i + 1].first : after_last;
    if (successor > seq) break;
    if (!std::filesystem::remove(segments[i].second, ec) && ec) {
      return Status::Internal("remove " + segments[i].second.string() + ": " + ec.message());
    }
    removed = true;
  }
  if (removed && options_.fsync != FsyncMode::kNone) return SyncDir(options_.dir);
  return Status::Ok();
}

Status Journal::Close() {
  std::lock_guard close_lock(close_mu_);  // one joiner, even if two threads close
  {
    std::lock_guard lock(mu_);
    if (closed_) return failed_;
    closing_ = true;
    work_cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  std::multimap<uint64_t, DurableCallback> orphans;
  Status result;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    orphans.swap(callbacks_);
    result = failed_;
    durable_cv_.notify_all();
  }
  for (auto& [seq, cb] : orphans) cb(Status::Unavailable("journal closed"));
  return result;
}

uint64_t Journal::last_seq() const {
  std::lock_guard lock(mu_);
  return next_seq_ - 1;
}

uint64_t Journal::durable_seq() const {
  std::lock_guard lock(mu_);
  return durable_seq_;
}

JournalStats Journal::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

// ---- journal thread -------------------------------------------------------

void Journal::AwaitGroup(std::unique_lock<std::mutex>& lock, size_t last_group) {
  if (options_.group_commit_delay.count() <= 0 || options_.fsync != FsyncMode::kBatch ||
      last_group < 2) {
    return;
  }
  // Twice the last group: groups grow while writers keep arriving within the delay, and shrink
  // back (the wait times out) once they stop.
  constexpr size_t kMaxGroup = 1024;
  const size_t target = std::min(2 * last_group, kMaxGroup);
  if (pending_.record_ends.size() >= target) return;
  wake_at_records_ = target;
  work_cv_.wait_for(lock, options_.group_commit_delay, [&] {
    return closing_ || rotate_requests_ > rotations_done_ || pending_.record_ends.size() >= target;
  });
  wake_at_records_ = 0;
}

void Journal::Run() {
  Batch batch;
  size_t last_group = 0;  // records covered by the last sync
  for (;;) {
    uint64_t rotate_ticket = 0;
    bool rotate = false;
    bool stop = false;
    {
      std::unique_lock lock(mu_);
      idle_wait_ = true;
      work_cv_.wait(lock, [&] {
        return closing_ || !pending_.bytes.empty() || rotate_requests_ > rotations_done_ ||
               (!callbacks_.empty() && callbacks_.begin()->first <= durable_seq_);
      });
      idle_wait_ = false;
      if (!pending_.bytes.empty()) AwaitGroup(lock, last_group);
      if (!failed_.ok()) return;
      std::swap(batch, pending_);
      pending_.bytes.clear();
      pending_.record_ends.clear();
      last_group = batch.record_ends.size();
      rotate_ticket = rotate_requests_;
      rotate = rotate_requests_ > rotations_done_;
      stop = closing_ && batch.bytes.empty();
    }
    Status s = batch.bytes.empty() ? Status::Ok() : WriteBatch(batch);
    if (s.ok() && fd_.valid() &&
        (segment_bytes_ >= options_.segment_target_bytes ||
         (rotate && segment_records_ > 0))) {
      s = CloseSegment();  // the next record opens a segment named by its sequence
    }
    if (!s.ok()) {
      MarkFailed(s);
      return;
    }
    {
      std::lock_guard lock(mu_);
      rotations_done_ = std::max(rotations_done_, rotate_ticket);
      durable_cv_.notify_all();
    }
    MarkDurable(batch.record_ends.empty() ? 0 : batch.first_seq + batch.record_ends.size() - 1);
    if (stop) {
      CloseSegment();
      return;
    }
  }
}

Status Journal::WriteBatch(const Batch& batch) {
  if (!fd_.valid()) {
    if (Status s = OpenSegment(batch.first_seq); !s.ok()) return s;
  }
  const char* data = batch.bytes.data();
  if (options_.fsync == FsyncMode::kAlways) {
    size_t start = 0;
    for (size_t i = 0; i < batch.record_ends.size(); ++i) {
      size_t end = batch.record_ends[i];
      if (Status s = WriteAll(fd_.get(), data + start, end - start, segment_path_); !s.ok()) {
        return s;
      }
      if (Status s = Sync(); !s.ok()) return s;
      // Counted before the record is acknowledged, so stats() never lags an acknowledgement.
      CountWritten(end - start, /*synced=*/true);
      MarkDurable(batch.first_seq + i);
      start = end;
    }
  } else {
    if (Status s = WriteAll(fd_.get(), data, batch.bytes.size(), segment_path_); !s.ok()) {
      return s;
    }
    const bool sync = options_.fsync == FsyncMode::kBatch;
    if (sync) {
      if (Status s = Sync(); !s.ok()) return s;
    }
    CountWritten(batch.bytes.size(), sync);  // Run acknowledges after this returns
  }
  segment_bytes_ += batch.bytes.size();
  segment_records_ += batch.record_ends.size();
  return Status::Ok();
}

void Journal::CountWritten(uint64_t bytes, bool synced) {
  std::lock_guard lock(mu_);
  stats_.bytes += bytes;
  ++stats_.writes;
  if (synced) ++stats_.syncs;
}

Status Journal::Sync() {
  if (::fdatasync(fd_.get()) != 0) return ErrnoStatus("fdatasync", segment_path_, errno);
  return Status::Ok();
}

void Journal::MarkDurable(uint64_t seq) {
  std::vector<DurableCallback> due;
  {
    std::lock_guard lock(mu_);
    durable_seq_ = std::max(durable_seq_, seq);
    auto end = callbacks_.upper_bound(durable_seq_);
    for (auto it = callbacks_.begin(); it != end; ++it) due.push_back(std::move(it->second));
    callbacks_.erase(callbacks_.begin(), end);
    durable_cv_.notify_all();
  }
  for (auto& cb : due) cb(Status::Ok());
}

void Journal::MarkFailed(const Status& status) {
  std::multimap<uint64_t, DurableCallback> failed;
  {
    std::lock_guard lock(mu_);
    failed_ = status;
    failed.swap(callbacks_);
    pending_ = Batch{};
    durable_cv_.notify_all();
  }
  for (auto& [seq, cb] : failed) cb(status);
}

}  // namespace ihub
