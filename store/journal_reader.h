// JournalReader and RecoverJournal: reading the journal back, checking every
// record, and cutting it cleanly at the first damaged one.
//
// The reader walks the segments of a journal directory in sequence order and
// yields each good record after a given sequence (layout and the rules for a
// good record: store/journal_format.h). It never trusts a length it has not
// bounded by the file size and kMaxRecordPayload, and never crashes on a
// damaged file: it stops at the first bad, torn or out-of-sequence record and
// describes it in problem().
//
// RecoverJournal() replays through a callback and then repairs the directory
// per API-DECISIONS item 106 so that the journal can be opened for appending.
//
// Thread-safety: a JournalReader is used by one thread; it must not run while
// a Journal is appending to the same directory (start-up and offline tools).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/file_io.h"
#include "store/status.h"

namespace ihub {

// Where and why a journal stopped being readable.
struct JournalProblem {
  std::string segment;  // path of the segment holding the first bad byte
  uint64_t offset = 0;  // offset of the bad record (or header) in that segment
  uint64_t expected_seq = 0;  // the sequence that should have come next
  std::string reason;   // e.g. "torn record header", "checksum mismatch"
  std::vector<std::string> later_segments;  // whole segments after the bad one
};

struct JournalSegment {
  std::string path;
  uint64_t first_seq = 0;
  uint64_t size = 0;
};

// Segments of `dir` in sequence order (quarantined files excluded). A missing
// directory is an empty journal.
Result<std::vector<JournalSegment>> ListJournalSegments(const std::string& dir);

class JournalReader {
 public:
  // Reads the journal in `dir`, yielding records with sequence > after_seq.
  // Whole segments that end at or before after_seq are skipped unread.
  static Result<JournalReader> Open(const std::string& dir, uint64_t after_seq);

  // Fills the next good record after after_seq and returns true; returns
  // false at the clean end or at the first problem (see problem()).
  bool Next(uint64_t* seq, std::string* payload);

  // Set once Next() has returned false because of damage; empty at a clean end.
  const std::optional<JournalProblem>& problem() const { return problem_; }
  // Sequence of the last good record read (after_seq if none).
  uint64_t last_seq() const { return expected_seq_ == 0 ? after_seq_ : expected_seq_ - 1; }
  uint64_t records_read() const { return records_read_; }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  JournalReader(std::vector<JournalSegment> segments, uint64_t after_seq);
  bool OpenNextSegment();
  bool ReadRecord(uint64_t* seq, std::string* payload);
  bool Fail(std::string reason);

  std::vector<JournalSegment> segments_;
  size_t next_segment_ = 0;
  uint64_t after_seq_;
  uint64_t expected_seq_ = 0;  // 0 until the first segment fixes it
  UniqueFd fd_;
  uint64_t offset_ = 0;  // in the current segment
  uint64_t size_ = 0;    // of the current segment
  std::optional<JournalProblem> problem_;
  uint64_t records_read_ = 0;
  uint64_t bytes_read_ = 0;
};

struct JournalRecovery {
  uint64_t records_replayed = 0;
  uint64_t last_seq = 0;  // last good record in the journal (after_seq if none)
  std::optional<JournalProblem> problem;
  std::vector<std::string> actions;  // what was moved or renamed, for the log
};

// Replays every good record after after_seq through `apply` in order, then,
// if the journal is damaged, moves the bad tail of its segment to
// `<segment>.corrupt-tail`, truncates the segment there, and renames every
// later segment `<segment>.corrupt` (all synced). An error from `apply`
// stops replay and is returned without touching any file.
Result<JournalRecovery> RecoverJournal(
    const std::string& dir, uint64_t after_seq,
    const std::function<Status(uint64_t seq, std::string_view payload)>& apply);

}  // namespace ihub
