// Small POSIX file helpers shared by the journal and the snapshot files:
// an owning file descriptor, whole-buffer writes that survive EINTR and short
// writes, directory fsync, and little-endian fixed-width encoding.
//
// Thread-safety: free functions are safe from any thread; a UniqueFd is owned
// by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "store/status.h"

namespace ihub {

// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset();

 private:
  int fd_ = -1;
};

// Internal status naming the operation, the path and errno's text.
Status ErrnoStatus(std::string_view what, std::string_view path, int err);

// Writes all n bytes at the file's current offset. Returns an error on the
// first failed write(2) (the file may then hold a prefix of the bytes).
Status WriteAll(int fd, const char* data, size_t n, std::string_view path);
// Same at an absolute offset, with pwrite(2).
Status PwriteAll(int fd, const char* data, size_t n, uint64_t offset, std::string_view path);
// Reads exactly n bytes at offset; a short file is kInternal "unexpected end".
Status PreadExact(int fd, char* data, size_t n, uint64_t offset, std::string_view path);

// fsync(2) of a directory, so that entries created, renamed or removed in it
// survive a crash.
Status SyncDir(const std::string& dir);

// Creates dir (and parents) if missing; an existing non-directory is an error.
Status EnsureDir(const std::string& dir);

// Copies bytes [offset, end) of `src` into a new file `dst` and fsyncs it.
Status CopyTail(const std::string& src, uint64_t offset, const std::string& dst);

// Returns `path` if nothing exists there, else `path.1`, `path.2`, … — for
// quarantine names that must never overwrite an earlier quarantined file.
std::string FreshName(const std::string& path);

inline void PutFixed32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline void PutFixed64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline uint32_t DecodeFixed32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
inline uint64_t DecodeFixed64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

}  // namespace ihub
