// On-disk layout of the journal (docs/journal-format.md says the same in prose).
//
// The journal is a directory of segment files, `<data-dir>/journal/<first>.journal`,
// where <first> is the sequence of the segment's first record, written as 20
// decimal digits so that name order is sequence order. Segments are appended
// only; a new one is started on rotation (after a snapshot, or when one grows
// past its target size) and on every start of the server.
//
//   segment        := segment_header record*
//   segment_header := 16 bytes
//       0  char[8]  magic    "IHUBJRNL"
//       8  u32      version  kJournalVersion
//      12  u32      crc      masked CRC32C of bytes 0..11
//   record         := record_header payload
//   record_header  := 20 bytes
//       0  u32      magic    kRecordMagic ("IHJR" read as little-endian bytes)
//       4  u32      crc      masked CRC32C of bytes 8..19 of the header followed by the payload
//       8  u32      length   payload bytes, at most kMaxRecordPayload
//      12  u64      sequence one more than the previous record's (the first: the file's name)
//      20  u8[length] payload — one store write: the cereal binary archive of its mutations
//
// All integers are little-endian. A record is good when its magic matches, its
// length fits both the limit and the file, its CRC matches and its sequence is
// the expected one; the first record that is not good ends the journal (a torn
// tail after a crash, or corruption) and everything from it on is quarantined
// (API-DECISIONS item 106).
//
// Thread-safety: constants and pure functions only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ihub::journal_format {

inline constexpr std::string_view kSegmentMagic = "IHUBJRNL";
inline constexpr uint32_t kJournalVersion = 1;
inline constexpr size_t kSegmentHeaderSize = 16;

inline constexpr uint32_t kRecordMagic = 0x524a4849;  // bytes 'I' 'H' 'J' 'R'
inline constexpr size_t kRecordHeaderSize = 20;
// One request's mutations; far above any real write, low enough that a
// damaged length field can never make a reader allocate without bound.
inline constexpr uint32_t kMaxRecordPayload = 64u << 20;

inline constexpr std::string_view kSegmentSuffix = ".journal";
inline constexpr std::string_view kCorruptSuffix = ".corrupt";
inline constexpr std::string_view kCorruptTailSuffix = ".corrupt-tail";

// `<dir>/<first_seq as 20 digits>.journal`.
std::string SegmentPath(const std::string& dir, uint64_t first_seq);
// Parses a segment file name (not a path); false for any other name,
// including quarantined `*.corrupt` files.
bool ParseSegmentName(std::string_view name, uint64_t* first_seq);

// Appends the 16-byte segment header.
void AppendSegmentHeader(std::string* out);
// True if `header` (kSegmentHeaderSize bytes) is a valid segment header.
bool SegmentHeaderValid(std::string_view header);

// Appends one framed record (header + payload) to `out`.
// REQUIRES: payload.size() <= kMaxRecordPayload.
void AppendRecord(uint64_t sequence, std::string_view payload, std::string* out);

struct RecordHeader {
  uint32_t magic = 0;
  uint32_t masked_crc = 0;
  uint32_t length = 0;
  uint64_t sequence = 0;
};
// Decodes the first kRecordHeaderSize bytes of `p`.
RecordHeader DecodeRecordHeader(const char* p);
// True if the CRC in `header_bytes` covers its length, sequence and `payload`.
bool RecordCrcMatches(const char* header_bytes, std::string_view payload);

}  // namespace ihub::journal_format
