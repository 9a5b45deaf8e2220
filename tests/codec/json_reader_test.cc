#include "codec/json_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/codec/capillary_schema.h"

namespace ihub {
namespace {

using testing_schema::CreateClient;
using testing_schema::ReadCreateClient;
constexpr std::string_view kSeedBody = testing_schema::kSeedCreateClientBody;

class JsonReaderTest : public ::testing::Test {
 protected:
  // Reads `body` with the create-client schema and returns the error kinds by field.
  std::vector<std::pair<std::string, FieldErrorKind>> Errors(std::string_view body) {
    CreateClient req;
    errors_ = FieldErrors();
    const Status st = ReadCreateClient(body, req, errors_);
    EXPECT_EQ(st.ok(), errors_.empty());
    std::vector<std::pair<std::string, FieldErrorKind>> out;
    for (const FieldError& e : errors_) {
      out.emplace_back(e.field, e.kind);
      EXPECT_NE(e.message.find(e.field), std::string::npos) << e.message;
    }
    return out;
  }
  FieldErrors errors_;
};

using E = std::vector<std::pair<std::string, FieldErrorKind>>;

TEST_F(JsonReaderTest, ReadsTheSeedRequest) {
  CreateClient req;
  FieldErrors errors;
  ASSERT_TRUE(ReadCreateClient(kSeedBody, req, errors).ok()) << errors.front().message;
  EXPECT_EQ(req.name, "NewName3");
  EXPECT_EQ(req.description, "Sample description");
  EXPECT_EQ(req.ttl, 600);
  EXPECT_EQ(req.till, 15000449);
  ASSERT_EQ(req.scopes.size(), 2u);
  EXPECT_EQ(req.scopes[0].entity_id, 1);
  EXPECT_EQ(req.scopes[0].permission, "READWRITE");
  EXPECT_EQ(req.scopes[0].resources, std::vector<std::string>{".*v3/targetGroups.*"});
  EXPECT_EQ(req.scopes[1].permission, "WRITE");
  EXPECT_TRUE(req.scopes[1].resources.empty());
}

TEST_F(JsonReaderTest, UnknownFieldsAreIgnoredInAnyOrder) {
  EXPECT_EQ(Errors(R"({"zzz":{"deep":[1,{"x":null}]},"scopes":[],"name":"n","extra":"e",
      "description":"","defaultTillId":1,"expirationTokenTime":5,"more":[true,false,1.5e3]})"),
            E{});
}

TEST_F(JsonReaderTest, MissingFieldsAreAllReported) {
  EXPECT_EQ(Errors(R"({"name":"n","scopes":[{"permission":"READ"}]})"),
            (E{{"scopes[0].entityId", FieldErrorKind::kMissing},
               {"scopes[0].resources", FieldErrorKind::kMissing},
               {"description", FieldErrorKind::kMissing},
               {"expirationTokenTime", FieldErrorKind::kMissing},
               {"defaultTillId", FieldErrorKind::kMissing}}));
  EXPECT_EQ(errors_.items()[2].message, "description is required");
}

TEST_F(JsonReaderTest, NullCountsAsAbsent) {
  EXPECT_EQ(Errors(R"({"name":null,"description":"d","expirationTokenTime":1,
      "defaultTillId":1,"scopes":[]})"),
            (E{{"name", FieldErrorKind::kMissing}}));
}

TEST_F(JsonReaderTest, WrongTypes) {
  EXPECT_EQ(Errors(R"({"name":5,"description":["x"],"expirationTokenTime":true,
      "defaultTillId":"7","scopes":{"entityId":1}})"),
            (E{{"name", FieldErrorKind::kWrongType},
               {"description", FieldErrorKind::kWrongType},
               {"expirationTokenTime", FieldErrorKind::kWrongType},
               {"defaultTillId", FieldErrorKind::kWrongType},
               {"scopes", FieldErrorKind::kWrongType}}));
  EXPECT_EQ(errors_.front().message, "name must be a string");
}

TEST_F(JsonReaderTest, FloatsAreNotIntegersAndBigIntegersAreOutOfRange) {
  EXPECT_EQ(Errors(R"({"name":"n","description":"d","expirationTokenTime":600.0,
      "defaultTillId":1e3,"scopes":[{"entityId":99999999999999999999999,"permission":"READ",
      "resources":[]}]})"),
            (E{{"expirationTokenTime", FieldErrorKind::kWrongType},
               {"defaultTillId", FieldErrorKind::kWrongType},
               {"scopes[0].entityId", FieldErrorKind::kOutOfRange}}));
}

TEST_F(JsonReaderTest, RangesLengthsEnumsAndCounts) {
  const std::string long_name(257, 'x');
  const std::string body = R"({"name":")" + long_name + R"(","description":"d",
      "expirationTokenTime":0,"defaultTillId":-1,"scopes":[
      {"entityId":1,"permission":"ADMIN","resources":[")" + std::string(1025, 'r') + R"("]},
      {"entityId":1,"permission":"READ","resources":[]},{},{},{}]})";
  EXPECT_EQ(Errors(body), (E{{"name", FieldErrorKind::kTooLong},
                             {"expirationTokenTime", FieldErrorKind::kOutOfRange},
                             {"defaultTillId", FieldErrorKind::kOutOfRange},
                             {"scopes[0].permission", FieldErrorKind::kUnknownEnum},
                             {"scopes[0].resources[0]", FieldErrorKind::kTooLong},
                             {"scopes[2].entityId", FieldErrorKind::kMissing},
                             {"scopes[2].permission", FieldErrorKind::kMissing},
                             {"scopes[2].resources", FieldErrorKind::kMissing},
                             {"scopes", FieldErrorKind::kTooMany}}));
  EXPECT_EQ(errors_.items()[0].message, "name must be at most 256 characters");
  EXPECT_EQ(errors_.items()[3].message, "scopes[0].permission must be one of READ, WRITE, READWRITE");
  EXPECT_EQ(errors_.items()[8].message, "scopes must have at most 3 items");
  EXPECT_EQ(Errors(R"({"name":"","description":"d","expirationTokenTime":1,"defaultTillId":1,
      "scopes":[]})"),
            (E{{"name", FieldErrorKind::kTooShort}}));
}

TEST_F(JsonReaderTest, LengthCountsCodePointsNotBytes) {
  std::string name;
  for (int i = 0; i < 256; ++i) name += "\xc3\xa9";  // 256 × é = 512 bytes
  const std::string body = R"({"name":")" + name + R"(","description":"d",
      "expirationTokenTime":1,"defaultTillId":1,"scopes":[]})";
  EXPECT_EQ(Errors(body), E{});
}

TEST_F(JsonReaderTest, MalformedBodies) {
  const char* bodies[] = {
      "",
      "   ",
      "not json",
      "[1,2]",
      "\"str\"",
      R"({"name":"n",})",
      R"({"name":"n"} x)",
      R"({"name":"n"}})",
      R"({"name":"n"} {})",
      R"({"name":"unterminated)",
      R"({"extra":[1,2,}],"name":"n"})",  // malformed inside an ignored field
      R"({"extra":tru,"name":"n"})",
      R"({"extra":nul,"name":"n"})",
      R"({"extra":01,"name":"n"})",
      R"({"extra":-,"name":"n"})",
      R"({"name":"a)"
      "\n"
      R"(b"})",  // raw control character inside a string
      R"({"name":"\ud800"})",  // lone surrogate escape
      R"({"name":"\x"})",
  };
  for (const char* body : bodies) {
    const E errors = Errors(body);
    ASSERT_EQ(errors.size(), 1u) << body;
    EXPECT_EQ(errors[0], (std::pair<std::string, FieldErrorKind>{"", FieldErrorKind::kMalformed}))
        << body;
    EXPECT_TRUE(errors_.malformed()) << body;
  }
}

TEST_F(JsonReaderTest, InvalidUtf8IsRejected) {
  const std::string bodies[] = {
      std::string(R"({"name":")") + "\xff" + R"("})",
      std::string(R"({"name":")") + "\xc0\x80" + R"("})",
      std::string(R"({"name":")") + "\xed\xa0\x80" + R"("})",
      std::string(R"({")") + "\xe2\x82" + R"(":1})",
  };
  for (const std::string& body : bodies) {
    const E errors = Errors(body);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].second, FieldErrorKind::kMalformed);
  }
}

TEST_F(JsonReaderTest, DeepNestingIsMalformedNotACrash) {
  const std::string body =
      R"({"extra":)" + std::string(5000, '[') + std::string(5000, ']') + R"(,"name":"n"})";
  const E errors = Errors(body);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].second, FieldErrorKind::kMalformed);
}

TEST_F(JsonReaderTest, EscapedKeysMatch) {
  std::string name;
  FieldErrors errors;
  ASSERT_TRUE(ReadJsonObject(R"({"n\u0061me":"v\n"})", errors, [&](ObjectReader& o) {
                o.String("name", {.required = true}, name);
              }).ok());
  EXPECT_EQ(name, "v\n");
}

TEST_F(JsonReaderTest, DuplicateKeysLastWins) {
  std::string name;
  FieldErrors errors;
  ASSERT_TRUE(ReadJsonObject(R"({"name":"a","name":"b"})", errors, [&](ObjectReader& o) {
                o.String("name", {.required = true}, name);
              }).ok());
  EXPECT_EQ(name, "b");
}

TEST_F(JsonReaderTest, PatternAndHint) {
  auto no_space = +[](std::string_view s) { return s.find(' ') == std::string_view::npos; };
  std::string ref, other;
  FieldErrors errors;
  EXPECT_FALSE(ReadJsonObject(R"({"reference":"a b","other":"a b"})", errors,
                              [&](ObjectReader& o) {
                                o.String("reference", {.pattern = no_space,
                                                       .pattern_hint = "must not contain spaces"},
                                         ref);
                                o.String("other", {.pattern = no_space}, other);
                              })
                   .ok());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors.items()[0].kind, FieldErrorKind::kPattern);
  EXPECT_EQ(errors.items()[0].message, "reference must not contain spaces");
  EXPECT_EQ(errors.items()[1].message, "other has an invalid format");
  EXPECT_TRUE(ref.empty());
}

TEST_F(JsonReaderTest, MessagesNeverEchoValues) {
  FieldErrors errors;
  std::string secret_field;
  int64_t n = 0;
  ReadJsonObject(R"({"token":"SECRET-VALUE-123","n":"SECRET-VALUE-456"})", errors,
                 [&](ObjectReader& o) {
                   o.Enum("token", {.allowed = {"a"}}, secret_field);
                   o.Int64("n", {}, n);
                 });
  ASSERT_EQ(errors.size(), 2u);
  for (const FieldError& e : errors) EXPECT_EQ(e.message.find("SECRET"), std::string::npos);
}

TEST_F(JsonReaderTest, BoolsOptionalsAndEnumIndex) {
  bool active = false;
  std::optional<bool> flag;
  std::optional<std::string> absent;
  std::optional<int64_t> limit;
  size_t method = 99;
  double ratio = 0;
  FieldErrors errors;
  ASSERT_TRUE(ReadJsonObject(R"({"active":"true","flag":false,"limit":5,"method":"get",
      "ratio":2})",
                             errors, [&](ObjectReader& o) {
                               o.Bool("active", {.accept_string = true}, active);
                               o.Bool("flag", {}, flag);
                               o.String("absent", {}, absent);
                               o.Int64("limit", {}, limit);
                               o.Enum("method", {.allowed = {"GET", "POST"}, .ignore_case = true},
                                      method);
                               o.Double("ratio", {.max = 3}, ratio);
                             })
                  .ok());
  EXPECT_TRUE(active);
  EXPECT_EQ(flag, false);
  EXPECT_FALSE(absent.has_value());
  EXPECT_EQ(limit, 5);
  EXPECT_EQ(method, 0u);
  EXPECT_EQ(ratio, 2.0);
  errors = FieldErrors();
  EXPECT_FALSE(ReadJsonObject(R"({"active":"yes","flag":"true"})", errors, [&](ObjectReader& o) {
                 o.Bool("active", {.accept_string = true}, active);
                 o.Bool("flag", {}, flag);
               }).ok());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors.items()[0].kind, FieldErrorKind::kWrongType);
  EXPECT_EQ(errors.items()[1].kind, FieldErrorKind::kWrongType);
}

TEST_F(JsonReaderTest, NestedObjectsAndValueSeeNulls) {
  std::string given;
  bool desc_null = false;
  FieldErrors errors;
  ASSERT_TRUE(ReadJsonObject(R"({"params":{"givenName":"Ann","bankAccounts":["x",7]},
      "description":null})",
                             errors, [&](ObjectReader& o) {
                               o.Object("params", {.required = true}, [&](ObjectReader& p) {
                                 p.String("givenName", {.required = true}, given);
                                 p.Array("bankAccounts", {.min_items = 1},
                                         [&](JsonValueReader& item) {
                                           if (item.index() == 1) {
                                             item.Fail(FieldErrorKind::kPattern, "is not an account");
                                           }
                                         });
                               });
                               o.Value("description", {}, [&](JsonValueReader& v) {
                                 desc_null = v.IsNull();
                               });
                             })
                  .ok() == false);
  EXPECT_EQ(given, "Ann");
  EXPECT_TRUE(desc_null);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().field, "params.bankAccounts[1]");
  EXPECT_EQ(errors.front().message, "params.bankAccounts[1] is not an account");
}

TEST_F(JsonReaderTest, ErrorCountIsCapped) {
  std::string body = R"({"a":[)";
  for (int i = 0; i < 500; ++i) body += (i ? ",1" : "1");
  body += "]}";
  FieldErrors errors;
  std::vector<std::string> a;
  EXPECT_FALSE(ReadJsonObject(body, errors, [&](ObjectReader& o) {
                 o.StringArray("a", {.max_items = 1000}, {}, a);
               }).ok());
  EXPECT_EQ(errors.size(), FieldErrors::kMaxErrors);
  EXPECT_TRUE(errors.truncated());
}

TEST_F(JsonReaderTest, JsonBodyParseThenRead) {
  JsonBody body(R"({"token":"ihat_x","method":"GET","path":"/v3/targetGroups/1"})");
  ASSERT_TRUE(body.Parse().ok());
  std::string token, method, path;
  FieldErrors errors;
  ASSERT_TRUE(body.ReadObject(errors, [&](ObjectReader& o) {
                    o.String("token", {.required = true, .max_len = 512}, token);
                    o.Enum("method", {.required = true, .allowed = {"GET", "POST"}}, method);
                    o.String("path", {.required = true, .max_len = 4096}, path);
                  })
                  .ok());
  EXPECT_EQ(token, "ihat_x");
  EXPECT_EQ(method, "GET");
  EXPECT_EQ(path, "/v3/targetGroups/1");
  EXPECT_FALSE(JsonBody("[1]").Parse().ok());
}

TEST_F(JsonReaderTest, NestedJsonBodyOnTheSameThreadWorks) {
  std::string outer, inner;
  FieldErrors errors;
  ASSERT_TRUE(ReadJsonObject(R"({"a":"1","b":"2"})", errors, [&](ObjectReader& o) {
                if (o.String("a", {}, outer)) {
                  FieldErrors inner_errors;
                  EXPECT_TRUE(ReadJsonObject(R"({"c":"3"})", inner_errors, [&](ObjectReader& i) {
                                i.String("c", {}, inner);
                              }).ok());
                }
                o.String("b", {}, outer);
              }).ok());
  EXPECT_EQ(inner, "3");
  EXPECT_EQ(outer, "2");
}

}  // namespace
}  // namespace ihub
