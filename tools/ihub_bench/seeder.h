// Seeder: creates ihub-bench's dataset through ihub's own API, as fast as the server allows.
//
// Four phases, each finished before the next because each needs the previous one's answers:
// orgs (POST /admin/v1/orgs, root key), one API key per org (POST /admin/v1/orgs/{id}/api-keys),
// API clients spread round-robin over the orgs (POST /v3/integrations/clients with the org's
// key), and access tokens spread round-robin over the clients (POST /oauth/token, client
// credentials with HTTP Basic). Every phase runs over options.connections keep-alive
// connections on options.threads threads with options.seed_pipeline requests in flight per
// connection, and prints its progress on stderr once a second. Requests lost with a
// connection are sent again; an answer that is not 2xx counts as failed and its item is
// skipped. Nothing secret is ever printed.
//
// Thread-safety: SeedDataset is called from one thread; it owns every thread it starts.
#pragma once

#include <netinet/in.h>

#include <string>

#include "store/status.h"
#include "tools/ihub_bench/dataset.h"
#include "tools/ihub_bench/options.h"

namespace ihub::bench {

// Seeds options.orgs orgs, options.clients clients and options.tokens tokens. Fails when the
// root key is refused, when no org or client could be created, or when the server is not
// reachable; otherwise returns what was created (fewer items when some answers failed).
// REQUIRES: options.root_key is set.
Result<Dataset> SeedDataset(const Options& options, const sockaddr_in& addr,
                            const std::string& host_header);

// Issues `count` more tokens spread round-robin over the clients of `*data` (continuing where
// its tokens end) and appends them to it. Fails as SeedDataset does.
// REQUIRES: data->clients() > 0 when count > 0.
Status AddTokens(const Options& options, const sockaddr_in& addr, const std::string& host_header,
                 int64_t count, Dataset* data);

}  // namespace ihub::bench
