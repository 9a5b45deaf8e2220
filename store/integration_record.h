// IntegrationRecord: an org's integration, whichever API made it (issue 5 part 4). One record
// kind serves the three integration families; they differ in their codecs and envelopes
// (server/<family>_handlers.cc), and share their rules (store/integration_rules.h).
//
//   family    | made by                              | type holds          | reference holds
//   kTyped    | Solvimon  /v1/integrations           | PAYMENT_GATEWAY, …  | `reference` (unique in the org)
//   kVendor   | OEM       /api/oem-api/integration   | the vendor id       | "" (several per vendor, item 79)
//   kManaged  | Centrapay /api/managed-integrations  | kete-enrolment, …   | `externalId` (unique per org+type)
//
// Fields every family uses: id, org_id, family, type, status, the audit pair (created/updated at
// and by CRN). Optional by family: reference, name, description, active, `config` (non-secret
// configuration: named, minified JSON values such as Solvimon's `payment_gateway` and
// `linked_resources_configurations` or Centrapay's `params`, written by the encoders with
// JsonWriter::FieldRaw and never re-parsed on a read), the secrets, and the Centrapay invitation
// and claim.
//
// Secrets (Solvimon `authentication`, OEM `integrationCredentials`) exist in this record only
// sealed: `sealed_secrets` is CryptoBox::Seal(minified JSON object, aad = id), so neither a
// snapshot, nor the journal, nor a heap dump of the store holds them in plain text, and a sealed
// value copied into another record does not open. `secrets_view` is what answers may show of them
// (every string leaf replaced by "********" for Solvimon, by "" for OEM; keys kept), computed when
// written, so a read never decrypts.
//
// Indexes: (org, family, scope, reference) -> record for uniqueness and Centrapay's upsert, and
// invitation code -> record for claiming. A record without a reference or a code is indexed under
// "#<id>", which no real key can equal (org ids and codes are base62; see ReferenceIndexKey).
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

// Which API an integration belongs to. Stored as its number: append only.
enum class IntegrationFamily : uint8_t { kTyped = 0, kVendor = 1, kManaged = 2 };

// Life-cycle states shared by the families (names per family: integration_rules.h).
// Stored as its number: append only.
enum class IntegrationStatus : uint8_t { kActive = 0, kInactive = 1, kPending = 2, kArchived = 3 };

// One named piece of non-secret configuration: `json` is one minified JSON value.
struct ConfigEntry {
  std::string key;
  std::string json;

  template <typename Archive>
  void serialize(Archive& ar) {
    ar(key, json);
  }
  bool operator==(const ConfigEntry&) const = default;
};

// The Centrapay invitation of a managed integration (seed 000, items 93-96); empty otherwise.
struct InvitationInfo {
  std::string id;
  std::string code;  // the claim credential (item 94); unique across orgs
  std::string url;
  int64_t expires_at_ms = 0;
  std::string claimed_by_account_id;
  std::string claimed_by;  // CRN
  int64_t claimed_at_ms = 0;

  template <typename Archive>
  void serialize(Archive& ar) {
    ar(id, code, url, expires_at_ms, claimed_by_account_id, claimed_by, claimed_at_ms);
  }
  bool operator==(const InvitationInfo&) const = default;
};

struct IntegrationRecord;

// The listing group of an org's integrations of one family: "<orgId>/<family number>".
inline std::string IntegrationListGroup(std::string_view org_id, IntegrationFamily family) {
  std::string group(org_id);
  group.push_back('/');
  group.push_back(static_cast<char>('0' + static_cast<int>(family)));
  return group;
}

// (org, family, scope, reference) -> record; "#<id>" when the record has no reference.
struct IntegrationByReference {
  using Key = std::string;
  using Hash = DefaultShardHash;
  static std::string KeyOf(const IntegrationRecord& r);
};
// Invitation code -> record; "#<id>" when the record has no invitation.
struct IntegrationByInvitationCode {
  using Key = std::string;
  // A type of its own: Table finds an index's map by type, so two string indexes of one kind
  // need distinct hash types.
  struct Hash : DefaultShardHash {};
  static std::string KeyOf(const IntegrationRecord& r);
};

struct IntegrationRecord {
  static constexpr std::string_view kKind = "integrations";
  using Key = std::string;
  using KeyHash = DefaultShardHash;
  using Indexes = IndexList<IntegrationByReference, IntegrationByInvitationCode>;

  std::string id;
  std::string org_id;
  IntegrationFamily family = IntegrationFamily::kTyped;
  std::string type;
  std::string reference;
  std::string name;
  std::string description;
  IntegrationStatus status = IntegrationStatus::kActive;
  bool active = true;
  std::vector<ConfigEntry> config;
  std::string sealed_secrets;  // empty: no secrets (Solvimon `authentication: null`)
  std::string secrets_view;    // minified JSON shown in answers; empty with sealed_secrets
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::string created_by;  // CRNs (API-DECISIONS item 99)
  std::string updated_by;
  InvitationInfo invitation;

  const Key& key() const { return id; }
  // Listed per org AND family, so one API's list never walks another API's integrations.
  std::string list_group() const { return IntegrationListGroup(org_id, family); }

  // The config value named `key` (minified JSON), or nullptr.
  const std::string* FindConfig(std::string_view key) const {
    for (const ConfigEntry& e : config) {
      if (e.key == key) return &e.json;
    }
    return nullptr;
  }

  template <typename Archive>
  void save(Archive& ar) const {
    ar(id, org_id, static_cast<uint8_t>(family), type, reference, name, description,
       static_cast<uint8_t>(status), active, config, sealed_secrets, secrets_view, created_at_ms,
       updated_at_ms, created_by, updated_by, invitation);
  }
  template <typename Archive>
  void load(Archive& ar) {
    uint8_t family_number = 0;
    uint8_t status_number = 0;
    ar(id, org_id, family_number, type, reference, name, description, status_number, active,
       config, sealed_secrets, secrets_view, created_at_ms, updated_at_ms, created_by, updated_by,
       invitation);
    family = static_cast<IntegrationFamily>(family_number);
    status = static_cast<IntegrationStatus>(status_number);
  }
  bool operator==(const IntegrationRecord&) const = default;
};

// The uniqueness scope of a reference: Solvimon references are unique in the org whatever the
// type (API.md §4); Centrapay externalIds are unique per type (upsert on type + externalId).
inline std::string_view ReferenceScope(IntegrationFamily family, std::string_view type) {
  return family == IntegrationFamily::kManaged ? type : std::string_view();
}

// "<org>:<family>:<scope>:<reference>". Org ids are base62 and the family one digit, so the
// prefix up to the second ':' is unambiguous; scopes (managed type names) hold no ':'.
inline std::string ReferenceIndexKey(std::string_view org_id, IntegrationFamily family,
                                     std::string_view type, std::string_view reference) {
  std::string key;
  const std::string_view scope = ReferenceScope(family, type);
  key.reserve(org_id.size() + scope.size() + reference.size() + 5);
  key.append(org_id).push_back(':');
  key.push_back(static_cast<char>('0' + static_cast<int>(family)));
  key.push_back(':');
  key.append(scope).push_back(':');
  key.append(reference);
  return key;
}

inline std::string IntegrationByReference::KeyOf(const IntegrationRecord& r) {
  if (r.reference.empty()) return "#" + r.id;
  return ReferenceIndexKey(r.org_id, r.family, r.type, r.reference);
}
inline std::string IntegrationByInvitationCode::KeyOf(const IntegrationRecord& r) {
  if (r.invitation.code.empty()) return "#" + r.id;
  return r.invitation.code;
}

}  // namespace ihub
