// HttpServer in-process, with test handlers: deferred and durable replies,
// throwing handlers, readiness gating, connection limits and Stop().
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "server/config.h"
#include "server/envelopes.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/services.h"

namespace ihub {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Durable acknowledgements are released by the test through this hook.
struct Journal {
  std::mutex mu;
  std::vector<std::pair<uint64_t, std::function<void()>>> waiting;
  void ReleaseAll() {
    std::vector<std::pair<uint64_t, std::function<void()>>> w;
    {
      std::lock_guard<std::mutex> lock(mu);
      w.swap(waiting);
    }
    for (auto& [seq, done] : w) done();  // from the test thread: "any thread"
  }
  size_t Waiting() {
    std::lock_guard<std::mutex> lock(mu);
    return waiting.size();
  }
};
Journal* g_journal = nullptr;
std::function<void(Completion)>* g_deferred_sink = nullptr;

Reply Text(std::string body) {
  Reply r;
  r.response = MakeJsonResponse(bhttp::status::ok, std::move(body));
  return r;
}
Reply Echo(Services&, RequestContext& ctx) {
  return Text(std::string(ctx.params[0]) + "|" + std::string(ctx.query));
}
Reply Throws(Services&, RequestContext&) { throw std::runtime_error("boom"); }
Reply Durable(Services&, RequestContext& ctx) {
  Reply r = Text("written");
  r.durable_seq = 7;
  return r;
}
Reply Deferred(Services&, RequestContext&) {
  Reply r;
  r.deferred = [](Completion done) { (*g_deferred_sink)(std::move(done)); };
  return r;
}

struct Answer {
  int status = 0;
  std::string body;
  std::string retry_after;
  std::string content_type;
};

class Client {
 public:
  explicit Client(uint16_t port) : socket_(ioc_) {
    boost::system::error_code ec;
    socket_.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  }
  void Send(bhttp::verb method, std::string target) {
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, "x");
    req.prepare_payload();
    bhttp::write(socket_, req);
  }
  Answer Read() {
    bhttp::response<bhttp::string_body> res;
    boost::system::error_code ec;
    bhttp::read(socket_, buffer_, res, ec);
    if (ec) return {};
    return {static_cast<int>(res.result_int()), res.body(),
            std::string(res[bhttp::field::retry_after]), std::string(res[bhttp::field::content_type])};
  }
  Answer Call(bhttp::verb method, std::string target) {
    Send(method, std::move(target));
    return Read();
  }
  size_t Available() { return socket_.available() + buffer_.size(); }
  bool ClosedByServer() {
    char c;
    boost::system::error_code ec;
    socket_.read_some(net::buffer(&c, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_journal = &journal_;
    g_deferred_sink = &deferred_sink_;
    config_.listen_port = 0;
    config_.threads = 2;
    config_.access_log = false;
    router_.Add(bhttp::verb::get, "/echo/{x}", ApiFamily::kAdmin, Echo);
    router_.Add(bhttp::verb::get, "/throws", ApiFamily::kCapillary, Throws);
    router_.Add(bhttp::verb::post, "/durable", ApiFamily::kAdmin, Durable);
    router_.Add(bhttp::verb::post, "/deferred", ApiFamily::kAdmin, Deferred);
    router_.Add(bhttp::verb::get, "/livez", ApiFamily::kOps, Echo);
    services_.ready = true;
    services_.when_durable = [this](uint64_t seq, std::function<void()> done) {
      std::lock_guard<std::mutex> lock(journal_.mu);
      journal_.waiting.emplace_back(seq, std::move(done));
    };
  }
  void StartServer() {
    server_ = std::make_unique<HttpServer>(services_, router_);
    auto port = server_->Listen();
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) {
      journal_.ReleaseAll();
      server_->Stop();
      thread_.join();
    }
  }

  Config config_;
  Metrics metrics_;
  Services services_{config_, metrics_};
  Router router_;
  Journal journal_;
  std::mutex deferred_mu_;
  std::vector<Completion> deferred_;
  std::function<void(Completion)> deferred_sink_ = [this](Completion c) {
    std::lock_guard<std::mutex> lock(deferred_mu_);
    deferred_.push_back(std::move(c));
  };
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

TEST_F(HttpServerTest, PathParamsAndQueryReachTheHandler) {
  StartServer();
  Client c(port_);
  Answer a = c.Call(bhttp::verb::get, "/echo/abc?x=1&y=2");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "abc|x=1&y=2");
}

TEST_F(HttpServerTest, ThrowingHandlerAnswers500InItsFamilyEnvelope) {
  StartServer();
  Client c(port_);
  Answer a = c.Call(bhttp::verb::get, "/throws");
  EXPECT_EQ(a.status, 500);
  EXPECT_EQ(a.body, R"({"data":null,"errors":[{"code":"INTERNAL","message":"internal error"}]})");
  EXPECT_EQ(c.Call(bhttp::verb::get, "/echo/still-alive").status, 200);
}

TEST_F(HttpServerTest, NotReadyGatesEverythingButOps) {
  services_.ready = false;
  StartServer();
  Client c(port_);
  Answer a = c.Call(bhttp::verb::get, "/echo/x");
  EXPECT_EQ(a.status, 503);
  EXPECT_EQ(a.retry_after, "1");
  EXPECT_EQ(a.content_type, "application/problem+json");
  EXPECT_EQ(c.Call(bhttp::verb::get, "/livez").status, 200);
  services_.ready = true;
  EXPECT_EQ(c.Call(bhttp::verb::get, "/echo/x").status, 200);
}

TEST_F(HttpServerTest, DurableReplyAndLaterOnesWaitForTheJournal) {
  StartServer();
  Client c(port_);
  c.Send(bhttp::verb::post, "/durable");
  c.Send(bhttp::verb::get, "/echo/after");  // pipelined behind the held answer
  for (int i = 0; i < 200 && journal_.Waiting() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(journal_.Waiting(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(c.Available(), 0u) << "an answer left before its write was durable";
  std::thread release([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    journal_.ReleaseAll();
  });
  Answer first = c.Read();
  Answer second = c.Read();
  release.join();
  EXPECT_EQ(first.body, "written");
  EXPECT_EQ(second.body, "after|");
}

TEST_F(HttpServerTest, DeferredReplyCompletesFromAnotherThread) {
  StartServer();
  Client c(port_);
  c.Send(bhttp::verb::post, "/deferred");
  c.Send(bhttp::verb::get, "/echo/next");
  std::thread worker([this] {
    Completion done;
    for (int i = 0; i < 400 && !done; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      std::lock_guard<std::mutex> lock(deferred_mu_);
      if (!deferred_.empty()) done = deferred_.front();
    }
    ASSERT_TRUE(done);
    done(MakeJsonResponse(bhttp::status::created, R"({"snapshot":1})"));
  });
  Answer first = c.Read();
  Answer second = c.Read();
  worker.join();
  EXPECT_EQ(first.status, 201);
  EXPECT_EQ(first.body, R"({"snapshot":1})");
  EXPECT_EQ(second.body, "next|");
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitAreClosed) {
  config_.max_connections = 2;
  StartServer();
  Client a(port_), b(port_);
  EXPECT_EQ(a.Call(bhttp::verb::get, "/echo/a").status, 200);
  EXPECT_EQ(b.Call(bhttp::verb::get, "/echo/b").status, 200);
  Client c(port_);
  EXPECT_TRUE(c.ClosedByServer());
  EXPECT_EQ(a.Call(bhttp::verb::get, "/echo/a").status, 200);
}

TEST_F(HttpServerTest, StopReturnsFromRunWithIdleConnectionsOpen) {
  StartServer();
  Client c(port_);
  EXPECT_EQ(c.Call(bhttp::verb::get, "/echo/x").status, 200);
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  thread_.join();
  server_.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_TRUE(c.ClosedByServer());
}

}  // namespace
}  // namespace ihub
