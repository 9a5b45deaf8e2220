// ResponseParser: a small incremental HTTP/1.1 response parser for the load generator.
//
// It reads the status code, Content-Length, Transfer-Encoding: chunked and Connection: close,
// and finds where the response ends. All its state is offsets from the start of the response,
// so the caller may move the bytes (compact its buffer) between calls. A Content-Length body is
// a view into the caller's bytes; a chunked body is de-chunked into a buffer the parser keeps and
// reuses, so steady-state parsing allocates nothing.
//
// Thread-safety: none; one parser per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ihub::bench {

class ResponseParser {
 public:
  enum class State { kNeedMore, kComplete, kError };

  // Parses the response starting at data[0]; `size` bytes are available. Call again with the
  // same response start and more bytes after kNeedMore. On kComplete, *consumed is the length of
  // the whole response and status()/body()/keep_alive() describe it until the next Reset().
  // kError means the bytes are not an HTTP/1.x response this parser understands.
  State Parse(const char* data, size_t size, size_t* consumed);
  // Prepares for the next response.
  void Reset();

  int status() const { return status_; }
  bool keep_alive() const { return keep_alive_; }
  // The body; for Content-Length bodies it points into the bytes given to Parse.
  std::string_view body() const { return body_; }

 private:
  enum class Phase { kHeaders, kFixedBody, kChunkSize, kChunkData, kChunkEnd, kTrailers };

  State ParseHeaders(const char* data, size_t size);
  State ParseChunks(const char* data, size_t size);

  Phase phase_ = Phase::kHeaders;
  size_t scanned_ = 0;     // bytes already searched for the end of the headers or a line
  size_t header_len_ = 0;  // including the blank line
  size_t pos_ = 0;         // chunked: offset of the next unparsed byte
  uint64_t remaining_ = 0; // chunked: bytes left in the current chunk
  uint64_t content_length_ = 0;
  int status_ = 0;
  bool keep_alive_ = true;
  std::string chunked_body_;
  std::string_view body_;
};

}  // namespace ihub::bench
