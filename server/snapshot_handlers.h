// Snapshot endpoints of the operator API (API.md §6, API-DECISIONS item 102):
// POST /admin/v1/snapshots (201 once the file is durable) and
// GET /admin/v1/snapshots. Root key only.
//
// Thread-safety: handlers run on io threads; the POST completion runs on the
// snapshot thread and only hands the response to the session.
#pragma once

namespace ihub {

class Router;

void RegisterSnapshotRoutes(Router& router);

}  // namespace ihub
