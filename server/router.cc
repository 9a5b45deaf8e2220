// Router: a trie of path segments. Each node has literal children and at most
// one "{param}" child; a literal match is tried before the param child, and the
// walk backtracks, so "/v3/integrations/scopes" beats "/v3/integrations/{id}".
#include "server/router.h"

#include <cassert>
#include <cctype>
#include <utility>

namespace ihub {
namespace {

// Splits "/a/b/c" into {"a","b","c"}; "/" is one empty segment and
// "/a/" ends in an empty segment (a different path, API-DECISIONS item 14).
// Returns false for paths that do not start with '/' or have too many segments.
constexpr int kMaxSegments = 32;
struct Segments {
  std::array<std::string_view, kMaxSegments> items;
  int size = 0;
};

bool Split(std::string_view path, Segments& out) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  while (true) {
    if (out.size == kMaxSegments) return false;
    size_t slash = path.find('/');
    out.items[out.size++] = path.substr(0, slash);
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Order in which Allow lists methods: the usual reading order.
constexpr bhttp::verb kAllowOrder[] = {bhttp::verb::get,   bhttp::verb::head,  bhttp::verb::post,
                                       bhttp::verb::put,   bhttp::verb::patch, bhttp::verb::delete_,
                                       bhttp::verb::options};

}  // namespace

struct Router::Impl {
  struct Node {
    std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
    std::unique_ptr<Node> param;
    std::vector<const Route*> routes;  // routes whose template ends here
  };

  Node root;
  std::vector<std::unique_ptr<Route>> owned;
  std::vector<const Route*> routes;

  // Depth-first match; fills params on the way down. Returns the terminal node.
  const Node* Walk(const Node& node, const Segments& segs, int i, PathParams& params) const {
    if (i == segs.size) return node.routes.empty() ? nullptr : &node;
    std::string_view seg = segs.items[i];
    for (const auto& [literal, child] : node.literals) {
      if (literal == seg) {
        if (const Node* hit = Walk(*child, segs, i + 1, params)) return hit;
        break;
      }
    }
    if (node.param && !seg.empty() && params.size < PathParams::kMax) {
      params.values[params.size++] = seg;
      if (const Node* hit = Walk(*node.param, segs, i + 1, params)) return hit;
      --params.size;
    }
    return nullptr;
  }
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;

void Router::Add(bhttp::verb method, std::string_view path_template, ApiFamily family,
                 Handler handler) {
  Segments segs;
  bool ok = Split(path_template, segs);
  assert(ok && "route template must start with '/'");
  (void)ok;
  Impl::Node* node = &impl_->root;
  int params = 0;
  for (int i = 0; i < segs.size; ++i) {
    std::string_view seg = segs.items[i];
    if (IsParam(seg)) {
      ++params;
      if (!node->param) node->param = std::make_unique<Impl::Node>();
      node = node->param.get();
      continue;
    }
    Impl::Node* next = nullptr;
    for (auto& [literal, child] : node->literals) {
      if (literal == seg) next = child.get();
    }
    if (next == nullptr) {
      node->literals.emplace_back(std::string(seg), std::make_unique<Impl::Node>());
      next = node->literals.back().second.get();
    }
    node = next;
  }
  assert(params <= PathParams::kMax);
  for ([[maybe_unused]] const Route* r : node->routes) {
    assert(r->method != method && "duplicate route");
  }
  auto route = std::make_unique<Route>(
      Route{method, std::string(path_template), family, handler, static_cast<int>(impl_->routes.size())});
  node->routes.push_back(route.get());
  impl_->routes.push_back(route.get());
  impl_->owned.push_back(std::move(route));
}

Router::Match Router::Find(bhttp::verb method, std::string_view path) const {
  Match m;
  Segments segs;
  const Impl::Node* node = nullptr;
  if (Split(path, segs)) node = impl_->Walk(impl_->root, segs, 0, m.params);
  if (node == nullptr) {
    m.params = PathParams{};
    m.family = FamilyForPath(path);
    return m;
  }
  m.path_known = true;
  m.family = node->routes.front()->family;
  // HEAD is served by the GET handler (API-DECISIONS item 14).
  bhttp::verb wanted = method == bhttp::verb::head ? bhttp::verb::get : method;
  for (const Route* r : node->routes) {
    if (r->method == wanted) {
      m.route = r;
      m.family = r->family;
      return m;
    }
  }
  // 405 or OPTIONS: only now pay for building the Allow list.
  for (bhttp::verb v : kAllowOrder) {
    bool has = v == bhttp::verb::options;
    for (const Route* r : node->routes) {
      has = has || r->method == v || (v == bhttp::verb::head && r->method == bhttp::verb::get);
    }
    if (!has) continue;
    if (!m.allow.empty()) m.allow += ", ";
    m.allow += bhttp::to_string(v);
  }
  return m;
}

const std::vector<const Route*>& Router::routes() const { return impl_->routes; }

namespace {
bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
}  // namespace

ApiFamily FamilyForPath(std::string_view path) {
  if (StartsWith(path, "/oauth/")) return ApiFamily::kOAuth;
  if (path == "/v1/authorize" || StartsWith(path, "/v1/authorize/")) return ApiFamily::kAuthorize;
  // "/v3/integrations" alone is Solvimon's route (item 72); below it is Capillary.
  if (StartsWith(path, "/v3/integrations/")) return ApiFamily::kCapillary;
  if (path.size() > 2 && path[0] == '/' && path[1] == 'v' &&
      std::isdigit(static_cast<unsigned char>(path[2]))) {
    size_t i = 2;
    while (i < path.size() && std::isdigit(static_cast<unsigned char>(path[i]))) ++i;
    if (StartsWith(path.substr(i), "/integrations")) return ApiFamily::kSolvimon;
  }
  if (StartsWith(path, "/api/oem-api/")) return ApiFamily::kOem;
  if (StartsWith(path, "/api/managed-integrations") || StartsWith(path, "/api/invitations/")) {
    return ApiFamily::kCentrapay;
  }
  if (StartsWith(path, "/admin/")) return ApiFamily::kAdmin;
  return ApiFamily::kOps;
}

}  // namespace ihub
