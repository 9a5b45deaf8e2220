// Router: maps (method, path) to a handler through path templates such as
// "/admin/v1/orgs/{orgId}/api-keys/{keyId}". Unknown paths are 404; a known
// path with another method is 405 with an Allow header (HEAD is served by GET
// handlers, OPTIONS answers 204 with Allow) — see API-DECISIONS items 6 and 14.
//
// Thread-safety: routes are added before the server starts; afterwards the
// router is immutable and Match() may be called from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/http.h"

namespace ihub {

struct Services;
using Handler = Reply (*)(Services&, RequestContext&);

struct Route {
  bhttp::verb method;
  std::string path_template;  // also the metrics/log label: never the raw path
  ApiFamily family;
  Handler handler;
  int id = 0;  // dense index in registration order (metrics slot); set by Router::Add
};

class Router {
 public:
  Router();
  ~Router();

  // REQUIRES: called before the server starts. Template segments are literals
  // or "{name}" (matches one non-empty segment). At most PathParams::kMax params.
  void Add(bhttp::verb method, std::string_view path_template, ApiFamily family, Handler handler);

  struct Match {
    const Route* route = nullptr;      // set when path and method matched
    PathParams params;
    bool path_known = false;           // path matched some template (405 vs 404)
    std::string allow;                 // for 405/OPTIONS: "GET, HEAD, POST"
    ApiFamily family = ApiFamily::kOps;  // family for errors when route is null
  };
  // Returns the match for method and path (path without query, percent-encoded).
  Match Find(bhttp::verb method, std::string_view path) const;

  // All routes in registration order; routes()[i]->id == i. Stable after the
  // server starts (metrics labels its per-route series from this list).
  const std::vector<const Route*>& routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The API family that owns a path by its prefix (API-DECISIONS item 6).
ApiFamily FamilyForPath(std::string_view path);

}  // namespace ihub
