#include "store/managed_types.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/store/centrapay_seed.h"
namespace ihub {
namespace {

using centrapay_seed::kExampleBody;
using centrapay_seed::kExampleParams;

class ManagedTypesTest : public ::testing::Test {
 protected:
  // Reads `body` as a kete-enrolment upsert; returns the fields that failed, in order.
  std::vector<std::string> Failures(std::string_view body) {
    errors_ = FieldErrors();
    body_ = ManagedUpsertBody();
    (void)ReadManagedUpsertBody(body, &kKeteEnrolmentType, errors_, body_);
    std::vector<std::string> fields;
    for (const FieldError& e : errors_) fields.push_back(e.field);
    return fields;
  }
  // A body whose params are the seed's with `key` set to `json` (a JSON value).
  static std::string WithParam(const std::string& key, const std::string& json,
                               const std::string& active = "true") {
    std::string params =
        R"("bankAccounts":["06-0384-947723945-00"],"givenName":"John",)"
        R"("familyName":"Doe","email":"john@doe.com","phoneNumber":"+642803809319")";
    const std::string needle = "\"" + key + "\":";
    const size_t at = params.find(needle);
    const size_t value_start = at + needle.size();
    size_t value_end = params.find(",\"", value_start);
    if (value_end == std::string::npos) value_end = params.size();
    params.replace(value_start, value_end - value_start, json);
    return R"({"active":)" + active + R"(,"params":{)" + params + "}}";
  }

  FieldErrors errors_;
  ManagedUpsertBody body_;
};

TEST_F(ManagedTypesTest, RegistryFindsKeteEnrolmentOnly) {
  EXPECT_EQ(FindManagedType("kete-enrolment"), &kKeteEnrolmentType);
  EXPECT_EQ(FindManagedType("Kete-Enrolment"), nullptr);
  EXPECT_EQ(FindManagedType("kete"), nullptr);
  EXPECT_EQ(FindManagedType(""), nullptr);
  ASSERT_EQ(ManagedTypes().size(), 1u);
  EXPECT_EQ(ManagedTypes()[0]->name, "kete-enrolment");
}

TEST_F(ManagedTypesTest, SeedExampleIsAcceptedWithStringActiveAndNormalized) {
  EXPECT_TRUE(Failures(kExampleBody).empty());
  EXPECT_TRUE(body_.active);
  EXPECT_EQ(body_.params, kExampleParams);
}

TEST_F(ManagedTypesTest, ActiveAcceptsBooleansAndTheirStringsOnly) {
  EXPECT_TRUE(Failures(WithParam("email", "\"a@b.co\"", "false")).empty());
  EXPECT_FALSE(body_.active);
  EXPECT_TRUE(Failures(WithParam("email", "\"a@b.co\"", "\"false\"")).empty());
  EXPECT_FALSE(body_.active);
  EXPECT_TRUE(Failures(WithParam("email", "\"a@b.co\"", "true")).empty());
  EXPECT_TRUE(body_.active);
  for (const char* bad : {"\"yes\"", "\"TRUE\"", "1", "null", "[]"}) {
    EXPECT_EQ(Failures(WithParam("email", "\"a@b.co\"", bad)), std::vector<std::string>{"active"})
        << bad;
  }
}

TEST_F(ManagedTypesTest, UnknownParamsKeysAreDropped) {
  const std::string body =
      R"({"active":true,"params":{"secretNote":"x","bankAccounts":["01-0001-1234567-001"],)"
      R"("givenName":"Jo","familyName":"Do","email":"j@d.nz","phoneNumber":"+64211234567","extra":{"a":[1]}}})";
  EXPECT_TRUE(Failures(body).empty());
  EXPECT_EQ(body_.params.find("secretNote"), std::string::npos);
  EXPECT_EQ(body_.params.find("extra"), std::string::npos);
  EXPECT_NE(body_.params.find("01-0001-1234567-001"), std::string::npos);
}

TEST_F(ManagedTypesTest, EveryOffendingFieldIsNamed) {
  const std::string body =
      R"({"active":"maybe","params":{"bankAccounts":["06-0384-947723945-00","12-34","x"],)"
      R"("givenName":"","familyName":7,"email":"not-an-email","phoneNumber":"+6112345678"}})";
  const std::vector<std::string> want = {"active",
                                         "params.bankAccounts[1]",
                                         "params.bankAccounts[2]",
                                         "params.givenName",
                                         "params.familyName",
                                         "params.email",
                                         "params.phoneNumber"};
  EXPECT_EQ(Failures(body), want);
  for (const FieldError& e : errors_) {
    EXPECT_EQ(e.message.rfind(e.field, 0), 0u) << e.message;       // names its field first
    EXPECT_EQ(e.message.find("not-an-email"), std::string::npos);  // never echoes a value
  }
}

TEST_F(ManagedTypesTest, MissingFieldsAreNamed) {
  EXPECT_EQ(Failures(R"({})"), (std::vector<std::string>{"active", "params"}));
  EXPECT_EQ(Failures(R"({"active":true,"params":null})"), std::vector<std::string>{"params"});
  EXPECT_EQ(Failures(R"({"active":true,"params":[]})"), std::vector<std::string>{"params"});
  const std::vector<std::string> want = {"params.bankAccounts", "params.givenName",
                                         "params.familyName", "params.email", "params.phoneNumber"};
  EXPECT_EQ(Failures(R"({"active":true,"params":{}})"), want);
}

TEST_F(ManagedTypesTest, BankAccountRules) {
  for (const char* good : {"06-0384-947723945-00", "12-3456-1234567-00", "12-3456-12345678-123",
                           "99-0000-123456789-999"}) {
    EXPECT_TRUE(Failures(WithParam("bankAccounts", std::string("[\"") + good + "\"]")).empty())
        << good;
  }
  for (const char* bad :
       {"06-0384-123456-00", "06-0384-1234567890-00", "6-0384-1234567-00", "06-384-1234567-00",
        "06-0384-1234567-0", "06-0384-1234567-0000", "0603841234567000", "06 0384 1234567 00",
        "06-0384-1234567-00-", "ab-0384-1234567-00", ""}) {
    EXPECT_EQ(Failures(WithParam("bankAccounts", std::string("[\"") + bad + "\"]")),
              std::vector<std::string>{"params.bankAccounts[0]"})
        << bad;
  }
  EXPECT_EQ(Failures(WithParam("bankAccounts", "[]")),
            std::vector<std::string>{"params.bankAccounts"});
  EXPECT_EQ(Failures(WithParam("bankAccounts", "\"06-0384-947723945-00\"")),
            std::vector<std::string>{"params.bankAccounts"});
  std::string twenty = "[";
  for (int i = 0; i < 20; ++i) twenty += std::string(i ? "," : "") + "\"06-0384-947723945-00\"";
  EXPECT_TRUE(Failures(WithParam("bankAccounts", twenty + "]")).empty());
  EXPECT_EQ(Failures(WithParam("bankAccounts", twenty + ",\"06-0384-947723945-00\"]")),
            std::vector<std::string>{"params.bankAccounts"});
  EXPECT_EQ(Failures(WithParam("bankAccounts", "[12]")),
            std::vector<std::string>{"params.bankAccounts[0]"});
}

TEST_F(ManagedTypesTest, NameRules) {
  EXPECT_TRUE(Failures(WithParam("givenName", "\"" + std::string(256, 'a') + "\"")).empty());
  EXPECT_EQ(Failures(WithParam("givenName", "\"" + std::string(257, 'a') + "\"")),
            std::vector<std::string>{"params.givenName"});
  EXPECT_EQ(Failures(WithParam("familyName", "\"\"")),
            std::vector<std::string>{"params.familyName"});
  EXPECT_TRUE(Failures(WithParam("familyName", "\"Ngāti Pōneke\"")).empty());
}

TEST_F(ManagedTypesTest, EmailRules) {
  for (const char* good : {"john@doe.com", "a@b.co", "first.last+tag@sub.example.nz"}) {
    EXPECT_TRUE(Failures(WithParam("email", std::string("\"") + good + "\"")).empty()) << good;
  }
  for (const char* bad : {"john", "john@doe", "@doe.com", "john@.com", "john@doe.", "jo hn@doe.com",
                          "john@do@e.com", "john@doe..com", ""}) {
    EXPECT_EQ(Failures(WithParam("email", std::string("\"") + bad + "\"")),
              std::vector<std::string>{"params.email"})
        << bad;
  }
}

TEST_F(ManagedTypesTest, PhoneNumberRules) {
  for (const char* good : {"+642803809319", "+6421234567", "+64212345678", "+642123456789"}) {
    EXPECT_TRUE(Failures(WithParam("phoneNumber", std::string("\"") + good + "\"")).empty())
        << good;
  }
  for (const char* bad : {"+64212345", "+6421234567890", "642803809319", "+612803809319",
                          "+64 2803809319", "+64-280380931", "021234567", ""}) {
    EXPECT_EQ(Failures(WithParam("phoneNumber", std::string("\"") + bad + "\"")),
              std::vector<std::string>{"params.phoneNumber"})
        << bad;
  }
}

TEST_F(ManagedTypesTest, UnknownTypeStillChecksActiveAndRequiresParams) {
  FieldErrors errors;
  ManagedUpsertBody body;
  EXPECT_FALSE(
      ReadManagedUpsertBody(R"({"active":"x","params":{"anything":1}})", nullptr, errors, body)
          .ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().field, "active");
  errors = FieldErrors();
  EXPECT_FALSE(ReadManagedUpsertBody(R"({"active":true})", nullptr, errors, body).ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().field, "params");
}

TEST_F(ManagedTypesTest, ErrorsAddedBeforeMakeTheReadFail) {
  FieldErrors errors;
  errors.Add("type", FieldErrorKind::kUnknownEnum, "type is not a managed integration type");
  ManagedUpsertBody body;
  EXPECT_FALSE(ReadManagedUpsertBody(kExampleBody, &kKeteEnrolmentType, errors, body).ok());
  EXPECT_EQ(errors.size(), 1u);
}

TEST_F(ManagedTypesTest, MalformedBodyIsOneError) {
  EXPECT_EQ(Failures(R"({"active":true,"params":{)"), std::vector<std::string>{""});
  EXPECT_TRUE(errors_.malformed());
}

}  // namespace
}  // namespace ihub
