// End-to-end test harness: starts the real ihubd on an ephemeral port with a
// fresh data dir and talks HTTP to it.
//
//   TestServer server;                       // ihubd --listen 127.0.0.1:0, temp data dir
//   ASSERT_TRUE(server.ok()) << server.Logs();
//   HttpClient client = server.Client();     // keep-alive connection
//   HttpResult r = client.Post("/admin/v1/orgs", R"({"name":"acme"})",
//                              {{"X-Api-Key", server.root_key()}});
//   EXPECT_EQ(r.status, 201) << r.body;
//   EXPECT_EQ(r.Json()["name"].get_string().value(), "acme");
//   EXPECT_EQ(server.Stop(SIGTERM), 0);
//
// RawConnection writes exact bytes (pipelining, malformed input) and reads
// whatever comes back. Set IHUB_TEST_VERBOSE=1 to copy the daemon's stderr to
// the test's stderr as it arrives.
//
// Thread-safety: use each object from one test thread; Logs() and WaitForLog()
// may be called while the reader thread collects stderr.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <simdjson.h>

namespace ihub::e2e {

using Headers = std::vector<std::pair<std::string, std::string>>;
class HttpClient;

struct TestServerOptions {
  std::vector<std::string> args;  // extra flags, e.g. {"--threads", "1"}
  Headers env;                    // extra or overriding environment variables
  std::string data_dir;           // empty = a fresh temp dir removed afterwards
  bool start = true;              // false: call Start() yourself
  bool wait_ready = true;         // Start() also waits for GET /readyz == 200
};

class TestServer {
 public:
  // The root key every TestServer sets in IHUB_ROOT_KEY.
  static constexpr std::string_view kRootKey = "ihub_root_e2e_0123456789abcdefghijklmnopqrstuv";

  explicit TestServer(TestServerOptions options = {});
  ~TestServer();  // SIGKILLs a still-running daemon; removes the temp dir
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Starts ihubd and waits (10 s at most) for its "listening" line and, with
  // options.wait_ready, for /readyz to answer 200. Returns false (see Logs())
  // if it exits, stays silent or never gets ready.
  bool Start();
  // Stop(signal) then Start() on the same data dir.
  bool Restart(int signal = SIGTERM);
  // Sends `signal` and waits (15 s at most, then SIGKILL) for the exit.
  // Returns the exit code, or 128 + signal number if killed by a signal.
  int Stop(int signal = SIGTERM);
  // Sends a signal without waiting.
  void Signal(int signal);

  bool ok() const { return port_ != 0; }
  bool running() const { return pid_ > 0; }
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string root_key() const { return std::string(kRootKey); }
  const std::string& data_dir() const { return data_dir_; }
  TestServerOptions& options() { return options_; }

  // Everything the daemon wrote to stderr so far (all runs).
  std::string Logs() const;
  // Waits until stderr contains `needle`; returns whether it appeared.
  bool WaitForLog(std::string_view needle,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

  // A keep-alive client for this server. REQUIRES: ok().
  HttpClient Client() const;

 private:
  void ReadStderr(int fd);

  TestServerOptions options_;
  std::string data_dir_;
  bool own_data_dir_ = false;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::thread reader_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::string logs_;         // guarded by mu_
  bool stderr_open_ = false;  // guarded by mu_
};

// An HTTP answer. Header names are matched case-insensitively.
struct HttpResult {
  int status = 0;  // 0 when the request failed at the transport level
  Headers headers;
  std::string body;
  std::string error;  // transport error, if any

  // The first header of that name, or "" if absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // Parses the body as JSON (once); a failed parse yields an element whose
  // accessors return errors.
  simdjson::dom::element Json() const;

 private:
  mutable std::shared_ptr<simdjson::dom::parser> parser_;
  mutable simdjson::dom::element json_;
};

// A synchronous keep-alive HTTP/1.1 client. Reconnects when the server
// closed the previous connection.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;

  HttpResult Send(std::string_view method, std::string_view target, std::string_view body = "",
                  const Headers& headers = {});
  HttpResult Get(std::string_view target, const Headers& headers = {}) {
    return Send("GET", target, "", headers);
  }
  HttpResult Post(std::string_view target, std::string_view body, const Headers& headers = {}) {
    return Send("POST", target, body, headers);
  }
  HttpResult Put(std::string_view target, std::string_view body, const Headers& headers = {}) {
    return Send("PUT", target, body, headers);
  }
  HttpResult Patch(std::string_view target, std::string_view body, const Headers& headers = {}) {
    return Send("PATCH", target, body, headers);
  }
  HttpResult Delete(std::string_view target, const Headers& headers = {}) {
    return Send("DELETE", target, "", headers);
  }
  void Close();

 private:
  bool Connect(std::string& error);

  uint16_t port_;
  std::unique_ptr<boost::asio::io_context> ioc_;
  std::unique_ptr<boost::asio::ip::tcp::socket> socket_;
  boost::beast::flat_buffer buffer_;
};

// A plain TCP connection for exact bytes.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Writes all bytes; returns false if the peer reset the connection.
  bool Write(std::string_view bytes);
  // Half-closes our sending side.
  void ShutdownWrite();
  // Reads until the peer closes or `timeout` passes; returns what arrived.
  std::string ReadAll(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads until `count` complete responses arrived (or timeout/close) and
  // returns them in order. Responses to HEAD must not be requested this way.
  std::vector<HttpResult> ReadResponses(size_t count,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // True once the peer has closed the connection (EOF or reset) within timeout.
  bool WaitClosed(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  // Appends whatever arrives before `deadline`; returns false on EOF/error.
  bool ReadSome(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string pending_;
};

// Parses complete HTTP responses from the front of `raw`, removing them.
std::vector<HttpResult> ParseResponses(std::string& raw, size_t max_count);

}  // namespace ihub::e2e
