// The kete-enrolment managed type (seed 000 "Params: kete-enrolment"; API-DECISIONS items 87-89):
// a person's enrolment with their NZ bank accounts. Everything this type means is in this file.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "codec/json_writer.h"
#include "store/managed_types.h"

namespace ihub {
namespace {

constexpr size_t kMaxBankAccounts = 20;       // item 89
constexpr size_t kMaxNameLength = 256;        // item 89
constexpr size_t kMaxBankAccountLength = 21;  // 2 + 4 + 9 + 3 digits and 3 dashes
constexpr size_t kMaxEmailLength = 254;       // RFC 5321's limit on a forward path's address
constexpr std::string_view kNzCountryCode = "+64";
constexpr size_t kMinPhoneDigits = 8;  // item 88
constexpr size_t kMaxPhoneDigits = 10;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Consumes a run of digits from the front of `s`; true when it had min..max of them.
bool TakeDigits(std::string_view& s, size_t min, size_t max) {
  size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  s.remove_prefix(n);
  return n >= min && n <= max;
}

bool TakeDash(std::string_view& s) {
  if (s.empty() || s.front() != '-') return false;
  s.remove_prefix(1);
  return true;
}

// BB-bbbb-AAAAAAA-SS(S): bank, branch, account and suffix. The account part takes 7-9 digits
// because the seed's own example (06-0384-947723945-00) has 9 (item 87).
bool IsNzBankAccount(std::string_view s) {
  return TakeDigits(s, 2, 2) && TakeDash(s) && TakeDigits(s, 4, 4) && TakeDash(s) &&
         TakeDigits(s, 7, 9) && TakeDash(s) && TakeDigits(s, 2, 3) && s.empty();
}

bool IsEmailChar(char c) { return static_cast<unsigned char>(c) > ' ' && c != '@' && c != 0x7f; }

// x@y.z (item 88): one '@', a non-empty local part, a domain with a '.' that neither starts nor
// ends it, and no whitespace or control characters anywhere.
bool IsEmail(std::string_view s) {
  const size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0) return false;
  const std::string_view local = s.substr(0, at);
  const std::string_view domain = s.substr(at + 1);
  for (std::string_view part : {local, domain}) {
    for (char c : part) {
      if (!IsEmailChar(c)) return false;
    }
  }
  const size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot != 0 && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

// +64 then 8-10 digits: an NZ number in E.164 (item 88).
bool IsNzPhoneNumber(std::string_view s) {
  if (!s.starts_with(kNzCountryCode)) return false;
  s.remove_prefix(kNzCountryCode.size());
  return TakeDigits(s, kMinPhoneDigits, kMaxPhoneDigits) && s.empty();
}

struct KeteEnrolmentParams {
  std::vector<std::string> bank_accounts;
  std::string given_name;
  std::string family_name;
  std::string email;
  std::string phone_number;
};

void ReadKeteEnrolmentParams(JsonValueReader& params, std::string& normalized) {
  KeteEnrolmentParams p;
  params.Object([&](ObjectReader& o) {
    o.StringArray("bankAccounts", {.required = true, .min_items = 1, .max_items = kMaxBankAccounts},
                  {.min_len = 1,
                   .max_len = kMaxBankAccountLength,
                   .pattern = IsNzBankAccount,
                   .pattern_hint = "must be an NZ bank account number BB-bbbb-AAAAAAA-SS(S)"},
                  p.bank_accounts);
    o.String("givenName", {.required = true, .min_len = 1, .max_len = kMaxNameLength},
             p.given_name);
    o.String("familyName", {.required = true, .min_len = 1, .max_len = kMaxNameLength},
             p.family_name);
    o.String("email",
             {.required = true,
              .min_len = 1,
              .max_len = kMaxEmailLength,
              .pattern = IsEmail,
              .pattern_hint = "must be an email address"},
             p.email);
    o.String("phoneNumber",
             {.required = true,
              .min_len = 1,
              .max_len = kNzCountryCode.size() + kMaxPhoneDigits,
              .pattern = IsNzPhoneNumber,
              .pattern_hint = "must be an NZ phone number in E.164 form (+64 and 8-10 digits)"},
             p.phone_number);
  });
  normalized.clear();
  JsonWriter w(normalized);
  w.BeginObject().Key("bankAccounts").BeginArray();
  for (const std::string& account : p.bank_accounts) w.String(account);
  w.EndArray()
      .Field("givenName", p.given_name)
      .Field("familyName", p.family_name)
      .Field("email", p.email)
      .Field("phoneNumber", p.phone_number)
      .EndObject();
}

}  // namespace

constinit const ManagedType kKeteEnrolmentType = {
    .name = "kete-enrolment",
    .read_params = ReadKeteEnrolmentParams,
};

}  // namespace ihub
