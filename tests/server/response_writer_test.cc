// AppendResponse: the bytes a handler's answer becomes on the wire.
#include "server/response_writer.h"

#include <gtest/gtest.h>

namespace ihub {
namespace {

HttpResponse Json(bhttp::status status, std::string body) {
  HttpResponse r{status, 11};
  r.set(bhttp::field::content_type, "application/json");
  r.body() = std::move(body);
  return r;
}

std::string Frame(const HttpResponse& r, ResponseFraming framing) {
  std::string out;
  AppendResponse(r, framing, out);
  return out;
}

TEST(ResponseWriterTest, KeepAliveAnswerHasLengthAndRequestId) {
  EXPECT_EQ(Frame(Json(bhttp::status::ok, R"({"active":true})"), {11, true, false, "r-1"}),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-request-id: r-1\r\n"
            "Content-Length: 15\r\n\r\n{\"active\":true}");
}

TEST(ResponseWriterTest, ClosingAnswerSaysSo) {
  EXPECT_EQ(Frame(Json(bhttp::status::not_found, "{}"), {11, false, false, "x"}),
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nx-request-id: x\r\n"
            "Connection: close\r\nContent-Length: 2\r\n\r\n{}");
}

TEST(ResponseWriterTest, Http10KeepAliveIsExplicit) {
  const std::string out = Frame(Json(bhttp::status::ok, "{}"), {10, true, false, "x"});
  EXPECT_EQ(out.rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
  EXPECT_NE(out.find("\r\nConnection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(Frame(Json(bhttp::status::ok, "{}"), {10, false, false, "x"}).find("Connection"),
            std::string::npos);
}

TEST(ResponseWriterTest, HeadKeepsTheLengthAndDropsTheBody) {
  EXPECT_EQ(Frame(Json(bhttp::status::ok, "abc"), {11, true, true, "x"}),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-request-id: x\r\n"
            "Content-Length: 3\r\n\r\n");
}

TEST(ResponseWriterTest, NoContentHasNeitherBodyNorLength) {
  EXPECT_EQ(Frame(Json(bhttp::status::no_content, "ignored"), {11, true, false, "x"}),
            "HTTP/1.1 204 No Content\r\nContent-Type: application/json\r\nx-request-id: x\r\n\r\n");
}

TEST(ResponseWriterTest, HandlerFramingFieldsAreReplaced) {
  HttpResponse r = Json(bhttp::status::ok, "{}");
  r.set(bhttp::field::content_length, "999");
  r.set(bhttp::field::connection, "keep-alive");
  r.set("X-Request-Id", "spoofed");
  r.set(bhttp::field::cache_control, "no-store");
  EXPECT_EQ(Frame(r, {11, true, false, "real"}),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n"
            "x-request-id: real\r\nContent-Length: 2\r\n\r\n{}");
}

TEST(ResponseWriterTest, AnswersAppendToOneBuffer) {
  const HttpResponse a = Json(bhttp::status::ok, "1");
  const HttpResponse b = Json(bhttp::status::created, "2");
  std::string out;
  AppendResponse(a, {11, true, false, "a"}, out);
  AppendResponse(b, {11, true, false, "b"}, out);
  EXPECT_EQ(out, Frame(a, {11, true, false, "a"}) + Frame(b, {11, true, false, "b"}));
}

}  // namespace
}  // namespace ihub
