// One line per API family; each family's Register*Routes lives in its
// *_handlers.cc.
#include "server/routes.h"

#include "server/admin_handlers.h"
#include "server/authorize_handlers.h"
#include "server/capillary_handlers.h"
#include "server/centrapay_handlers.h"
#include "server/oauth_handlers.h"
#include "server/oem_handlers.h"
#include "server/ops_handlers.h"
#include "server/router.h"
#include "server/snapshot_handlers.h"
#include "server/solvimon_handlers.h"
#include "server/test_clock_handlers.h"
#include "server/vendor_admin_handlers.h"

namespace ihub {

void RegisterAllRoutes(Router& router) {
  RegisterOpsRoutes(router);
  RegisterAdminRoutes(router);
  RegisterCapillaryRoutes(router);
  RegisterCentrapayRoutes(router);
  RegisterSnapshotRoutes(router);
  RegisterSolvimonRoutes(router);
  RegisterOemRoutes(router);
  RegisterVendorAdminRoutes(router);
  RegisterOAuthRoutes(router);
  RegisterAuthorizeRoutes(router);
  RegisterTestClockRoutes(router);  // only with IHUB_TEST_CLOCK=1
}

}  // namespace ihub
