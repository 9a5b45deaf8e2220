#include "store/snapshot_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "store/crc32c.h"

namespace ihub {

namespace fs = std::filesystem;

namespace {

constexpr size_t kSinkBuffer = 1 << 20;
constexpr size_t kReadChunk = 4 << 20;

size_t HeaderSize(size_t tables) { return kSnapshotFixedHeader + kSnapshotTableEntry * tables + 4; }

Status Corrupt(const std::string& path, std::string_view why) {
  return Status::InvalidArgument("corrupt snapshot " + path + ": " + std::string(why));
}

std::string EncodeHeader(const SnapshotHeader& h) {
  std::string out;
  out.reserve(HeaderSize(h.tables.size()));
  out.append(kSnapshotMagic);
  PutFixed32(&out, h.version);
  PutFixed32(&out, static_cast<uint32_t>(HeaderSize(h.tables.size())));
  PutFixed64(&out, h.sequence);
  PutFixed64(&out, h.journal_seq);
  PutFixed64(&out, static_cast<uint64_t>(h.created_at_ms));
  PutFixed64(&out, h.payload_bytes);
  PutFixed32(&out, crc32c::Mask(h.payload_crc));
  PutFixed32(&out, static_cast<uint32_t>(h.tables.size()));
  for (const TableCount& t : h.tables) {
    std::string name = t.name.substr(0, kSnapshotTableNameMax);
    name.resize(kSnapshotTableNameMax, '\0');
    out += name;
    PutFixed64(&out, t.records);
  }
  PutFixed32(&out, crc32c::Mask(crc32c::Value(out)));
  return out;
}

// Parses a header from the first bytes of a file of `file_size` bytes.
// `bytes` holds at least the fixed part; more is read by the caller on demand.
Result<SnapshotHeader> DecodeHeader(int fd, const std::string& path, uint64_t file_size) {
  char fixed[kSnapshotFixedHeader];
  if (file_size < HeaderSize(0)) return Corrupt(path, "shorter than a header");
  if (Status s = PreadExact(fd, fixed, sizeof(fixed), 0, path); !s.ok()) return s;
  if (std::string_view(fixed, 8) != kSnapshotMagic) return Corrupt(path, "bad magic");
  SnapshotHeader h;
  h.version = DecodeFixed32(fixed + 8);
  if (h.version != kSnapshotVersion) {
    return Corrupt(path, "unsupported format version " + std::to_string(h.version));
  }
  h.header_bytes = DecodeFixed32(fixed + 12);
  uint32_t tables = DecodeFixed32(fixed + 52);
  if (tables > kMaxTables || h.header_bytes != HeaderSize(tables) || h.header_bytes > file_size) {
    return Corrupt(path, "bad header size");
  }
  std::string bytes(h.header_bytes, '\0');
  if (Status s = PreadExact(fd, bytes.data(), bytes.size(), 0, path); !s.ok()) return s;
  uint32_t stored = crc32c::Unmask(DecodeFixed32(bytes.data() + h.header_bytes - 4));
  if (stored != crc32c::Extend(0, bytes.data(), h.header_bytes - 4)) {
    return Corrupt(path, "header checksum mismatch");
  }
  h.sequence = DecodeFixed64(fixed + 16);
  h.journal_seq = DecodeFixed64(fixed + 24);
  h.created_at_ms = static_cast<int64_t>(DecodeFixed64(fixed + 32));
  h.payload_bytes = DecodeFixed64(fixed + 40);
  h.payload_crc = crc32c::Unmask(DecodeFixed32(fixed + 48));
  for (uint32_t i = 0; i < tables; ++i) {
    const char* e = bytes.data() + kSnapshotFixedHeader + kSnapshotTableEntry * i;
    std::string name(e, kSnapshotTableNameMax);
    name.resize(std::strlen(name.c_str()));
    h.tables.push_back({std::move(name), DecodeFixed64(e + kSnapshotTableNameMax)});
  }
  if (h.payload_bytes != file_size - h.header_bytes) {
    return Corrupt(path, "payload length does not match the file size");
  }
  return h;
}

Result<std::pair<UniqueFd, uint64_t>> OpenForRead(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open", path, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return ErrnoStatus("stat", path, errno);
  if (!S_ISREG(st.st_mode)) return Corrupt(path, "not a regular file");
  return std::make_pair(std::move(fd), static_cast<uint64_t>(st.st_size));
}

// Streams the payload in chunks, checks its CRC, and keeps it if `keep`.
Result<SnapshotHeader> ReadChecked(const std::string& path, std::string* keep,
                                   const std::function<void(uint64_t, uint64_t)>& progress) {
  auto opened = OpenForRead(path);
  if (!opened.ok()) return opened.status();
  auto& [fd, size] = *opened;
  auto header = DecodeHeader(fd.get(), path, size);
  if (!header.ok()) return header;
  const uint64_t total = header->payload_bytes;
  std::string chunk;
  // Size was checked against the file, so this reservation is bounded by it.
  if (keep != nullptr) keep->resize(total);
  uint32_t crc = 0;
  for (uint64_t done = 0; done < total;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kReadChunk, total - done));
    char* dst = nullptr;
    if (keep != nullptr) {
      dst = keep->data() + done;
    } else {
      chunk.resize(n);
      dst = chunk.data();
    }
    if (Status s = PreadExact(fd.get(), dst, n, header->header_bytes + done, path); !s.ok()) {
      return s;
    }
    crc = crc32c::Extend(crc, dst, n);
    done += n;
    if (progress) progress(done, total);
  }
  if (crc != header->payload_crc) return Corrupt(path, "payload checksum mismatch");
  return header;
}

}  // namespace

uint64_t SnapshotHeader::total_records() const {
  uint64_t n = 0;
  for (const auto& t : tables) n += t.records;
  return n;
}

std::string SnapshotFileName(uint64_t sequence) {
  char digits[24];
  std::snprintf(digits, sizeof(digits), "%012llu", static_cast<unsigned long long>(sequence));
  return std::string(kSnapshotPrefix) + digits + std::string(kSnapshotSuffix);
}

bool ParseSnapshotFileName(std::string_view name, uint64_t* sequence) {
  if (!name.starts_with(kSnapshotPrefix) || !name.ends_with(kSnapshotSuffix)) return false;
  std::string_view digits =
      name.substr(kSnapshotPrefix.size(), name.size() - kSnapshotPrefix.size() - kSnapshotSuffix.size());
  if (digits.empty() || digits.size() > 19) return false;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *sequence = v;
  return true;
}

// ---- writer ---------------------------------------------------------------

SnapshotFileWriter::Sink::Sink(int fd, std::string path, uint64_t offset)
    : fd_(fd), path_(std::move(path)), offset_(offset), buf_(kSinkBuffer) {
  setp(buf_.data(), buf_.data() + buf_.size());
}

Status SnapshotFileWriter::Sink::Flush() {
  if (!status_.ok()) return status_;
  size_t n = static_cast<size_t>(pptr() - pbase());
  if (n == 0) return Status::Ok();
  crc_ = crc32c::Extend(crc_, pbase(), n);
  status_ = PwriteAll(fd_, pbase(), n, offset_ + bytes_, path_);
  bytes_ += n;
  setp(buf_.data(), buf_.data() + buf_.size());
  return status_;
}

SnapshotFileWriter::Sink::int_type SnapshotFileWriter::Sink::overflow(int_type ch) {
  if (!Flush().ok()) return traits_type::eof();
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  *pptr() = traits_type::to_char_type(ch);
  pbump(1);
  return ch;
}

std::streamsize SnapshotFileWriter::Sink::xsputn(const char* s, std::streamsize n) {
  std::streamsize done = 0;
  while (done < n) {
    if (pptr() == epptr() && !Flush().ok()) return done;
    auto room = static_cast<std::streamsize>(epptr() - pptr());
    auto take = std::min(room, n - done);
    std::memcpy(pptr(), s + done, static_cast<size_t>(take));
    pbump(static_cast<int>(take));
    done += take;
  }
  return done;
}

SnapshotFileWriter::SnapshotFileWriter(std::string path, UniqueFd fd, size_t table_count)
    : path_(std::move(path)),
      tmp_path_(path_ + ".tmp"),
      fd_(std::move(fd)),
      table_count_(table_count),
      sink_(fd_.get(), tmp_path_, HeaderSize(table_count)),
      stream_(&sink_) {}

Result<std::unique_ptr<SnapshotFileWriter>> SnapshotFileWriter::Create(std::string path,
                                                                       size_t table_count) {
  if (table_count > kMaxTables) return Status::InvalidArgument("too many tables");
  std::string tmp = path + ".tmp";
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid()) return ErrnoStatus("create", tmp, errno);
  return std::unique_ptr<SnapshotFileWriter>(
      new SnapshotFileWriter(std::move(path), std::move(fd), table_count));
}

SnapshotFileWriter::~SnapshotFileWriter() {
  if (!committed_) {
    fd_.Reset();
    ::unlink(tmp_path_.c_str());
  }
}

Status SnapshotFileWriter::Append(std::string_view bytes) {
  stream_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!stream_) return sink_.status().ok() ? Status::Internal("snapshot stream failed") : sink_.status();
  return Status::Ok();
}

Result<SnapshotHeader> SnapshotFileWriter::Commit(uint64_t sequence, uint64_t journal_seq,
                                                  int64_t created_at_ms,
                                                  std::vector<TableCount> tables) {
  if (tables.size() != table_count_) return Status::InvalidArgument("table count changed");
  if (Status s = sink_.Flush(); !s.ok()) return s;
  if (!stream_) return Status::Internal("snapshot stream failed");
  SnapshotHeader h;
  h.sequence = sequence;
  h.journal_seq = journal_seq;
  h.created_at_ms = created_at_ms;
  h.payload_bytes = sink_.bytes();
  h.payload_crc = sink_.crc();
  h.tables = std::move(tables);
  std::string header = EncodeHeader(h);
  h.header_bytes = static_cast<uint32_t>(header.size());
  if (Status s = PwriteAll(fd_.get(), header.data(), header.size(), 0, tmp_path_); !s.ok()) return s;
  if (::fsync(fd_.get()) != 0) return ErrnoStatus("fsync", tmp_path_, errno);
  fd_.Reset();
  if (::rename(tmp_path_.c_str(), path_.c_str()) != 0) return ErrnoStatus("rename", tmp_path_, errno);
  committed_ = true;
  if (Status s = SyncDir(fs::path(path_).parent_path().string()); !s.ok()) return s;
  return h;
}

// ---- readers --------------------------------------------------------------

Result<SnapshotHeader> ReadSnapshotHeader(const std::string& path) {
  auto opened = OpenForRead(path);
  if (!opened.ok()) return opened.status();
  return DecodeHeader(opened->first.get(), path, opened->second);
}

Result<LoadedSnapshot> ReadSnapshotFile(const std::string& path,
                                        const std::function<void(uint64_t, uint64_t)>& progress) {
  LoadedSnapshot out;
  auto header = ReadChecked(path, &out.payload, progress);
  if (!header.ok()) return header.status();
  out.header = std::move(*header);
  return out;
}

Result<SnapshotHeader> VerifySnapshot(const std::string& path) {
  return ReadChecked(path, nullptr, nullptr);
}

MemoryStreambuf::MemoryStreambuf(std::string_view bytes) {
  char* p = const_cast<char*>(bytes.data());  // get area only: never written through
  setg(p, p, p + bytes.size());
}

Result<std::vector<SnapshotInfo>> ListSnapshots(const std::string& dir) {
  std::vector<SnapshotInfo> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    SnapshotInfo info;
    if (!ParseSnapshotFileName(entry.path().filename().string(), &info.sequence)) continue;
    info.path = entry.path().string();
    std::error_code size_ec;
    info.size_bytes = entry.file_size(size_ec);
    auto header = ReadSnapshotHeader(info.path);
    if (header.ok()) {
      info.header = std::move(*header);
    } else {
      info.header_status = header.status();
    }
    out.push_back(std::move(info));
  }
  if (ec) return Status::Internal("list snapshots " + dir + ": " + ec.message());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
  return out;
}

Result<std::string> QuarantineSnapshot(const std::string& path) {
  std::string to = FreshName(path + ".corrupt");
  if (::rename(path.c_str(), to.c_str()) != 0) return ErrnoStatus("rename", path, errno);
  if (Status s = SyncDir(fs::path(path).parent_path().string()); !s.ok()) return s;
  return to;
}

Status PruneSnapshots(const std::string& dir, size_t keep, std::vector<std::string>* removed) {
  auto list = ListSnapshots(dir);
  if (!list.ok()) return list.status();
  size_t valid_seen = 0;
  bool any = false;
  for (auto it = list->rbegin(); it != list->rend(); ++it) {
    if (valid_seen < keep) {
      if (it->header_status.ok()) ++valid_seen;
      continue;
    }
    if (::unlink(it->path.c_str()) != 0) return ErrnoStatus("remove", it->path, errno);
    if (removed != nullptr) removed->push_back(it->path);
    any = true;
  }
  return any ? SyncDir(dir) : Status::Ok();
}

Status RemoveStaleSnapshotTemporaries(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Status::Ok();
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".tmp") fs::remove(entry.path(), ec);
  }
  return ec ? Status::Internal("clean " + dir + ": " + ec.message()) : Status::Ok();
}

}  // namespace ihub
