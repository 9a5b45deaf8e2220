#include "codec/json_raw.h"

#include <gtest/gtest.h>

#include <string>

#include "codec/json_reader.h"

namespace ihub {
namespace {

// Captures field "auth" of `body` with `rule`; returns the errors.
FieldErrors Capture(std::string_view body, const RawRule& rule, std::string& out) {
  FieldErrors errors;
  ReadJsonObject(body, errors, [&](ObjectReader& o) { o.Raw("auth", rule, out); });
  return errors;
}

TEST(JsonRawTest, CapturesMinifiedAndCanonical) {
  std::string raw;
  const FieldErrors errors = Capture(
      R"({"auth": { "key" : "a\u0041\/b", "n": [ 1 , -2.5e3 , true , null ], "o": {} } })", {},
      raw);
  ASSERT_TRUE(errors.empty()) << errors.front().message;
  EXPECT_EQ(raw, R"({"key":"aA/b","n":[1,-2.5e3,true,null],"o":{}})");
}

TEST(JsonRawTest, RejectsTooLargeAndTooDeep) {
  std::string raw;
  FieldErrors errors = Capture(R"({"auth":{"k":")" + std::string(100, 'x') + R"("}})",
                               {.max_bytes = 64}, raw);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().kind, FieldErrorKind::kTooLong);
  EXPECT_EQ(errors.front().field, "auth");
  EXPECT_TRUE(raw.empty());

  errors = Capture(R"({"auth":{"a":{"b":{"c":[1]}}}})", {.max_depth = 3}, raw);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().kind, FieldErrorKind::kTooMany);

  errors = Capture(R"({"auth":{"a":{"b":[1]}}})", {.max_depth = 3}, raw);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(raw, R"({"a":{"b":[1]}})");
}

TEST(JsonRawTest, OversizedValueStillValidatesTheRest) {
  std::string raw;
  const FieldErrors errors =
      Capture(R"({"auth":{"k":")" + std::string(100, 'x') + R"(","bad":[1,}]}})",
              {.max_bytes = 16}, raw);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().kind, FieldErrorKind::kMalformed);
}

TEST(JsonRawTest, ObjectOnlyByDefault) {
  std::string raw;
  FieldErrors errors = Capture(R"({"auth":[1]})", {}, raw);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().kind, FieldErrorKind::kWrongType);
  errors = Capture(R"({"auth":[1, "x"]})", {.object_only = false}, raw);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(raw, R"([1,"x"])");
}

TEST(JsonRawTest, MaskStringLeavesAtAnyDepth) {
  std::string out;
  ASSERT_TRUE(MaskStringLeaves(R"({"user":"bob","n":3,"ok":true,"z":null,
      "nested":{"key":"s3cr3t","list":["a",1,{"deep":"x"}]}})",
                               out)
                  .ok());
  EXPECT_EQ(out, R"({"user":"********","n":3,"ok":true,"z":null,)"
                 R"("nested":{"key":"********","list":["********",1,{"deep":"********"}]}})");
}

TEST(JsonRawTest, RewriteSeesPaths) {
  std::string out;
  std::vector<std::string> paths;
  ASSERT_TRUE(RewriteStringLeaves(
                  R"({"a":"1","b":{"c":["2",{"d":"3"}]}})",
                  [&](std::string_view path, std::string_view value, JsonWriter& w) {
                    paths.emplace_back(path);
                    w.String(std::string(value) + "!");
                  },
                  out)
                  .ok());
  EXPECT_EQ(out, R"({"a":"1!","b":{"c":["2!",{"d":"3!"}]}})");
  EXPECT_EQ(paths, (std::vector<std::string>{"a", "b.c[0]", "b.c[1].d"}));
}

TEST(JsonRawTest, WalkRejectsMalformedAndTrailing) {
  std::string out;
  EXPECT_FALSE(MinifyJson(R"({"a":1)", out).ok());
  EXPECT_FALSE(MinifyJson(R"({"a":1}] , [2)", out).ok());
  EXPECT_FALSE(MinifyJson(R"(1,2)", out).ok());
  EXPECT_FALSE(MinifyJson("", out).ok());
  out.clear();
  EXPECT_TRUE(MinifyJson(" \"s\" ", out).ok());
  EXPECT_EQ(out, "\"s\"");
}

TEST(JsonRawTest, WalkInsideAReadCallback) {
  std::string raw, masked;
  FieldErrors errors;
  ASSERT_TRUE(ReadJsonObject(R"({"auth":{"k":"v"},"after":"x"})", errors, [&](ObjectReader& o) {
                if (o.Raw("auth", {}, raw)) {
                  EXPECT_TRUE(MaskStringLeaves(raw, masked).ok());
                }
                std::string after;
                o.String("after", {.required = true}, after);
              }).ok());
  EXPECT_EQ(masked, R"({"k":"********"})");
}

}  // namespace
}  // namespace ihub
