// The types a handler sees: a request with its matched route and path
// parameters, and a Reply. Handlers know nothing of sockets; sessions know
// nothing of the store.
//
// Thread-safety: a RequestContext lives on one connection's strand for the
// duration of one handler call. A Completion may be invoked from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/http_request.h"

namespace ihub {

namespace bhttp = boost::beast::http;
using HttpResponse = bhttp::response<bhttp::string_body>;

// Which API answers a path: decides the error envelope of router-level errors
// (404, 405, 413, 431, 503) and groups metrics. See API-DECISIONS item 6.
enum class ApiFamily { kOps, kAdmin, kOAuth, kAuthorize, kCapillary, kSolvimon, kOem, kCentrapay };

struct PathParams {
  static constexpr int kMax = 4;
  std::array<std::string_view, kMax> values{};
  int size = 0;
  std::string_view operator[](int i) const { return values[i]; }
};

struct Route;  // router.h

struct RequestContext {
  const HttpRequest& request;
  std::string_view path;        // target without the query string, still percent-encoded
  std::string_view query;       // after '?', without it; empty if none
  PathParams params;            // in template order; views into request.target()
  std::string_view request_id;  // echoed as x-request-id
  const Route* route = nullptr;
};

// A handler's answer. Most replies are immediate. A reply that acknowledges a
// write sets durable_seq: the session holds the response (and every later one
// on that connection, to keep pipelined order) until the journal reports that
// sequence durable. A reply that must wait for slow work (a snapshot) sets
// deferred; the session calls it with a Completion that may run on any thread.
using Completion = std::function<void(HttpResponse)>;

struct Reply {
  Reply() = default;
  // Implicit on purpose: a handler may `return ProblemResponse(...)` or `return {response, seq}`.
  Reply(HttpResponse r, uint64_t seq = 0) : response(std::move(r)), durable_seq(seq) {}  // NOLINT
  static Reply Deferred(std::function<void(Completion)> work) {
    Reply reply;
    reply.deferred = std::move(work);
    return reply;
  }

  HttpResponse response;
  uint64_t durable_seq = 0;
  std::function<void(Completion)> deferred;
};

}  // namespace ihub
