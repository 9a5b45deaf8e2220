#include "store/journal_format.h"

#include <cstdio>

#include "store/crc32c.h"
#include "store/file_io.h"

namespace ihub::journal_format {

std::string SegmentPath(const std::string& dir, uint64_t first_seq) {
  char name[32];
  std::snprintf(name, sizeof(name), "%020llu", static_cast<unsigned long long>(first_seq));
  return dir + "/" + name + std::string(kSegmentSuffix);
}

bool ParseSegmentName(std::string_view name, uint64_t* first_seq) {
  if (name.size() != 20 + kSegmentSuffix.size() || !name.ends_with(kSegmentSuffix)) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < 20; ++i) {
    char c = name[i];
    if (c < '0' || c > '9') return false;
    uint64_t next = v * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != v) return false;  // overflow: not a name we wrote
    v = next;
  }
  *first_seq = v;
  return true;
}

void AppendSegmentHeader(std::string* out) {
  size_t start = out->size();
  out->append(kSegmentMagic);
  PutFixed32(out, kJournalVersion);
  PutFixed32(out, crc32c::Mask(crc32c::Extend(0, out->data() + start, 12)));
}

bool SegmentHeaderValid(std::string_view header) {
  if (header.size() < kSegmentHeaderSize) return false;
  if (header.substr(0, 8) != kSegmentMagic) return false;
  if (DecodeFixed32(header.data() + 8) != kJournalVersion) return false;
  return crc32c::Unmask(DecodeFixed32(header.data() + 12)) ==
         crc32c::Extend(0, header.data(), 12);
}

void AppendRecord(uint64_t sequence, std::string_view payload, std::string* out) {
  size_t start = out->size();
  PutFixed32(out, kRecordMagic);
  PutFixed32(out, 0);  // crc, filled below once the covered bytes are in place
  PutFixed32(out, static_cast<uint32_t>(payload.size()));
  PutFixed64(out, sequence);
  out->append(payload);
  uint32_t crc = crc32c::Extend(0, out->data() + start + 8, 12 + payload.size());
  uint32_t masked = crc32c::Mask(crc);
  for (int i = 0; i < 4; ++i) (*out)[start + 4 + i] = static_cast<char>((masked >> (8 * i)) & 0xff);
}

RecordHeader DecodeRecordHeader(const char* p) {
  return RecordHeader{DecodeFixed32(p), DecodeFixed32(p + 4), DecodeFixed32(p + 8),
                      DecodeFixed64(p + 12)};
}

bool RecordCrcMatches(const char* header_bytes, std::string_view payload) {
  uint32_t crc = crc32c::Extend(0, header_bytes + 8, 12);
  crc = crc32c::Extend(crc, payload.data(), payload.size());
  return crc32c::Unmask(DecodeFixed32(header_bytes + 4)) == crc;
}

}  // namespace ihub::journal_format
