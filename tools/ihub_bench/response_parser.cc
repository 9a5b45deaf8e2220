#include "tools/ihub_bench/response_parser.h"

#include <algorithm>
#include <cstring>
#include <strings.h>

namespace ihub::bench {
namespace {

constexpr uint64_t kMaxBody = uint64_t{1} << 30;
constexpr size_t kMaxHeaders = 64 * 1024;

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool IContains(std::string_view hay, std::string_view needle) {
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (IEquals(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Finds "\r\n" in data[from, size); returns its offset or npos.
size_t FindCrlf(const char* data, size_t from, size_t size) {
  if (size < 2 || from > size - 2) return std::string_view::npos;
  const void* p = memmem(data + from, size - from, "\r\n", 2);
  return p ? static_cast<const char*>(p) - data : std::string_view::npos;
}

}  // namespace

void ResponseParser::Reset() {
  phase_ = Phase::kHeaders;
  scanned_ = header_len_ = pos_ = 0;
  remaining_ = content_length_ = 0;
  status_ = 0;
  keep_alive_ = true;
  chunked_body_.clear();
  body_ = {};
}

ResponseParser::State ResponseParser::Parse(const char* data, size_t size, size_t* consumed) {
  if (phase_ == Phase::kHeaders) {
    const State s = ParseHeaders(data, size);
    if (s != State::kComplete) return s;
  }
  if (phase_ == Phase::kFixedBody) {
    if (size - header_len_ < content_length_) return State::kNeedMore;
    body_ = std::string_view(data + header_len_, content_length_);
    *consumed = header_len_ + content_length_;
    return State::kComplete;
  }
  const State s = ParseChunks(data, size);
  if (s == State::kComplete) {
    body_ = chunked_body_;
    *consumed = pos_;
  }
  return s;
}

// Parses the status line and headers once the blank line has arrived; on success sets phase_ to
// kFixedBody or kChunkSize and returns kComplete.
ResponseParser::State ResponseParser::ParseHeaders(const char* data, size_t size) {
  const size_t from = scanned_ > 3 ? scanned_ - 3 : 0;
  const void* end = size > from ? memmem(data + from, size - from, "\r\n\r\n", 4) : nullptr;
  if (end == nullptr) {
    scanned_ = size;
    return size > kMaxHeaders ? State::kError : State::kNeedMore;
  }
  header_len_ = static_cast<const char*>(end) - data + 4;
  std::string_view head(data, header_len_ - 2);
  // "HTTP/1.1 200 OK"
  if (head.size() < 12 || !head.starts_with("HTTP/1.")) return State::kError;
  status_ = 0;
  for (int i = 9; i < 12; ++i) {
    if (head[i] < '0' || head[i] > '9') return State::kError;
    status_ = status_ * 10 + (head[i] - '0');
  }
  keep_alive_ = head[7] != '0';  // HTTP/1.0 closes unless it says keep-alive
  bool chunked = false, has_length = false;
  size_t line = head.find("\r\n") + 2;
  while (line < head.size()) {
    size_t eol = head.find("\r\n", line);
    if (eol == std::string_view::npos) eol = head.size();
    std::string_view h = head.substr(line, eol - line);
    line = eol + 2;
    const size_t colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = h.substr(0, colon), value = Trim(h.substr(colon + 1));
    if (IEquals(name, "content-length")) {
      content_length_ = 0;
      for (char c : value) {
        if (c < '0' || c > '9' || content_length_ > kMaxBody) return State::kError;
        content_length_ = content_length_ * 10 + (c - '0');
      }
      has_length = true;
    } else if (IEquals(name, "transfer-encoding")) {
      chunked = IContains(value, "chunked");
    } else if (IEquals(name, "connection")) {
      if (IContains(value, "close")) keep_alive_ = false;
      if (IContains(value, "keep-alive")) keep_alive_ = true;
    }
  }
  const bool no_body = status_ == 204 || status_ == 304 || status_ / 100 == 1;
  if (no_body) {
    content_length_ = 0;
    phase_ = Phase::kFixedBody;
  } else if (chunked) {
    pos_ = header_len_;
    phase_ = Phase::kChunkSize;
  } else if (has_length) {
    phase_ = Phase::kFixedBody;
  } else {
    return State::kError;  // a body delimited by close: not usable for keep-alive load
  }
  return State::kComplete;
}

ResponseParser::State ResponseParser::ParseChunks(const char* data, size_t size) {
  for (;;) {
    switch (phase_) {
      case Phase::kChunkSize: {
        const size_t eol = FindCrlf(data, pos_, size);
        if (eol == std::string_view::npos) return State::kNeedMore;
        remaining_ = 0;
        int digits = 0;
        for (size_t i = pos_; i < eol && data[i] != ';'; ++i, ++digits) {
          const char c = data[i];
          const int d = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
          if (d < 0 || remaining_ > kMaxBody) return State::kError;
          remaining_ = remaining_ * 16 + d;
        }
        if (digits == 0) return State::kError;
        pos_ = eol + 2;
        phase_ = remaining_ == 0 ? Phase::kTrailers : Phase::kChunkData;
        break;
      }
      case Phase::kChunkData: {
        const uint64_t take = std::min<uint64_t>(remaining_, size - pos_);
        chunked_body_.append(data + pos_, take);
        pos_ += take;
        remaining_ -= take;
        if (remaining_ > 0) return State::kNeedMore;
        phase_ = Phase::kChunkEnd;
        break;
      }
      case Phase::kChunkEnd:
        if (size - pos_ < 2) return State::kNeedMore;
        if (data[pos_] != '\r' || data[pos_ + 1] != '\n') return State::kError;
        pos_ += 2;
        phase_ = Phase::kChunkSize;
        break;
      case Phase::kTrailers: {
        // Trailer lines until an empty line.
        const size_t eol = FindCrlf(data, pos_, size);
        if (eol == std::string_view::npos) return State::kNeedMore;
        const bool empty = eol == pos_;
        pos_ = eol + 2;
        if (empty) return State::kComplete;
        break;
      }
      default:
        return State::kError;
    }
  }
}

}  // namespace ihub::bench
