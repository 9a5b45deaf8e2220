// RequestParser into HttpRequest: what a handler sees of the bytes on the wire.
#include "server/http_request.h"

#include <gtest/gtest.h>

#include <string>

namespace ihub {
namespace {

// Parses `wire` (one complete message) into `into`, in pieces of `step` bytes as reads deliver.
void Parse(std::string_view wire, HttpRequest& into, size_t step = 1 << 20) {
  RequestParser parser(into);
  parser.eager(true);
  std::string pending;
  for (size_t i = 0; i < wire.size(); i += step) {
    pending.append(wire.substr(i, step));
    boost::beast::error_code ec;
    const size_t used = parser.put(boost::asio::buffer(pending), ec);
    if (ec == bhttp::error::need_more) ec = {};
    ASSERT_FALSE(ec) << ec.message();
    pending.erase(0, used);
  }
  ASSERT_TRUE(parser.is_done());
}

TEST(HttpRequestTest, RequestLineFieldsAndBody) {
  HttpRequest r;
  Parse("POST /oauth/introspect?x=1 HTTP/1.1\r\nHost: h\r\nX-Api-Key: k1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\ntoken=t",
        r);
  EXPECT_EQ(r.method(), bhttp::verb::post);
  EXPECT_EQ(r.method_string(), "POST");
  EXPECT_EQ(r.target(), "/oauth/introspect?x=1");
  EXPECT_EQ(r.version(), 11u);
  EXPECT_TRUE(r.keep_alive());
  EXPECT_EQ(r.body(), "token=t");
  EXPECT_EQ(r.field_count(), 4u);
  ASSERT_NE(r.find(bhttp::field::content_type), r.end());
  EXPECT_EQ(r.find(bhttp::field::content_type)->value(), "application/x-www-form-urlencoded");
  ASSERT_NE(r.find("x-api-key"), r.end());  // by name, any case
  EXPECT_EQ(r.find("X-API-KEY")->value(), "k1");
  EXPECT_EQ(r.find("X-API-KEY")->name_string(), "X-Api-Key");
  EXPECT_EQ(r.find(bhttp::field::authorization), r.end());
  EXPECT_EQ(r.find("x-platform-id"), r.end());
}

TEST(HttpRequestTest, ByteByByteDeliveryGivesTheSameRequest) {
  HttpRequest r;
  Parse("GET /v3/integrations/clients/abc HTTP/1.1\r\nHost: h\r\nX-Request-Id: id-1\r\n\r\n", r, 1);
  EXPECT_EQ(r.target(), "/v3/integrations/clients/abc");
  EXPECT_EQ(r.find("x-request-id")->value(), "id-1");
  EXPECT_TRUE(r.body().empty());
}

TEST(HttpRequestTest, KeepAliveFollowsVersionAndConnection) {
  HttpRequest r;
  Parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", r);
  EXPECT_FALSE(r.keep_alive());
  Parse("GET / HTTP/1.0\r\n\r\n", r);
  EXPECT_EQ(r.version(), 10u);
  EXPECT_FALSE(r.keep_alive());
  Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", r);
  EXPECT_TRUE(r.keep_alive());
}

TEST(HttpRequestTest, ChunkedBodyIsJoined) {
  HttpRequest r;
  Parse("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", r, 5);
  EXPECT_EQ(r.body(), "abcde");
}

TEST(HttpRequestTest, ReuseForgetsThePreviousRequest) {
  HttpRequest r;
  Parse("POST /a HTTP/1.1\r\nAuthorization: Bearer x\r\nContent-Length: 3\r\n\r\nabc", r);
  // A short request after a long one: no field, body or target may survive.
  Parse("GET /b HTTP/1.1\r\n\r\n", r);
  EXPECT_EQ(r.method(), bhttp::verb::get);
  EXPECT_EQ(r.target(), "/b");
  EXPECT_EQ(r.field_count(), 0u);
  EXPECT_EQ(r.find(bhttp::field::authorization), r.end());
  EXPECT_TRUE(r.body().empty());
}

TEST(HttpRequestTest, ManyLongFieldsKeepTheirValues) {
  // Enough text to make the request's buffer grow several times while the header is parsed.
  std::string wire = "GET /many HTTP/1.1\r\n";
  for (int i = 0; i < 60; ++i) {
    wire += "X-F" + std::to_string(i) + ": " + std::string(100, static_cast<char>('a' + i % 26)) + "\r\n";
  }
  wire += "\r\n";
  HttpRequest r;
  Parse(wire, r, 7);
  ASSERT_EQ(r.field_count(), 60u);
  EXPECT_EQ(r.target(), "/many");
  EXPECT_EQ(r.find("x-f59")->value(), std::string(100, static_cast<char>('a' + 59 % 26)));
  EXPECT_EQ(r.find("X-F0")->value(), std::string(100, 'a'));
}

}  // namespace
}  // namespace ihub
