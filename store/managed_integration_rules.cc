#include "store/managed_integration_rules.h"

#include <utility>

#include "codec/utf8.h"
#include "store/integration_rules.h"
#include "store/secrets.h"

namespace ihub {
namespace {

constexpr size_t kMaxAccountIdLength = 64;
constexpr std::string_view kHexDigits = "0123456789ABCDEF";

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Appends `segment` percent-encoded as one URL path segment (RFC 3986 unreserved kept as is), so
// an externalId holding '/', '?' or spaces still yields the seed's <type>/<extId>/<id> form.
void AppendPathSegment(std::string& out, std::string_view segment) {
  for (char c : segment) {
    if (IsUnreserved(c)) {
      out.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0xf]);
  }
}

std::string InvitationUrl(std::string_view base, std::string_view type,
                          std::string_view external_id, std::string_view id) {
  while (base.ends_with('/')) base.remove_suffix(1);
  std::string url(base);
  url.push_back('/');
  url.append(type);
  url.push_back('/');
  AppendPathSegment(url, external_id);
  url.push_back('/');
  url.append(id);
  return url;
}

bool IsClaimed(const IntegrationRecord& r) { return !r.invitation.claimed_by.empty(); }

// Item 91: unclaimed stays pending; once claimed, status follows `active`.
IntegrationStatus StatusFor(const IntegrationRecord& r) {
  if (!IsClaimed(r)) return IntegrationStatus::kPending;
  return r.active ? IntegrationStatus::kActive : IntegrationStatus::kInactive;
}

IntegrationRecord NewManagedRecord(WriteTxn& txn, const ManagedUpsert& in) {
  const auto& table = txn.store().table<IntegrationRecord>();
  IntegrationRecord r;
  // Ids and codes are random; a clash is astronomically unlikely but must never overwrite.
  do {
    r.id = NewIntegrationId(IntegrationFamily::kManaged);
  } while (txn.Find<IntegrationRecord>(r.id));
  do {
    r.invitation.code = RandomBase62(kInvitationCodeLength);
  } while (table.ReadBy<IntegrationByInvitationCode>(r.invitation.code,
                                                     [](const IntegrationRecord&) {}));
  r.org_id = std::string(in.org_id);
  r.family = IntegrationFamily::kManaged;
  r.type = std::string(in.type->name);
  r.reference = std::string(in.external_id);
  r.invitation.id = RandomBase62(kInvitationIdLength);
  r.invitation.url = InvitationUrl(in.url_base, in.type->name, in.external_id, r.id);
  r.invitation.expires_at_ms = in.now_ms + kInvitationLifetimeMs;
  return r;
}

}  // namespace

bool IsValidExternalId(std::string_view external_id) {
  if (external_id.empty() || CountCodePoints(external_id) > kMaxExternalIdLength) return false;
  for (char c : external_id) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return false;
  }
  return true;
}

bool IsInvitationCodeShape(std::string_view code) {
  return code.size() == kInvitationCodeLength && IsBase62(code);
}

std::string InvitationClaimCrn(std::string_view account_id, std::string_view invitation_id) {
  std::string crn = "crn:";
  crn.append(account_id).append(":invitation:").append(invitation_id);
  return crn;
}

bool IsValidAccountId(std::string_view account_id) {
  if (account_id.empty() || account_id.size() > kMaxAccountIdLength) return false;
  for (char c : account_id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status StageManagedUpsert(WriteTxn& txn, const ManagedUpsert& in, IntegrationRecord& out) {
  // Under the writer lock the committed index is current, so two racing upserts of one
  // externalId cannot both create.
  std::optional<IntegrationRecord> old = FindIntegrationByReference(
      txn.store(), in.org_id, IntegrationFamily::kManaged, in.type->name, in.external_id);
  if (old && old->status == IntegrationStatus::kArchived) {
    return Status::Conflict("the managed integration is archived");
  }
  if (old && old->active == in.active) {
    const std::string* params = old->FindConfig(kManagedParamsConfigKey);
    if (params != nullptr && *params == in.params) {
      out = std::move(*old);
      return Status::Ok();
    }
  }
  IntegrationRecord next = old ? *old : NewManagedRecord(txn, in);
  next.active = in.active;
  SetIntegrationConfig(next, kManagedParamsConfigKey, std::string(in.params));
  next.status = StatusFor(next);
  if (Status st = StageIntegration(txn, old ? &*old : nullptr, next, in.by_crn, in.now_ms);
      !st.ok()) {
    return st;
  }
  out = std::move(next);
  return Status::Ok();
}

Status StageManagedArchive(WriteTxn& txn, std::string_view org_id, std::string_view id,
                           std::string_view by_crn, int64_t now_ms, IntegrationRecord& out) {
  std::optional<IntegrationRecord> old =
      FindIntegration(txn, org_id, IntegrationFamily::kManaged, id);
  if (!old) return Status::NotFound("managed integration not found");
  if (old->status == IntegrationStatus::kArchived) {
    out = std::move(*old);
    return Status::Ok();
  }
  IntegrationRecord next = *old;
  next.status = IntegrationStatus::kArchived;
  if (Status st = StageIntegration(txn, &*old, next, by_crn, now_ms); !st.ok()) return st;
  out = std::move(next);
  return Status::Ok();
}

Status StageInvitationClaim(WriteTxn& txn, std::string_view code,
                            std::optional<std::string_view> account_id, int64_t now_ms,
                            IntegrationRecord& out) {
  std::optional<IntegrationRecord> old;
  if (IsInvitationCodeShape(code)) {
    old = txn.store().table<IntegrationRecord>().GetBy<IntegrationByInvitationCode>(code);
  }
  if (!old || old->family != IntegrationFamily::kManaged) {
    return Status::NotFound("invitation not found");
  }
  if (now_ms >= old->invitation.expires_at_ms) return Status::Gone("the invitation has expired");
  if (old->status == IntegrationStatus::kArchived) {
    return Status::Gone("the invitation's managed integration is archived");
  }
  if (IsClaimed(*old)) {
    return Status::Conflict("the invitation has already been accepted");
  }
  if (!account_id) return Status::InvalidArgument("invalid params");
  IntegrationRecord next = *old;
  next.invitation.claimed_by_account_id = std::string(*account_id);
  next.invitation.claimed_by = InvitationClaimCrn(*account_id, next.invitation.id);
  next.invitation.claimed_at_ms = now_ms;
  next.status = StatusFor(next);
  if (Status st = StageIntegration(txn, &*old, next, next.invitation.claimed_by, now_ms);
      !st.ok()) {
    return st;
  }
  out = std::move(next);
  return Status::Ok();
}

}  // namespace ihub
