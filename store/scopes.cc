#include "store/scopes.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <unordered_map>

namespace ihub {
namespace {

constexpr std::array<CatalogEntity, 3> kDefaultCatalog{{
    {1, "TargetGroups", ".*v3/targetGroups.*"},
    {2, "All", ".*"},
    {3, "Transaction", ".*v1\\.1/transaction.*"},
}};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string FieldName(size_t scope, size_t resource) {
  return "scopes[" + std::to_string(scope) + "].resources[" + std::to_string(resource) + "]";
}

// A scope list as a map key: every field length-prefixed, so distinct lists never collide.
std::string CanonicalKey(std::span<const ScopeEntry> entries) {
  std::string key;
  auto put = [&key](std::string_view text) {
    key += std::to_string(text.size());
    key.push_back(':');
    key.append(text);
  };
  for (const ScopeEntry& e : entries) {
    put(std::to_string(e.entity_id));
    put(std::to_string(static_cast<int>(e.permission)));
    put(std::to_string(e.resources.size()));
    for (const std::string& r : e.resources) put(r);
  }
  return key;
}

// Compiled scope lists by their canonical key, held weakly: an entry lives as long as some
// client's record holds it. Most clients of an org share a few scope lists, so identical lists
// share one compiled object: compiled once, kept once, and on every validation one set of cache
// lines for all of those clients instead of one per client. Entries whose object is gone are
// swept when the map has doubled since the last sweep.
class CompiledScopesCache {
 public:
  std::shared_ptr<const CompiledScopes> Find(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second.lock();
  }

  // Keeps `compiled` under `key` unless a live one is there already; returns the one kept.
  std::shared_ptr<const CompiledScopes> Insert(const std::string& key,
                                               std::shared_ptr<const CompiledScopes> compiled) {
    std::lock_guard lock(mu_);
    std::weak_ptr<const CompiledScopes>& slot = map_[key];
    if (auto live = slot.lock()) return live;  // another thread compiled the same list first
    slot = compiled;
    if (map_.size() >= sweep_at_) {
      std::erase_if(map_, [](const auto& entry) { return entry.second.expired(); });
      sweep_at_ = std::max<size_t>(kMinSweep, 2 * map_.size());
    }
    return compiled;
  }

 private:
  static constexpr size_t kMinSweep = 1024;
  std::mutex mu_;
  std::unordered_map<std::string, std::weak_ptr<const CompiledScopes>> map_;  // GUARDED_BY(mu_)
  size_t sweep_at_ = kMinSweep;                                              // GUARDED_BY(mu_)
};

CompiledScopesCache& TheCompiledScopesCache() {
  static auto* cache = new CompiledScopesCache();  // never destroyed: records outlive statics
  return *cache;
}

}  // namespace

bool ParseScopePermission(std::string_view text, ScopePermission* out) {
  if (text == "READ") {
    *out = ScopePermission::kRead;
  } else if (text == "WRITE") {
    *out = ScopePermission::kWrite;
  } else if (text == "READWRITE") {
    *out = ScopePermission::kReadWrite;
  } else {
    return false;
  }
  return true;
}

std::string_view ScopePermissionName(ScopePermission permission) {
  switch (permission) {
    case ScopePermission::kRead:
      return "READ";
    case ScopePermission::kWrite:
      return "WRITE";
    case ScopePermission::kReadWrite:
      return "READWRITE";
  }
  return "READ";
}

bool ClassifyMethod(std::string_view method, MethodClass* out) {
  static constexpr std::array<std::pair<std::string_view, MethodClass>, 7> kMethods{{
      {"GET", MethodClass::kRead},
      {"HEAD", MethodClass::kRead},
      {"POST", MethodClass::kWrite},
      {"PUT", MethodClass::kWrite},
      {"PATCH", MethodClass::kWrite},
      {"DELETE", MethodClass::kWrite},
      {"OPTIONS", MethodClass::kNone},
  }};
  for (const auto& [name, cls] : kMethods) {
    if (EqualsIgnoreCase(method, name)) {
      *out = cls;
      return true;
    }
  }
  return false;
}

std::span<const CatalogEntity> DefaultCatalog() { return kDefaultCatalog; }

int CatalogIndexOf(int64_t entity_id) {
  for (size_t i = 0; i < kDefaultCatalog.size(); ++i) {
    if (kDefaultCatalog[i].id == entity_id) return static_cast<int>(i);
  }
  return -1;
}

int CatalogIndexOfName(std::string_view name) {
  for (size_t i = 0; i < kDefaultCatalog.size(); ++i) {
    if (EqualsIgnoreCase(kDefaultCatalog[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

std::string EntityMaskToScopeString(uint32_t mask) {
  std::string out;
  for (size_t i = 0; i < kDefaultCatalog.size(); ++i) {
    if ((mask & (1u << i)) == 0) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(kDefaultCatalog[i].name);
  }
  return out;
}

// One scope entry, compiled. `matches_everything` short-cuts the common ".*"
// so the All entity costs no regex run on the hot path.
struct CompiledScopes::Compiled {
  uint32_t entity_bit = 0;
  uint8_t method_bits = 0;  // MethodClass bits this scope grants
  bool matches_everything = false;
  std::unique_ptr<re2::RE2::Set> patterns;
};

CompiledScopes::~CompiledScopes() = default;

Result<std::shared_ptr<const CompiledScopes>> CompiledScopes::Compile(
    std::span<const ScopeEntry> entries) {
  const std::string key = CanonicalKey(entries);
  if (auto shared = TheCompiledScopesCache().Find(key)) return shared;
  auto compiled = CompileUncached(entries);  // outside the cache's lock: RE2 may take a while
  if (!compiled.ok()) return compiled.status();
  return TheCompiledScopesCache().Insert(key, std::move(compiled).value());
}

Result<std::shared_ptr<const CompiledScopes>> CompiledScopes::CompileUncached(
    std::span<const ScopeEntry> entries) {
  if (entries.size() > kMaxScopesPerClient) {
    return Status::InvalidArgument("scopes: at most " + std::to_string(kMaxScopesPerClient) +
                                   " scopes");
  }
  std::shared_ptr<CompiledScopes> compiled(new CompiledScopes());
  compiled->scopes_.reserve(entries.size());
  re2::RE2::Options options;
  options.set_log_errors(false);
  for (size_t s = 0; s < entries.size(); ++s) {
    const ScopeEntry& entry = entries[s];
    const int index = CatalogIndexOf(entry.entity_id);
    if (index < 0) {
      return Status::InvalidArgument("scopes[" + std::to_string(s) +
                                     "].entityId: not in the org's scope catalog");
    }
    if (entry.resources.size() > kMaxPatternsPerScope) {
      return Status::InvalidArgument("scopes[" + std::to_string(s) + "].resources: at most " +
                                     std::to_string(kMaxPatternsPerScope) + " patterns");
    }
    Compiled scope;
    scope.entity_bit = 1u << index;
    scope.method_bits = static_cast<uint8_t>(entry.permission);
    std::vector<std::string_view> patterns(entry.resources.begin(), entry.resources.end());
    if (patterns.empty()) patterns.push_back(kDefaultCatalog[index].default_pattern);
    scope.matches_everything =
        std::any_of(patterns.begin(), patterns.end(), [](std::string_view p) { return p == ".*"; });
    scope.patterns = std::make_unique<re2::RE2::Set>(options, re2::RE2::ANCHOR_BOTH);
    for (size_t r = 0; r < patterns.size(); ++r) {
      if (patterns[r].size() > kMaxPatternLength) {
        return Status::InvalidArgument(FieldName(s, r) + ": longer than " +
                                       std::to_string(kMaxPatternLength) + " characters");
      }
      std::string error;
      if (scope.patterns->Add(re2::StringPiece(patterns[r].data(), patterns[r].size()), &error) <
          0) {
        return Status::InvalidArgument(FieldName(s, r) + ": not a valid regular expression");
      }
    }
    if (!scope.patterns->Compile()) {
      return Status::InvalidArgument("scopes[" + std::to_string(s) +
                                     "].resources: patterns too large to compile");
    }
    compiled->entity_mask_ |= scope.entity_bit;
    compiled->scopes_.push_back(std::move(scope));
  }
  return std::shared_ptr<const CompiledScopes>(std::move(compiled));
}

bool CompiledScopes::Allows(uint32_t entity_mask, MethodClass method_class,
                            std::string_view path) const {
  const auto wanted = static_cast<uint8_t>(method_class);
  if (wanted == 0) return false;
  for (const Compiled& scope : scopes_) {
    if ((scope.entity_bit & entity_mask) == 0 || (scope.method_bits & wanted) == 0) continue;
    if (scope.matches_everything ||
        scope.patterns->Match(re2::StringPiece(path.data(), path.size()), nullptr)) {
      return true;
    }
  }
  return false;
}

}  // namespace ihub
