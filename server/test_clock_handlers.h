// Test clock: POST /admin/v1/test/clock {"advanceSeconds":N} moves the server's clock forward
// (root key only), so end-to-end tests can expire tokens without sleeping. Registered only when
// the environment has IHUB_TEST_CLOCK=1; a production server never has the route (404).
//
// Thread-safety: Clock::TEST_Advance is atomic; the handler runs on any io thread.
#pragma once

namespace ihub {

class Router;

// True when env IHUB_TEST_CLOCK is "1".
bool TestClockEnabled();

// Adds the route when TestClockEnabled(); otherwise does nothing. REQUIRES: before the server
// starts.
void RegisterTestClockRoutes(Router& router);

}  // namespace ihub
