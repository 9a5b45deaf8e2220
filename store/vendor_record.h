// VendorRecord: one vendor of the OEM partner API's catalog (seed 002, API-DECISIONS item 83).
// Vendors are global (not per org), managed by the operator (`/admin/v1/vendors`) and listed to
// partners (`POST /api/oem-api/vendor`). A vendor's credential template is the exact set of keys
// an OEM integration's credentials must carry (item 74); template values are always "".
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "store/records.h"
#include "store/sharded_map.h"

namespace ihub {

struct VendorRecord {
  static constexpr std::string_view kKind = "vendors";
  using Key = std::string;  // 8 decimal digits, like the seed's "43211235"
  using KeyHash = DefaultShardHash;
  using Indexes = IndexList<>;

  std::string id;
  std::string name;
  std::string integration_type;              // free string, 1-64 characters
  bool active = true;                        // integrationStatus "active" | "inactive"
  std::vector<std::string> template_keys;    // in the order the operator gave them
  int64_t created_at_ms = 0;

  const Key& key() const { return id; }
  std::string_view list_group() const { return {}; }  // one global list

  template <typename Archive>
  void serialize(Archive& ar) {
    ar(id, name, integration_type, active, template_keys, created_at_ms);
  }
  bool operator==(const VendorRecord&) const = default;
};

}  // namespace ihub
