// The route table of ihubd: every API family registers its routes here.
//
// Thread-safety: call once at start-up, before the server runs.
#pragma once

namespace ihub {

class Router;

// Adds every family's routes to router.
void RegisterAllRoutes(Router& router);

}  // namespace ihub
