// ClientRecord: a Capillary v3 API client (seed 001): an org's OAuth client with its scopes, the
// SHA-256 of its secret (and of the previous secret during a rotation's grace period), and the
// attribution of who created and last changed it (API-DECISIONS items 47, 56-58).
//
// The compiled form of the scopes (`compiled`) is derived data: it is never serialized, and is
// rebuilt with CompiledScopes::Compile whenever a record is loaded from the journal or a snapshot,
// so the hot path (token validation, authorize) never compiles a pattern.
//
// In memory the client table is keyed by ClientMapKey, the client key held inline, so that a
// lookup (every token validation makes one) compares against bytes in the map's own slot instead
// of following a std::string to a heap block: one cache miss less per validation; the org id is
// held inline for the same reason. The fields a validation reads (is_valid, compiled, id, org_id)
// come first so that they share the slot's first cache lines with the key. Neither changes the
// serialized form, whose field order is save()'s.
//
// Thread-safety: plain values; `compiled` points to an immutable CompiledScopes that copies of the
// record share and that any thread may read.
#pragma once

#include <array>
#include <atomic>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <cereal/details/helpers.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "store/inline_string.h"
#include "store/records.h"
#include "store/scopes.h"
#include "store/secrets.h"
#include "store/sharded_map.h"

namespace ihub {

// Who created or last changed a client (item 57): for an API key its id, CRN and name with type
// "API_KEY"; for the root key id "root" and type "ROOT_KEY"; for a Bearer client its numeric id,
// key and type "API_CLIENT".
struct Attribution {
  std::string id;
  std::string code;
  std::string name;
  std::string type;

  template <typename Archive>
  void serialize(Archive& ar) {
    ar(id, code, name, type);
  }
  bool operator==(const Attribution&) const = default;
};

// The client table's in-memory map key: the client key held inline (Capillary keys have 25
// bytes; 31 with the length byte is the size of a std::string). Equal to, and hashed like
// (DefaultShardHash reads view()), the std::string_view of its bytes, so the table is probed with
// a std::string or std::string_view.
using ClientMapKey = InlineString<31>;

// Text derived from a record and kept with it for the readers, e.g. the client's encoded JSON
// answer: set by the first reader that needs it, read by the rest. A copy starts empty, and the
// store changes a record only by putting a new copy, so a changed record is never read with the
// text of its old self. Never serialized.
//
// The text is one heap block (its length, then its bytes) owned by this object, not a
// shared_ptr: a reader runs under the record's shard lock, and the record is replaced or
// destroyed only under the exclusive lock, so no reader needs a reference count. That keeps a
// client lookup to one cache miss for the text (no control block) and no atomic writes.
//
// Thread-safety: Get and SetOnce may be called by any number of readers at once; the first
// SetOnce wins and the others get its text. A returned view is valid while the caller holds the
// shard lock under which it read the record.
class DerivedText {
 public:
  DerivedText() = default;
  DerivedText(const DerivedText&) noexcept {}
  DerivedText& operator=(const DerivedText&) noexcept {
    Reset();
    return *this;
  }
  ~DerivedText() { Reset(); }

  std::optional<std::string_view> Get() const {
    const char* block = block_.load(std::memory_order_acquire);
    if (block == nullptr) return std::nullopt;
    return View(block);
  }
  // Keeps a copy of `text` unless a text is kept already; returns the kept text.
  std::string_view SetOnce(std::string_view text) const {
    const uint32_t size = static_cast<uint32_t>(text.size());
    char* fresh = new char[sizeof size + size];
    std::memcpy(fresh, &size, sizeof size);
    std::memcpy(fresh + sizeof size, text.data(), size);
    char* expected = nullptr;
    if (!block_.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel,
                                        std::memory_order_acquire)) {
      delete[] fresh;  // another reader set it first
      return View(expected);
    }
    return View(fresh);
  }

 private:
  static std::string_view View(const char* block) {
    uint32_t size = 0;
    std::memcpy(&size, block, sizeof size);
    return std::string_view(block + sizeof size, size);
  }
  void Reset() { delete[] block_.exchange(nullptr, std::memory_order_acq_rel); }

  mutable std::atomic<char*> block_{nullptr};
};

struct ClientRecord {
  static constexpr std::string_view kKind = "clients";
  using Key = std::string;  // the 25-character clientKey (journal, listing order, cursors)
  using MapKey = ClientMapKey;  // the primary map's key (table.h)
  using KeyHash = DefaultShardHash;
  using Indexes = IndexList<>;

  // --- Read by every token validation: kept next to the map key (see the header comment). ---
  bool is_valid = true;  // false after DELETE (soft delete, item 56); never true again
  // `scopes` compiled; NOT serialized. Null only if a loaded record's scopes no longer compile
  // (then the client is granted nothing).
  std::shared_ptr<const CompiledScopes> compiled;
  // Server-wide sequence from 1 (item 58). Clients are never erased (DELETE is a soft delete,
  // item 56), so the next id is the number of clients + 1, read inside the creating write body.
  int64_t id = 0;
  // Inline: a validation compares it with the caller's org and writes it, and as a std::string
  // (ihub's org ids have 22 characters) it would be one more cache miss in a heap block.
  InlineString<31> org_id;
  int64_t expiration_token_time = 0;  // seconds a token of this client lives
  std::string client_key;
  // --- The rest. ---
  std::string name;
  std::string description;
  int64_t default_till_id = 0;
  std::vector<ScopeEntry> scopes;
  Digest secret_hash{};  // Sha256(secret); the secret itself is never stored
  // The secret replaced by the last rotation stays usable until this instant (item 47).
  Digest previous_secret_hash{};
  int64_t previous_secret_valid_until_ms = 0;
  int64_t created_on_ms = 0;
  int64_t last_updated_on_ms = 0;
  Attribution created_by;
  Attribution last_updated_by;
  // The client's JSON object as GET and list answer it (server/capillary_envelope.h).
  DerivedText encoded;

  const Key& key() const { return client_key; }
  std::string_view list_group() const { return org_id; }

  // True when `presented_hash` (Sha256 of a presented secret) is the current secret's, or the
  // previous secret's while now_ms is before its grace deadline. Both digests are always compared,
  // in constant time, so the timing says nothing about which one matched.
  bool SecretMatches(const Digest& presented_hash, int64_t now_ms) const {
    const bool current = ConstantTimeEquals(presented_hash, secret_hash);
    const bool previous = ConstantTimeEquals(presented_hash, previous_secret_hash);
    return current | (previous & (now_ms < previous_secret_valid_until_ms));
  }

  // Recompiles `compiled` from `scopes`. Returns the compile error (naming the field) if any.
  Status Recompile() {
    auto result = CompiledScopes::Compile(std::span<const ScopeEntry>(scopes));
    if (!result.ok()) {
      compiled = nullptr;
      return result.status();
    }
    compiled = std::move(result).value();
    return Status::Ok();
  }

  template <typename Archive>
  void save(Archive& ar) const {
    ar(id, org_id, client_key, name, description, expiration_token_time, default_till_id,
       is_valid, scopes, secret_hash, previous_secret_hash, previous_secret_valid_until_ms,
       created_on_ms, last_updated_on_ms, created_by, last_updated_by);
  }
  template <typename Archive>
  void load(Archive& ar) {
    ar(id, org_id, client_key, name, description, expiration_token_time, default_till_id,
       is_valid, scopes, secret_hash, previous_secret_hash, previous_secret_valid_until_ms,
       created_on_ms, last_updated_on_ms, created_by, last_updated_by);
    // The in-memory map key holds at most ClientMapKey::kCapacity bytes; a longer key can only
    // come from a damaged file, which then does not parse (the loaders turn this into a Status).
    if (!ClientMapKey::Fits(client_key)) {
      throw cereal::Exception("client key longer than " + std::to_string(ClientMapKey::kCapacity));
    }
    // Scopes were validated when written; a failure here would mean RE2 changed its limits. The
    // client then grants nothing rather than the load failing.
    (void)Recompile();
  }
};

}  // namespace ihub
