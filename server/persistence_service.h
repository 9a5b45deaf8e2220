// ihubd's persistence wiring: builds the store's durability from the config
// and connects it to Services (store journal sink, when_durable, snapshots,
// encryption key, readiness).
//
// Thread-safety: Open and Close run on main's thread; the restore runs on a
// thread of its own and flips services.ready when it ends.
#pragma once

#include <functional>

namespace ihub {

struct Config;
struct Services;

// Loads the encryption key (logging its warnings), checks the data dir, and
// opens persistence; creates the store and clock first if nobody has. Points
// services.persistence, services.crypto and services.when_durable at them.
// Returns false after logging why (the caller exits 1).
bool OpenPersistence(const Config& config, Services& services);

// Restores the snapshot and journal on a background thread, then sets
// services.ready. If restore fails it logs the reason and calls stop(): ihub
// never serves an empty store over data it could not read.
void StartRestore(Services& services, std::function<void()> stop);

// After the server stopped: waits for the restore, takes the final snapshot
// and closes the journal. Returns the process exit code: 0; 3 when restore
// failed; 1 when the final snapshot or the journal failed.
int ClosePersistence(Services& services);

}  // namespace ihub
