#include "store/integration_rules.h"

#include <array>
#include <unordered_map>
#include <utility>

#include "codec/json_raw.h"
#include "codec/json_writer.h"
#include "store/secrets.h"

namespace ihub {
namespace {

constexpr std::array<std::string_view, 4> kSolvimonNames = {"ACTIVE", "INACTIVE", "", ""};
constexpr std::array<std::string_view, 4> kLowerNames = {"active", "inactive", "pending",
                                                         "archived"};
constexpr size_t kHexIdLength = 24;
constexpr size_t kVendorIdDigits = 8;

const std::array<std::string_view, 4>& NamesOf(IntegrationFamily family) {
  return family == IntegrationFamily::kTyped ? kSolvimonNames : kLowerNames;
}

std::string RandomHex(size_t n) {
  std::string bytes(n / 2, '\0');
  RandomBytes(std::span<uint8_t>(reinterpret_cast<uint8_t*>(bytes.data()), bytes.size()));
  return HexEncode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            bytes.size()));
}

// Appends `items` as `"a", "b"` for a message (template keys only: never values).
void AppendQuotedList(std::string& out, const std::vector<std::string_view>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out.append(", ");
    out.push_back('"');
    out.append(items[i]);
    out.push_back('"');
  }
}

bool Contains(const std::vector<std::string>& keys, std::string_view key) {
  for (const std::string& k : keys) {
    if (k == key) return true;
  }
  return false;
}

}  // namespace

std::string_view IntegrationStatusName(IntegrationFamily family, IntegrationStatus status) {
  const auto index = static_cast<size_t>(status);
  return index < 4 ? NamesOf(family)[index] : std::string_view();
}

std::optional<IntegrationStatus> IntegrationStatusFromName(IntegrationFamily family,
                                                           std::string_view name) {
  if (name.empty()) return std::nullopt;
  const auto& names = NamesOf(family);
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<IntegrationStatus>(i);
  }
  return std::nullopt;
}

Status CheckStatusTransition(IntegrationStatus from, IntegrationStatus to) {
  const bool allowed = from == to ||
                       (from != IntegrationStatus::kArchived && to != IntegrationStatus::kPending);
  if (allowed) return Status::Ok();
  std::string message = "an integration cannot move from ";
  message.append(IntegrationStatusName(IntegrationFamily::kManaged, from));
  message.append(" to ");
  message.append(IntegrationStatusName(IntegrationFamily::kManaged, to));
  return Status::Conflict(std::move(message));
}

std::string NewIntegrationId(IntegrationFamily family) {
  if (family == IntegrationFamily::kTyped) return "intg_" + RandomBase62(kIdLength);
  return RandomHex(kHexIdLength);
}

std::string NewVendorId() {
  std::array<uint8_t, kVendorIdDigits> bytes{};
  std::string id(kVendorIdDigits, '0');
  // Rejection sampling keeps the digits uniform (250 = 25 * 10).
  for (size_t i = 0; i < kVendorIdDigits;) {
    RandomBytes(bytes);
    for (uint8_t b : bytes) {
      if (b < 250 && i < kVendorIdDigits) id[i++] = static_cast<char>('0' + b % 10);
    }
  }
  return id;
}

std::string NewOemToken() {
  return std::string(kOemTokenPrefix) + RandomBase62(kOemTokenRandomLength);
}

Status SetIntegrationSecrets(const CryptoBox& crypto, std::string_view secrets_json,
                             SecretView view, IntegrationRecord& record) {
  if (secrets_json.empty()) {
    record.sealed_secrets.clear();
    record.secrets_view.clear();
    return Status::Ok();
  }
  std::string shown;
  const std::string_view placeholder = view == SecretView::kMasked ? kSecretMask : "";
  Status st = RewriteStringLeaves(
      secrets_json,
      [&](std::string_view, std::string_view, JsonWriter& w) { w.String(placeholder); }, shown);
  if (!st.ok()) return Status::InvalidArgument("secrets are not valid JSON");
  auto sealed = crypto.Seal(secrets_json, record.id);
  if (!sealed.ok()) return Status::Internal("cannot encrypt secrets");
  record.sealed_secrets = std::move(sealed).value();
  record.secrets_view = std::move(shown);
  return Status::Ok();
}

Result<std::string> OpenIntegrationSecrets(const CryptoBox& crypto,
                                           const IntegrationRecord& record) {
  if (record.sealed_secrets.empty()) return std::string();
  auto plain = crypto.Open(record.sealed_secrets, record.id);
  if (!plain.ok()) return Status::Internal("stored secrets cannot be decrypted");
  return std::move(plain).value();
}

Result<std::string> KeepMaskedSecrets(std::string_view given, std::string_view stored) {
  std::unordered_map<std::string, std::string> old_leaves;
  if (!stored.empty()) {
    std::string discard;
    Status st = RewriteStringLeaves(
        stored,
        [&](std::string_view path, std::string_view value, JsonWriter& w) {
          old_leaves.emplace(std::string(path), std::string(value));
          w.Null();
        },
        discard);
    if (!st.ok()) return Status::InvalidArgument("stored secrets are not valid JSON");
  }
  std::string out;
  Status st = RewriteStringLeaves(
      given,
      [&](std::string_view path, std::string_view value, JsonWriter& w) {
        if (value == kSecretMask) {
          if (auto it = old_leaves.find(std::string(path)); it != old_leaves.end()) {
            w.String(it->second);
            return;
          }
        }
        w.String(value);
      },
      out);
  if (!st.ok()) return Status::InvalidArgument("secrets are not valid JSON");
  return out;
}

Status MatchCredentialTemplate(const std::vector<std::string>& template_keys,
                               const std::vector<std::string>& given, std::string_view field,
                               FieldErrors& errors) {
  std::vector<std::string_view> missing;
  std::vector<std::string_view> extra;
  for (const std::string& k : template_keys) {
    if (!Contains(given, k)) missing.push_back(k);
  }
  for (const std::string& k : given) {
    if (!Contains(template_keys, k)) extra.push_back(k);
  }
  if (missing.empty() && extra.empty()) return Status::Ok();
  const std::string prefix = std::string(field) + ".";
  for (std::string_view k : missing) {
    errors.Add(prefix + std::string(k), FieldErrorKind::kMissing,
               prefix + std::string(k) + " is required by the vendor's credential template");
  }
  for (std::string_view k : extra) {
    errors.Add(prefix + std::string(k), FieldErrorKind::kUnknownEnum,
               prefix + std::string(k) + " is not in the vendor's credential template");
  }
  std::string message = std::string(field) + " must have exactly the keys of the vendor's template";
  if (!missing.empty()) {
    message.append("; missing: ");
    AppendQuotedList(message, missing);
  }
  if (!extra.empty()) {
    message.append("; not in the template: ");
    AppendQuotedList(message, extra);
  }
  return Status::InvalidArgument(std::move(message));
}

void SetIntegrationConfig(IntegrationRecord& record, std::string_view key, std::string json) {
  for (auto it = record.config.begin(); it != record.config.end(); ++it) {
    if (it->key != key) continue;
    if (json.empty()) {
      record.config.erase(it);
    } else {
      it->json = std::move(json);
    }
    return;
  }
  if (!json.empty()) record.config.push_back({std::string(key), std::move(json)});
}

std::optional<IntegrationRecord> FindIntegration(const WriteTxn& txn, std::string_view org_id,
                                                 IntegrationFamily family, std::string_view id) {
  auto r = txn.Find<IntegrationRecord>(id);
  if (!r || r->org_id != org_id || r->family != family) return std::nullopt;
  return r;
}

std::optional<IntegrationRecord> FindIntegrationByReference(const Store& store,
                                                            std::string_view org_id,
                                                            IntegrationFamily family,
                                                            std::string_view type,
                                                            std::string_view reference) {
  if (reference.empty()) return std::nullopt;
  return store.table<IntegrationRecord>().GetBy<IntegrationByReference>(
      ReferenceIndexKey(org_id, family, type, reference));
}

Status StageIntegration(WriteTxn& txn, const IntegrationRecord* old, IntegrationRecord& next,
                        std::string_view by_crn, int64_t now_ms) {
  if (old != nullptr) {
    if (old->id != next.id || old->org_id != next.org_id || old->family != next.family) {
      return Status::Internal("an integration's id, org and family never change");
    }
    if (Status st = CheckStatusTransition(old->status, next.status); !st.ok()) return st;
    next.created_at_ms = old->created_at_ms;
    next.created_by = old->created_by;
  } else {
    next.created_at_ms = now_ms;
    next.created_by = std::string(by_crn);
  }
  next.updated_at_ms = now_ms;
  next.updated_by = std::string(by_crn);
  const auto& table = txn.store().table<IntegrationRecord>();
  if (!next.reference.empty()) {
    auto holder = table.GetBy<IntegrationByReference>(IntegrationByReference::KeyOf(next));
    if (holder && holder->id != next.id) {
      return Status::AlreadyExists("an integration with this reference already exists");
    }
  }
  if (!next.invitation.code.empty()) {
    auto holder = table.GetBy<IntegrationByInvitationCode>(next.invitation.code);
    if (holder && holder->id != next.id) return Status::Internal("invitation code clash");
  }
  txn.Put(next);
  return Status::Ok();
}

Status EraseIntegration(WriteTxn& txn, std::string_view org_id, IntegrationFamily family,
                        std::string_view id) {
  if (!FindIntegration(txn, org_id, family, id)) return Status::NotFound("integration not found");
  txn.Erase<IntegrationRecord>(std::string(id));
  return Status::Ok();
}

}  // namespace ihub
