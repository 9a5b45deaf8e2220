// HTTP plumbing of the real ihubd: routing errors in each family's envelope,
// OPTIONS/HEAD, limits (413/431/414/400), pipelining, request ids, operator
// endpoints and graceful shutdown.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/e2e/e2e_harness.h"

namespace ihub::e2e {
namespace {

class HttpPlumbingTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()) << server_.Logs(); }
  TestServer server_{{.args = {"--threads", "2", "--max-body", "1024"}}};
};

TEST_F(HttpPlumbingTest, UnknownPathsAnswer404InTheirFamilysEnvelope) {
  HttpClient c = server_.Client();
  struct Case {
    const char* path;
    const char* content_type;
    const char* must_contain;
  };
  const Case cases[] = {
      {"/admin/nope", "application/problem+json", R"("status":404)"},
      {"/nope", "application/problem+json", R"("code":"NOT_FOUND")"},
      {"/oauth/nope", "application/json", R"({"error":"invalid_request","error_description":)"},
      {"/v3/integrations/nope/x/y", "application/json", R"({"data":null,"errors":[{"code":"NOT_FOUND")"},
      {"/v2/integrations", "application/problem+json", R"("title":"Not Found")"},
      {"/api/oem-api/nope", "application/json", R"({"status":404,"message":)"},
      {"/api/managed-integrations/a/b/c/d", "application/json", R"({"message":"NOT_FOUND","description":)"},
      {"/api/invitations/x/y/z", "application/json", R"({"message":"NOT_FOUND")"},
  };
  for (const Case& k : cases) {
    HttpResult r = c.Get(k.path);
    EXPECT_EQ(r.status, 404) << k.path;
    EXPECT_EQ(r.Header("content-type"), k.content_type) << k.path;
    EXPECT_NE(r.body.find(k.must_contain), std::string::npos) << k.path << ": " << r.body;
  }
}

TEST_F(HttpPlumbingTest, WrongMethodAnswers405WithAllow) {
  HttpClient c = server_.Client();
  HttpResult r = c.Post("/livez", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  EXPECT_NE(r.body.find(R"("code":"METHOD_NOT_ALLOWED")"), std::string::npos) << r.body;
  // An unknown method token is 405 too (API-DECISIONS item 14), not 501.
  r = c.Send("BREW", "/metrics");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("allow"), "GET, HEAD, OPTIONS");
}

TEST_F(HttpPlumbingTest, OptionsAnswers204WithAllow) {
  HttpClient c = server_.Client();
  HttpResult r = c.Send("OPTIONS", "/readyz");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.Header("allow"), "GET, HEAD, OPTIONS");
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.HasHeader("content-length"));
}

TEST_F(HttpPlumbingTest, HeadIsGetWithoutBody) {
  HttpClient c = server_.Client();
  HttpResult get = c.Get("/livez");
  HttpResult head = c.Send("HEAD", "/livez");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("content-length"), std::to_string(get.body.size()));
  // The connection is still usable after a HEAD answer.
  EXPECT_EQ(c.Get("/livez").body, R"({"status":"ok"})");
}

TEST_F(HttpPlumbingTest, OversizedContentLengthAnswers413BeforeTheBodyAndCloses) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.Write("POST /admin/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: 1000000\r\n\r\n"));
  std::vector<HttpResult> r = raw.ReadResponses(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 413);
  EXPECT_EQ(r[0].Header("content-type"), "application/problem+json");
  EXPECT_EQ(r[0].Header("connection"), "close");
  EXPECT_TRUE(raw.WaitClosed());
}

TEST_F(HttpPlumbingTest, ChunkedBodyOverTheLimitAnswers413) {
  RawConnection raw(server_.port());
  std::string chunk(2000, 'a');
  ASSERT_TRUE(raw.Write("POST /oauth/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "7d0\r\n" + chunk + "\r\n0\r\n\r\n"));
  std::vector<HttpResult> r = raw.ReadResponses(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 413);
  EXPECT_NE(r[0].body.find("\"error\":\"invalid_request\""), std::string::npos) << r[0].body;
  EXPECT_TRUE(raw.WaitClosed());
}

TEST_F(HttpPlumbingTest, HugeHeaderAnswers431) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Write("GET /livez HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') +
                        "\r\n\r\n"));
  std::vector<HttpResult> r = raw.ReadResponses(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 431);
  EXPECT_TRUE(raw.WaitClosed());
}

TEST_F(HttpPlumbingTest, TooManyHeadersAnswer431) {
  std::string req = "GET /livez HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 120; ++i) req += "X-H" + std::to_string(i) + ": v\r\n";
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Write(req + "\r\n"));
  std::vector<HttpResult> r = raw.ReadResponses(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 431);
}

TEST_F(HttpPlumbingTest, EndlessHeaderStreamIsCutOffWith431) {
  RawConnection raw(server_.port());
  std::string req = "GET /livez HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 200; ++i) req += "X-Filler-" + std::to_string(i) + ": " + std::string(900, 'f') + "\r\n";
  raw.Write(req);  // the server may stop reading and close before all is sent
  std::vector<HttpResult> r = raw.ReadResponses(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 431);
}

TEST_F(HttpPlumbingTest, OverlongRequestLineAnswers414) {
  RawConnection raw(server_.port());
  raw.Write("GET /admin/" + std::string(70000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  std::vector<HttpResult> r = raw.ReadResponses(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 414);
  EXPECT_EQ(r[0].Header("content-type"), "application/problem+json");
}

TEST_F(HttpPlumbingTest, MalformedRequestAnswers400AndCloses) {
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Write("THIS IS NOT HTTP\r\n\r\n"));
  std::vector<HttpResult> r = raw.ReadResponses(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 400);
  EXPECT_FALSE(r[0].Header("x-request-id").empty());
  EXPECT_TRUE(raw.WaitClosed());
}

TEST_F(HttpPlumbingTest, PipelinedBatchIsAnsweredInOrder) {
  std::string batch;
  for (int i = 0; i < 20; ++i) {
    const char* path = i % 3 == 0 ? "/livez" : i % 3 == 1 ? "/nope" : "/readyz";
    batch += std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: req-" +
             std::to_string(i) + "\r\n\r\n";
  }
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Write(batch));
  std::vector<HttpResult> r = raw.ReadResponses(20);
  ASSERT_EQ(r.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(r[i].Header("x-request-id"), "req-" + std::to_string(i));
    EXPECT_EQ(r[i].status, i % 3 == 1 ? 404 : 200) << i;
  }
}

// A session whose ring empties starts over at its first slot (Session::Retire), but not while a
// request is half read: its parser is filling the next slot. Here each complete request arrives
// with the first half of the next one, and the second half only after the first is answered.
TEST_F(HttpPlumbingTest, RequestHalfReadWhenTheRingEmptiesIsAnsweredWhole) {
  RawConnection raw(server_.port());
  for (int round = 0; round < 20; ++round) {
    const std::string n = std::to_string(round);
    ASSERT_TRUE(raw.Write("GET /livez HTTP/1.1\r\nHost: x\r\nX-Request-Id: a-" + n +
                          "\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nX-Req"));
    std::vector<HttpResult> first = raw.ReadResponses(1);
    ASSERT_EQ(first.size(), 1u) << round;
    EXPECT_EQ(first[0].status, 200);
    EXPECT_EQ(first[0].Header("x-request-id"), "a-" + n);
    ASSERT_TRUE(raw.Write("uest-Id: b-" + n + "\r\n\r\n"));
    std::vector<HttpResult> second = raw.ReadResponses(1);
    ASSERT_EQ(second.size(), 1u) << round;
    EXPECT_EQ(second[0].status, 404);
    EXPECT_EQ(second[0].Header("x-request-id"), "b-" + n);
  }
}

// Answers are written at once while they fit the socket's buffer and asynchronously after that
// (Session::WriteReady): a client that sends many pipelined requests and reads nothing for a
// while fills the buffers, and must still get every answer, whole and in order.
TEST_F(HttpPlumbingTest, AnswersBeyondTheSocketBufferArriveWholeAndInOrder) {
  constexpr int kRequests = 3000;  // about 8 MB of answers
  std::string batch;
  for (int i = 0; i < kRequests; ++i) {
    batch += "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Request-Id: big-" + std::to_string(i) +
             "\r\n\r\n";
  }
  RawConnection raw(server_.port());
  ASSERT_TRUE(raw.Write(batch));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server's writes back up
  std::vector<HttpResult> r = raw.ReadResponses(kRequests);
  ASSERT_EQ(r.size(), static_cast<size_t>(kRequests));
  size_t total = 0;
  for (int i = 0; i < kRequests; ++i) {
    EXPECT_EQ(r[i].status, 200) << i;
    EXPECT_EQ(r[i].Header("x-request-id"), "big-" + std::to_string(i));
    EXPECT_NE(r[i].body.find("ihub_"), std::string::npos) << i;
    total += r[i].body.size();
  }
  // More than loopback's buffers take from a client that reads nothing: checked by hand, the
  // last answers went out asynchronously (with 300 requests, about 0.8 MB, none did).
  EXPECT_GT(total, 6u << 20);
}

// A journaled write is answered only once durable, and the session does not read while it waits
// (Session::AwaitingAnswer): a request sent meanwhile must still be read and answered, in order.
TEST_F(HttpPlumbingTest, RequestSentWhileAWriteAwaitsDurabilityIsAnswered) {
  RawConnection raw(server_.port());
  const std::string body = R"({"name":"pipelined-org"})";
  for (int round = 0; round < 20; ++round) {
    ASSERT_TRUE(raw.Write("POST /admin/v1/orgs HTTP/1.1\r\nHost: x\r\nX-Api-Key: " +
                          server_.root_key() + "\r\nContent-Type: application/json\r\n" +
                          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body));
    // Every other round, the second request comes after the first was read on its own.
    if (round % 2 == 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_TRUE(raw.Write("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::vector<HttpResult> r = raw.ReadResponses(2);
    ASSERT_EQ(r.size(), 2u) << round;
    EXPECT_EQ(r[0].status, 201) << r[0].body;
    EXPECT_EQ(r[1].status, 200);
  }
}

TEST_F(HttpPlumbingTest, RequestIdIsEchoedWhenValidAndGeneratedOtherwise) {
  HttpClient c = server_.Client();
  EXPECT_EQ(c.Get("/livez", {{"X-Request-Id", "abc.DEF_1:2-3"}}).Header("x-request-id"),
            "abc.DEF_1:2-3");
  std::string bad = c.Get("/livez", {{"X-Request-Id", "has space/slash"}}).Header("x-request-id");
  EXPECT_FALSE(bad.empty());
  EXPECT_NE(bad, "has space/slash");
  std::string a = c.Get("/livez").Header("x-request-id");
  std::string b = c.Get("/livez").Header("x-request-id");
  EXPECT_FALSE(a.empty());
  EXPECT_NE(a, b);
  EXPECT_NE(c.Get("/livez", {{"X-Request-Id", std::string(129, 'a')}}).Header("x-request-id"),
            std::string(129, 'a'));
  // The access log carries the same id.
  EXPECT_TRUE(server_.WaitForLog("\"request_id\":\"abc.DEF_1:2-3\""));
}

TEST_F(HttpPlumbingTest, OperatorEndpoints) {
  HttpClient c = server_.Client();
  EXPECT_EQ(c.Get("/livez").body, R"({"status":"ok"})");
  EXPECT_EQ(c.Get("/healthz").body, R"({"status":"ok"})");
  HttpResult ready = c.Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  HttpResult m = c.Get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.Header("content-type").rfind("text/plain", 0), 0u);
  EXPECT_NE(m.body.find(R"(ihub_http_requests_total{api="ops",route="/livez",method="GET",code="200"} 1)"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("# TYPE ihub_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(m.body.find("ihub_ready 1"), std::string::npos);
  EXPECT_NE(m.body.find("ihub_open_connections 1"), std::string::npos) << m.body;
}

TEST_F(HttpPlumbingTest, AccessLogUsesTheRouteTemplate) {
  HttpClient c = server_.Client();
  c.Get("/api/invitations/SECRETCODE123/accept", {{"X-Request-Id", "log-check-1"}});
  EXPECT_TRUE(server_.WaitForLog("\"request_id\":\"log-check-1\""));
  EXPECT_EQ(server_.Logs().find("SECRETCODE123"), std::string::npos);
}

TEST_F(HttpPlumbingTest, SigtermLetsTheInFlightRequestFinishAndExitsZero) {
  // A request whose body is still arriving is in flight when SIGTERM lands.
  RawConnection busy(server_.port());
  ASSERT_TRUE(busy.Write("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345"));
  HttpClient idle = server_.Client();
  ASSERT_EQ(idle.Get("/livez").status, 200);  // an idle keep-alive connection
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server_.Signal(SIGTERM);
  ASSERT_TRUE(server_.WaitForLog("shutting down"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(busy.Write("67890"));
  std::vector<HttpResult> r = busy.ReadResponses(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 404);
  EXPECT_EQ(r[0].Header("connection"), "close");
  const uint16_t port = server_.port();
  EXPECT_EQ(server_.Stop(SIGTERM), 0) << server_.Logs();
  // Once stopped, nothing listens any more.
  RawConnection after(port);
  EXPECT_FALSE(after.connected());
}

TEST(HttpPlumbingTimeoutTest, IdleAndSlowHeaderConnectionsAreClosed) {
  TestServer server({.args = {"--idle-timeout", "1", "--header-timeout", "1"}});
  ASSERT_TRUE(server.ok()) << server.Logs();
  RawConnection idle(server.port());
  RawConnection slow(server.port());
  RawConnection busy(server.port());
  ASSERT_TRUE(slow.Write("GET /livez HTTP/1.1\r\nHost: x\r\n"));  // never finishes its header
  auto start = std::chrono::steady_clock::now();
  // A connection that keeps sending whole requests stays open meanwhile.
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(busy.Write("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(busy.ReadResponses(1).size(), 1u) << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_TRUE(idle.WaitClosed(std::chrono::seconds(1)));
  EXPECT_TRUE(slow.WaitClosed(std::chrono::seconds(1)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(HttpPlumbingConfigTest, BadFlagExitsWithCode2) {
  TestServer server({.args = {"--threads", "zero"}, .start = false});
  EXPECT_FALSE(server.Start());
  EXPECT_EQ(server.Stop(SIGKILL), 2);
  EXPECT_NE(server.Logs().find("--threads"), std::string::npos) << server.Logs();
}

}  // namespace
}  // namespace ihub::e2e
