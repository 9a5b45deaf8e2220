// End-to-end harness: process control for ihubd, a Beast client, raw sockets.
#include "tests/e2e/e2e_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>

#include <boost/asio/connect.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

extern char** environ;

namespace ihub::e2e {
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(15);

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "ihub-e2e-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) return {};
  return tmpl;
}

// Extracts N from a line like {"msg":"listening",...,"port":N,...}.
uint16_t PortFromListeningLine(std::string_view logs) {
  size_t at = logs.find("\"msg\":\"listening\"");
  if (at == std::string_view::npos) return 0;
  size_t eol = logs.find('\n', at);
  size_t line_start = logs.rfind('\n', at);
  line_start = line_start == std::string_view::npos ? 0 : line_start;
  std::string_view line = logs.substr(line_start, eol == std::string_view::npos ? eol : eol - line_start);
  size_t p = line.find("\"port\":");
  if (p == std::string_view::npos) return 0;
  return static_cast<uint16_t>(std::atoi(std::string(line.substr(p + 7, 6)).c_str()));
}

HttpResult FromBeast(bhttp::response<bhttp::string_body>&& res) {
  HttpResult out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  out.body = std::move(res.body());
  return out;
}

}  // namespace

// ---- TestServer ----------------------------------------------------------

TestServer::TestServer(TestServerOptions options) : options_(std::move(options)) {
  data_dir_ = options_.data_dir;
  if (data_dir_.empty()) {
    std::string parent = MakeTempDir();
    own_data_dir_ = true;
    data_dir_ = parent + "/data";  // a missing dir: ihubd creates it
  }
  if (options_.start) Start();
}

TestServer::~TestServer() {
  if (pid_ > 0) Stop(SIGKILL);
  if (reader_.joinable()) reader_.join();
  if (own_data_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(data_dir_).parent_path(), ec);
  }
}

bool TestServer::Start() {
  if (pid_ > 0) return ok();
  if (reader_.joinable()) reader_.join();
  port_ = 0;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;

  std::vector<std::string> args = {IHUB_DAEMON_PATH, "--listen", "127.0.0.1:0", "--data-dir",
                                   data_dir_};
  args.insert(args.end(), options_.args.begin(), options_.args.end());
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name(kv.substr(0, eq));
    if (name.rfind("IHUB_", 0) == 0) continue;  // the test decides every IHUB_ variable
    env[name] = std::string(kv.substr(eq + 1));
  }
  env["IHUB_ROOT_KEY"] = std::string(kRootKey);
  for (const auto& [k, v] : options_.env) env[k] = v;

  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    std::lock_guard<std::mutex> lock(mu_);
    logs_ += std::string("spawn failed: ") + std::strerror(rc) + "\n";
    return false;
  }
  pid_ = pid;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stderr_open_ = true;
  }
  size_t logs_before = Logs().size();
  reader_ = std::thread([this, fd = fds[0]] { ReadStderr(fd); });

  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, kStartTimeout, [&] {
    return !stderr_open_ || PortFromListeningLine(std::string_view(logs_).substr(logs_before)) != 0;
  });
  port_ = PortFromListeningLine(std::string_view(logs_).substr(logs_before));
  lock.unlock();
  if (port_ == 0 || !options_.wait_ready) return port_ != 0;
  HttpClient client(port_);
  auto deadline = Clock::now() + kStartTimeout;
  while (client.Get("/readyz").status != 200) {
    if (Clock::now() > deadline) {
      port_ = 0;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

void TestServer::ReadStderr(int fd) {
  const bool verbose = std::getenv("IHUB_TEST_VERBOSE") != nullptr;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (verbose) (void)!::write(2, buf, static_cast<size_t>(n));
    std::lock_guard<std::mutex> lock(mu_);
    logs_.append(buf, static_cast<size_t>(n));
    cv_.notify_all();
  }
  ::close(fd);
  std::lock_guard<std::mutex> lock(mu_);
  stderr_open_ = false;
  cv_.notify_all();
}

bool TestServer::Restart(int signal) {
  Stop(signal);
  return Start();
}

void TestServer::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int TestServer::Stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  auto deadline = Clock::now() + kStopTimeout;
  pid_t done = 0;
  while ((done = ::waitpid(pid_, &status, WNOHANG)) == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (done == 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  port_ = 0;
  if (reader_.joinable()) reader_.join();
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string TestServer::Logs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return logs_;
}

bool TestServer::WaitForLog(std::string_view needle, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return logs_.find(needle) != std::string::npos; });
}

HttpClient TestServer::Client() const { return HttpClient(port_); }

// ---- HttpResult ----------------------------------------------------------

std::string HttpResult::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsNoCase(k, name)) return v;
  }
  return {};
}

bool HttpResult::HasHeader(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsNoCase(k, name)) return true;
  }
  return false;
}

simdjson::dom::element HttpResult::Json() const {
  if (!parser_) {
    parser_ = std::make_shared<simdjson::dom::parser>();
    auto parsed = parser_->parse(body);
    if (parsed.error()) {
      // An element for "null" keeps the accessors safe; they then report type errors.
      if (parser_->parse(std::string_view("null")).get(json_)) json_ = {};
    } else {
      json_ = parsed.value();
    }
  }
  return json_;
}

// ---- HttpClient ----------------------------------------------------------

HttpClient::HttpClient(uint16_t port) : port_(port), ioc_(std::make_unique<net::io_context>()) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;

bool HttpClient::Connect(std::string& error) {
  socket_ = std::make_unique<net::ip::tcp::socket>(*ioc_);
  boost::system::error_code ec;
  socket_->connect({net::ip::make_address("127.0.0.1"), port_}, ec);
  if (ec) {
    error = "connect: " + ec.message();
    socket_.reset();
    return false;
  }
  buffer_.clear();
  return true;
}

void HttpClient::Close() {
  if (socket_) {
    boost::system::error_code ec;
    socket_->close(ec);
  }
  socket_.reset();
}

HttpResult HttpClient::Send(std::string_view method, std::string_view target,
                            std::string_view body, const Headers& headers) {
  HttpResult out;
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port_));
  for (const auto& [k, v] : headers) req.insert(k, v);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req.body() = std::string(body);
    if (req.find(bhttp::field::content_type) == req.end()) {
      req.set(bhttp::field::content_type, "application/json");
    }
    req.prepare_payload();
  }
  // One retry on a fresh connection if a kept-alive one turned out closed.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = socket_ != nullptr;
    if (!socket_ && !Connect(out.error)) return out;
    boost::system::error_code ec;
    bhttp::write(*socket_, req, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(method == "HEAD");
    if (!ec) bhttp::read(*socket_, buffer_, parser, ec);
    if (ec) {
      Close();
      out.error = ec.message();
      if (reused) continue;
      return out;
    }
    auto res = parser.release();
    bool keep = res.keep_alive();
    out = FromBeast(std::move(res));
    if (!keep) Close();
    return out;
  }
  return out;
}

// ---- RawConnection -------------------------------------------------------

RawConnection::RawConnection(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void RawConnection::ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

bool RawConnection::ReadSome(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return true;
  pollfd p{fd_, POLLIN, 0};
  int r = ::poll(&p, 1, static_cast<int>(left.count()));
  if (r <= 0) return true;  // timeout: still open as far as we know
  char buf[16384];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return false;
  pending_.append(buf, static_cast<size_t>(n));
  return true;
}

std::string RawConnection::ReadAll(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline && ReadSome(deadline)) {
  }
  return std::exchange(pending_, {});
}

std::vector<HttpResult> RawConnection::ReadResponses(size_t count, std::chrono::milliseconds timeout) {
  std::vector<HttpResult> out;
  auto deadline = Clock::now() + timeout;
  while (true) {
    for (auto& r : ParseResponses(pending_, count - out.size())) out.push_back(std::move(r));
    if (out.size() >= count || Clock::now() >= deadline || !ReadSome(deadline)) break;
  }
  for (auto& r : ParseResponses(pending_, count - out.size())) out.push_back(std::move(r));
  return out;
}

bool RawConnection::WaitClosed(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (!ReadSome(deadline)) return true;
  }
  return false;
}

std::vector<HttpResult> ParseResponses(std::string& raw, size_t max_count) {
  std::vector<HttpResult> out;
  while (out.size() < max_count && !raw.empty()) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    boost::system::error_code ec;
    size_t used = parser.put(net::buffer(raw), ec);
    if (!ec && parser.is_header_done() && !parser.is_done()) {
      size_t more = parser.put(net::buffer(raw.data() + used, raw.size() - used), ec);
      used += more;
    }
    if (ec || !parser.is_done()) break;
    raw.erase(0, used);
    out.push_back(FromBeast(parser.release()));
  }
  return out;
}

}  // namespace ihub::e2e
