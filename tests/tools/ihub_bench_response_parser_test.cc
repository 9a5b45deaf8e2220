#include "tools/ihub_bench/response_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace ihub::bench {
namespace {

using State = ResponseParser::State;

TEST(ResponseParserTest, ContentLengthInOnePiece) {
  const std::string r = "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"active\":true}extra";
  ResponseParser p;
  size_t consumed = 0;
  ASSERT_EQ(p.Parse(r.data(), r.size(), &consumed), State::kComplete);
  EXPECT_EQ(p.status(), 200);
  EXPECT_EQ(p.body(), "{\"active\":true}");
  EXPECT_EQ(consumed, r.size() - 5);
  EXPECT_TRUE(p.keep_alive());
}

TEST(ResponseParserTest, EveryByteSplitGivesTheSameAnswer) {
  const std::string r =
      "HTTP/1.1 404 Not Found\r\ncontent-length: 4\r\nConnection: close\r\n\r\nnope";
  for (size_t split = 0; split < r.size(); ++split) {
    ResponseParser p;
    size_t consumed = 0;
    EXPECT_EQ(p.Parse(r.data(), split, &consumed), State::kNeedMore) << split;
    ASSERT_EQ(p.Parse(r.data(), r.size(), &consumed), State::kComplete) << split;
    EXPECT_EQ(p.status(), 404);
    EXPECT_EQ(p.body(), "nope");
    EXPECT_FALSE(p.keep_alive());
    EXPECT_EQ(consumed, r.size());
  }
}

TEST(ResponseParserTest, ChunkedFedByteByByte) {
  const std::string r =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\nA;ext=1\r\n, chunked!\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT";
  ResponseParser p;
  size_t consumed = 0;
  State st = State::kNeedMore;
  size_t n = 0;
  while (st == State::kNeedMore && n < r.size()) st = p.Parse(r.data(), ++n, &consumed);
  ASSERT_EQ(st, State::kComplete);
  EXPECT_EQ(p.body(), "hello, chunked!");
  EXPECT_EQ(consumed, r.size() - 4);
}

TEST(ResponseParserTest, ResetReadsTheNextPipelinedAnswer) {
  const std::string r =
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}"
      "HTTP/1.1 204 No Content\r\n\r\n";
  ResponseParser p;
  size_t consumed = 0;
  ASSERT_EQ(p.Parse(r.data(), r.size(), &consumed), State::kComplete);
  EXPECT_EQ(p.status(), 201);
  const size_t first = consumed;
  p.Reset();
  ASSERT_EQ(p.Parse(r.data() + first, r.size() - first, &consumed), State::kComplete);
  EXPECT_EQ(p.status(), 204);
  EXPECT_EQ(p.body(), "");
  EXPECT_EQ(first + consumed, r.size());
}

TEST(ResponseParserTest, Http10ClosesUnlessKeepAlive) {
  const std::string a = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";
  const std::string b = "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n";
  ResponseParser p;
  size_t consumed = 0;
  ASSERT_EQ(p.Parse(a.data(), a.size(), &consumed), State::kComplete);
  EXPECT_FALSE(p.keep_alive());
  p.Reset();
  ASSERT_EQ(p.Parse(b.data(), b.size(), &consumed), State::kComplete);
  EXPECT_TRUE(p.keep_alive());
}

TEST(ResponseParserTest, RejectsGarbage) {
  ResponseParser p;
  size_t consumed = 0;
  const std::string bad_status = "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n";
  EXPECT_EQ(p.Parse(bad_status.data(), bad_status.size(), &consumed), State::kError);
  p.Reset();
  const std::string not_http = "SSH-2.0-OpenSSH\r\n\r\n";
  EXPECT_EQ(p.Parse(not_http.data(), not_http.size(), &consumed), State::kError);
  p.Reset();
  const std::string bad_chunk = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
  EXPECT_EQ(p.Parse(bad_chunk.data(), bad_chunk.size(), &consumed), State::kError);
  p.Reset();
  const std::string no_length = "HTTP/1.1 200 OK\r\n\r\nbody";
  EXPECT_EQ(p.Parse(no_length.data(), no_length.size(), &consumed), State::kError);
}

}  // namespace
}  // namespace ihub::bench
