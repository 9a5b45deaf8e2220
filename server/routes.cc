// One line per API family; each family's Register*Routes lives in its
// *_handlers.cc.
#include "server/routes.h"

#include "server/ops_handlers.h"
#include "server/router.h"
#include "server/snapshot_handlers.h"

namespace ihub {

void RegisterAllRoutes(Router& router) {
  RegisterOpsRoutes(router);
  RegisterSnapshotRoutes(router);
}

}  // namespace ihub
