// Snapshot files: the container around a cereal snapshot of the whole store.
//
// A snapshot file is a small fixed header followed by the payload (the cereal
// binary archive written by store/snapshot.h). Layout, all integers
// little-endian (docs/snapshot-format.md says the same in prose):
//
//   offset  size  field
//        0     8  magic "IHUBSNAP"
//        8     4  format version (kSnapshotVersion)
//       12     4  header size H in bytes, including the header CRC = 60 + 32*T
//       16     8  snapshot sequence (a counter: 1, 2, 3, …; API-DECISIONS item 102)
//       24     8  journal sequence covered: every journal record <= it is in the payload
//       32     8  created at, milliseconds since the Unix epoch (signed)
//       40     8  payload length P
//       48     4  payload CRC: masked CRC32C (store/crc32c.h) of the P payload bytes
//       52     4  table count T, at most kMaxTables
//       56  32*T  per table: name (24 bytes, NUL-padded) then u64 record count
//   56+32T     4  header CRC: masked CRC32C of bytes [0, H-4)
//        H     P  payload
//
// The file's size must be exactly H + P. Readers check magic, version, header
// CRC, sizes and the payload CRC before a single payload byte reaches cereal:
// cereal trusts the length prefixes it reads, so an unchecked file could make
// it allocate without bound.
//
// Files are named snapshot-<sequence, 12 digits>.ihubsnap in
// <data-dir>/snapshots/. A writer streams to `<name>.tmp`, fsyncs, renames and
// fsyncs the directory, so a crash never leaves a torn file under a snapshot's
// name. A damaged snapshot is renamed `<name>.corrupt` (item 106).
//
// Thread-safety: a SnapshotFileWriter belongs to one thread; the free
// functions are safe from any thread but not against concurrent renames of
// the same files (the persistence layer serializes snapshots).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "store/file_io.h"
#include "store/status.h"

namespace ihub {

inline constexpr std::string_view kSnapshotMagic = "IHUBSNAP";
inline constexpr uint32_t kSnapshotVersion = 1;
inline constexpr size_t kSnapshotFixedHeader = 56;  // bytes before the table entries
inline constexpr size_t kSnapshotTableEntry = 32;
inline constexpr size_t kSnapshotTableNameMax = 24;
inline constexpr uint32_t kMaxTables = 64;
inline constexpr std::string_view kSnapshotPrefix = "snapshot-";
inline constexpr std::string_view kSnapshotSuffix = ".ihubsnap";

struct TableCount {
  std::string name;  // at most kSnapshotTableNameMax bytes
  uint64_t records = 0;
};

struct SnapshotHeader {
  uint32_t version = kSnapshotVersion;
  uint32_t header_bytes = 0;
  uint64_t sequence = 0;
  uint64_t journal_seq = 0;
  int64_t created_at_ms = 0;
  uint64_t payload_bytes = 0;
  uint32_t payload_crc = 0;  // unmasked
  std::vector<TableCount> tables;

  uint64_t total_records() const;
};

// Status codes of the readers: kInvalidArgument means the file is damaged or
// not a snapshot (rename it *.corrupt); kInternal means it could not be read
// (permissions, I/O) and must be left alone.
inline bool IsCorruptSnapshot(const Status& s) { return s.code() == StatusCode::kInvalidArgument; }

std::string SnapshotFileName(uint64_t sequence);
bool ParseSnapshotFileName(std::string_view name, uint64_t* sequence);

// Writes one snapshot file. Usage: Create, write the payload to stream() (or
// Append), Commit. Destroying an uncommitted writer removes the tmp file.
class SnapshotFileWriter {
 public:
  // Creates `<path>.tmp` (replacing a stale one), reserving room for a header
  // with `table_count` tables.
  static Result<std::unique_ptr<SnapshotFileWriter>> Create(std::string path, size_t table_count);
  ~SnapshotFileWriter();

  // A buffered stream that writes the payload; hand it to cereal. After a
  // write error the stream goes bad and Commit() returns the error.
  std::ostream& stream() { return stream_; }
  Status Append(std::string_view bytes);

  // Writes the header (payload length and CRC computed here), fsyncs,
  // renames to the final path and fsyncs the directory. Returns the header
  // as written. REQUIRES: tables.size() == table_count given to Create.
  Result<SnapshotHeader> Commit(uint64_t sequence, uint64_t journal_seq, int64_t created_at_ms,
                                std::vector<TableCount> tables);

  uint64_t payload_bytes() const { return sink_.bytes(); }

 private:
  // Buffers the payload, checksums it and writes it after the reserved header.
  class Sink : public std::streambuf {
   public:
    Sink(int fd, std::string path, uint64_t offset);
    Status Flush();
    uint64_t bytes() const { return bytes_ + static_cast<uint64_t>(pptr() - pbase()); }
    uint32_t crc() const { return crc_; }
    const Status& status() const { return status_; }

   protected:
    int_type overflow(int_type ch) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override { return Flush().ok() ? 0 : -1; }

   private:
    int fd_;
    std::string path_;
    uint64_t offset_;
    uint64_t bytes_ = 0;  // flushed
    uint32_t crc_ = 0;
    Status status_;
    std::vector<char> buf_;
  };

  SnapshotFileWriter(std::string path, UniqueFd fd, size_t table_count);

  std::string path_;
  std::string tmp_path_;
  UniqueFd fd_;
  size_t table_count_;
  Sink sink_;
  std::ostream stream_;
  bool committed_ = false;
};

// Reads and checks only the header, and that the file size is H + P.
Result<SnapshotHeader> ReadSnapshotHeader(const std::string& path);

// Reads the whole file and checks everything, including the payload CRC.
// `progress(done, total)` is called as payload bytes are read, if given.
struct LoadedSnapshot {
  SnapshotHeader header;
  std::string payload;
};
Result<LoadedSnapshot> ReadSnapshotFile(
    const std::string& path,
    const std::function<void(uint64_t, uint64_t)>& progress = nullptr);

// Full check without keeping the payload; returns the header.
Result<SnapshotHeader> VerifySnapshot(const std::string& path);

// A read-only std::streambuf over bytes in memory, for cereal's input archive.
class MemoryStreambuf : public std::streambuf {
 public:
  explicit MemoryStreambuf(std::string_view bytes);
};

struct SnapshotInfo {
  std::string path;
  uint64_t sequence = 0;   // from the file name
  uint64_t size_bytes = 0;
  Status header_status;    // not ok: the header is unreadable or damaged
  SnapshotHeader header;   // valid when header_status.ok()
};

// Snapshot files in `dir`, oldest first, each with its header checked (not
// its payload). A missing dir is an empty list.
Result<std::vector<SnapshotInfo>> ListSnapshots(const std::string& dir);

// Renames `path` to `path.corrupt` (or .corrupt.N) and returns the new name.
Result<std::string> QuarantineSnapshot(const std::string& path);

// Deletes the oldest snapshots beyond the newest `keep` with a valid header.
// Appends deleted paths to `removed` if given. REQUIRES: keep >= 1.
Status PruneSnapshots(const std::string& dir, size_t keep, std::vector<std::string>* removed);

// Deletes `*.tmp` left in `dir` by a crash mid-snapshot. Start-up only: a
// snapshot being written has a tmp file too.
Status RemoveStaleSnapshotTemporaries(const std::string& dir);

}  // namespace ihub
