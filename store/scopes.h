// Scopes: what an API client may do, and the compiled form the hot path asks.
//
// A client holds ScopeEntry values as the Capillary seed describes them
// ({entityId, permission, resources}). Each org has a scope catalog naming the
// entities (API-DECISIONS items 31, 54: every org has the default catalog).
// CompiledScopes turns a client's entries into RE2 sets once per client
// change, and clients with identical entries share one compiled object;
// Allows() is then a pure, lock-free read that any thread may call.
//
// Thread-safety: CatalogEntity data is immutable; a CompiledScopes is
// immutable after Compile() and safe to share across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"

namespace re2 {
class RE2;
}

namespace ihub {

enum class ScopePermission : uint8_t { kRead = 1, kWrite = 2, kReadWrite = 3 };

// Parses "READ" | "WRITE" | "READWRITE" (exact case, as the seed writes them).
bool ParseScopePermission(std::string_view text, ScopePermission* out);
std::string_view ScopePermissionName(ScopePermission permission);

// What a request method asks for: READ = GET/HEAD, WRITE = POST/PUT/PATCH/DELETE
// (API.md §3). OPTIONS is known but neither, so no scope grants it.
enum class MethodClass : uint8_t { kNone = 0, kRead = 1, kWrite = 2 };
// Case-insensitive. Returns false for a method outside the seven above.
bool ClassifyMethod(std::string_view method, MethodClass* out);

struct ScopeEntry {
  int64_t entity_id = 0;
  ScopePermission permission = ScopePermission::kRead;
  std::vector<std::string> resources;  // regular expressions over the whole path

  template <class Archive>
  void serialize(Archive& ar) {
    ar(entity_id, permission, resources);
  }
  bool operator==(const ScopeEntry&) const = default;
};

struct CatalogEntity {
  int64_t id;
  std::string_view name;             // as in GET /v3/integrations/scopes
  std::string_view default_pattern;  // used when a scope's resources are empty
};

// The default catalog: 1 TargetGroups, 2 All, 3 Transaction (API-DECISIONS item 31).
std::span<const CatalogEntity> DefaultCatalog();
// Index of entity_id in the catalog (its bit in a token's entity mask), or -1.
int CatalogIndexOf(int64_t entity_id);
// Index of an entity name, matched case-insensitively (token `scope` strings), or -1.
int CatalogIndexOfName(std::string_view name);
// The space-separated entity names of a mask, in catalog order ("TargetGroups All").
std::string EntityMaskToScopeString(uint32_t mask);

// Limits on user-given patterns (API-DECISIONS item 46).
inline constexpr size_t kMaxPatternLength = 512;
inline constexpr size_t kMaxPatternsPerScope = 50;
inline constexpr size_t kMaxScopesPerClient = 32;

class CompiledScopes {
 public:
  // Validates and compiles entries. Returns InvalidArgument naming the field
  // (e.g. "scopes[1].resources[0]") for an unknown entity, a pattern that RE2
  // rejects, one over kMaxPatternLength, too many patterns, or a program over
  // RE2's memory budget. Identical lists get the same object (a process-wide cache holding
  // them weakly): it is immutable, and matching on it is thread-safe.
  static Result<std::shared_ptr<const CompiledScopes>> Compile(std::span<const ScopeEntry> entries);

  // True when a scope whose entity is in entity_mask grants `method_class` on
  // `path` (the path without its query string). Never allocates.
  bool Allows(uint32_t entity_mask, MethodClass method_class, std::string_view path) const;

  // Bit mask of the catalog entities the client holds any scope for.
  uint32_t entity_mask() const { return entity_mask_; }

  ~CompiledScopes();
  CompiledScopes(const CompiledScopes&) = delete;
  CompiledScopes& operator=(const CompiledScopes&) = delete;

 private:
  struct Compiled;
  CompiledScopes() = default;
  static Result<std::shared_ptr<const CompiledScopes>> CompileUncached(
      std::span<const ScopeEntry> entries);
  std::vector<Compiled> scopes_;
  uint32_t entity_mask_ = 0;
};

}  // namespace ihub
