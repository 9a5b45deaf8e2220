#include "store/journal_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "store/journal_format.h"

namespace ihub {

namespace jf = journal_format;
namespace fs = std::filesystem;

Result<std::vector<JournalSegment>> ListJournalSegments(const std::string& dir) {
  std::vector<JournalSegment> segments;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return segments;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    uint64_t first = 0;
    if (!jf::ParseSegmentName(entry.path().filename().string(), &first)) continue;
    std::error_code size_ec;
    uint64_t size = entry.file_size(size_ec);
    segments.push_back({entry.path().string(), first, size_ec ? 0 : size});
  }
  if (ec) return Status::Internal("list journal " + dir + ": " + ec.message());
  std::sort(segments.begin(), segments.end(),
            [](const auto& a, const auto& b) { return a.first_seq < b.first_seq; });
  return segments;
}

JournalReader::JournalReader(std::vector<JournalSegment> segments, uint64_t after_seq)
    : segments_(std::move(segments)), after_seq_(after_seq) {}

Result<JournalReader> JournalReader::Open(const std::string& dir, uint64_t after_seq) {
  auto segments = ListJournalSegments(dir);
  if (!segments.ok()) return segments.status();
  // Segment i holds [first_i, first_{i+1}); skip those wholly covered by after_seq.
  size_t skip = 0;
  while (skip + 1 < segments->size() && (*segments)[skip + 1].first_seq <= after_seq + 1) ++skip;
  segments->erase(segments->begin(), segments->begin() + static_cast<ptrdiff_t>(skip));
  return JournalReader(std::move(*segments), after_seq);
}

bool JournalReader::Fail(std::string reason) {
  const JournalSegment& seg = segments_[next_segment_ - 1];
  JournalProblem p;
  p.segment = seg.path;
  p.offset = offset_;
  p.expected_seq = expected_seq_;
  p.reason = std::move(reason);
  for (size_t i = next_segment_; i < segments_.size(); ++i) {
    p.later_segments.push_back(segments_[i].path);
  }
  problem_ = std::move(p);
  fd_.Reset();
  next_segment_ = segments_.size();
  return false;
}

bool JournalReader::OpenNextSegment() {
  fd_.Reset();
  if (next_segment_ >= segments_.size()) return false;
  const JournalSegment& seg = segments_[next_segment_++];
  offset_ = 0;
  if (expected_seq_ == 0) {
    // A journal that starts later than the snapshot ends has lost records.
    if (seg.first_seq > after_seq_ + 1) {
      expected_seq_ = after_seq_ + 1;
      return Fail("records " + std::to_string(after_seq_ + 1) + ".." +
                  std::to_string(seg.first_seq - 1) + " are missing");
    }
    expected_seq_ = seg.first_seq;
  } else if (seg.first_seq != expected_seq_) {
    return Fail("segment starts at sequence " + std::to_string(seg.first_seq));
  }
  fd_ = UniqueFd(::open(seg.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd_.valid()) return Fail("cannot open: " + ErrnoStatus("open", "", errno).message());
  struct stat st {};
  if (::fstat(fd_.get(), &st) != 0) return Fail("cannot stat");
  size_ = static_cast<uint64_t>(st.st_size);
  // A crash right after the file was created leaves it empty: a clean end.
  if (size_ == 0 && next_segment_ == segments_.size()) return false;
  char header[jf::kSegmentHeaderSize];
  if (size_ < jf::kSegmentHeaderSize) return Fail("torn segment header");
  if (!PreadExact(fd_.get(), header, sizeof(header), 0, seg.path).ok() ||
      !jf::SegmentHeaderValid(std::string_view(header, sizeof(header)))) {
    return Fail("bad segment header");
  }
  offset_ = jf::kSegmentHeaderSize;
  bytes_read_ += jf::kSegmentHeaderSize;
  return true;
}

bool JournalReader::ReadRecord(uint64_t* seq, std::string* payload) {
  const std::string& path = segments_[next_segment_ - 1].path;
  uint64_t remaining = size_ - offset_;
  if (remaining < jf::kRecordHeaderSize) return Fail("torn record header");
  char header[jf::kRecordHeaderSize];
  if (!PreadExact(fd_.get(), header, sizeof(header), offset_, path).ok()) {
    return Fail("read error");
  }
  jf::RecordHeader h = jf::DecodeRecordHeader(header);
  if (h.magic != jf::kRecordMagic) return Fail("bad record magic");
  if (h.length > jf::kMaxRecordPayload) return Fail("record length over the limit");
  if (h.length > remaining - jf::kRecordHeaderSize) return Fail("torn record");
  // The length is now bounded by the file, so this allocation is safe.
  payload->resize(h.length);
  if (!PreadExact(fd_.get(), payload->data(), h.length, offset_ + jf::kRecordHeaderSize, path)
           .ok()) {
    return Fail("read error");
  }
  if (!jf::RecordCrcMatches(header, *payload)) return Fail("checksum mismatch");
  if (h.sequence != expected_seq_) {
    return Fail("sequence " + std::to_string(h.sequence) + " out of order");
  }
  *seq = h.sequence;
  offset_ += jf::kRecordHeaderSize + h.length;
  bytes_read_ += jf::kRecordHeaderSize + h.length;
  ++expected_seq_;
  ++records_read_;
  return true;
}

bool JournalReader::Next(uint64_t* seq, std::string* payload) {
  for (;;) {
    if (problem_) return false;
    if (!fd_.valid() || offset_ == size_) {
      if (!OpenNextSegment()) return false;
      continue;
    }
    if (!ReadRecord(seq, payload)) return false;
    if (*seq > after_seq_) return true;
  }
}

namespace {

Status Quarantine(const JournalProblem& problem, std::vector<std::string>* actions) {
  std::error_code ec;
  if (problem.offset < jf::kSegmentHeaderSize) {
    // Not even a good segment header: set the file aside whole.
    std::string to = FreshName(problem.segment + std::string(jf::kCorruptSuffix));
    fs::rename(problem.segment, to, ec);
    if (ec) return Status::Internal("rename " + problem.segment + ": " + ec.message());
    actions->push_back("renamed " + problem.segment + " to " + to);
  } else {
    std::string tail = FreshName(problem.segment + std::string(jf::kCorruptTailSuffix));
    if (Status s = CopyTail(problem.segment, problem.offset, tail); !s.ok()) return s;
    if (::truncate(problem.segment.c_str(), static_cast<off_t>(problem.offset)) != 0) {
      return ErrnoStatus("truncate", problem.segment, errno);
    }
    UniqueFd fd(::open(problem.segment.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid() || ::fsync(fd.get()) != 0) return ErrnoStatus("fsync", problem.segment, errno);
    actions->push_back("moved bytes from offset " + std::to_string(problem.offset) + " of " +
                       problem.segment + " to " + tail + " and truncated the segment");
  }
  for (const std::string& later : problem.later_segments) {
    std::string to = FreshName(later + std::string(jf::kCorruptSuffix));
    fs::rename(later, to, ec);
    if (ec) return Status::Internal("rename " + later + ": " + ec.message());
    actions->push_back("renamed " + later + " to " + to);
  }
  return SyncDir(fs::path(problem.segment).parent_path().string());
}

}  // namespace

Result<JournalRecovery> RecoverJournal(
    const std::string& dir, uint64_t after_seq,
    const std::function<Status(uint64_t seq, std::string_view payload)>& apply) {
  auto reader = JournalReader::Open(dir, after_seq);
  if (!reader.ok()) return reader.status();
  JournalRecovery out;
  uint64_t seq = 0;
  std::string payload;
  while (reader->Next(&seq, &payload)) {
    if (Status s = apply(seq, payload); !s.ok()) return s;
    ++out.records_replayed;
  }
  out.last_seq = std::max(after_seq, reader->last_seq());
  out.problem = reader->problem();
  if (out.problem) {
    if (Status s = Quarantine(*out.problem, &out.actions); !s.ok()) return s;
  }
  return out;
}

}  // namespace ihub
