#include "codec/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <string>

namespace ihub {
namespace {

// Parses `json` with simdjson's DOM (a validator independent of the writer) and returns the
// string value at the root, or "<invalid>" when the text is not valid JSON.
std::string ParseStringBack(const std::string& json) {
  simdjson::dom::parser parser;
  std::string_view s;
  if (parser.parse(json).get_string().get(s)) return "<invalid>";
  return std::string(s);
}

TEST(JsonWriterTest, ObjectsArraysAndCommas) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Field("a", 1).Field("b", "two").Field("c", true).FieldNull("d");
  w.Key("e").BeginArray().Int(-1).Uint(18446744073709551615ULL).BeginObject().EndObject();
  w.BeginArray().EndArray().EndArray();
  w.FieldRaw("f", R"({"x":[1]})");
  w.EndObject();
  EXPECT_EQ(out,
            R"({"a":1,"b":"two","c":true,"d":null,"e":[-1,18446744073709551615,{},[]],)"
            R"("f":{"x":[1]}})");
}

TEST(JsonWriterTest, FieldOverloadsPickTheRightType) {
  std::string out;
  JsonWriter w(out);
  const std::string s = "str";
  const uint16_t u16 = 7;
  const int32_t i32 = -7;
  w.BeginObject().Field("s", s).Field("lit", "x").Field("u", u16).Field("i", i32);
  w.Field("f", false).Field("d", 1.5).EndObject();
  EXPECT_EQ(out, R"({"s":"str","lit":"x","u":7,"i":-7,"f":false,"d":1.5})");
}

TEST(JsonWriterTest, AppendsToExistingBuffer) {
  std::string out = "prefix:";
  JsonWriter(out).String("v");
  EXPECT_EQ(out, "prefix:\"v\"");
}

TEST(JsonWriterTest, DoublesRoundTripAndNonFiniteIsNull) {
  std::string out;
  JsonWriter w(out);
  w.BeginArray().Double(0.1).Double(1e300).Double(-0.0).Double(NAN).Double(INFINITY).EndArray();
  EXPECT_EQ(out, "[0.1,1e+300,-0,null,null]");
}

TEST(JsonWriterTest, EscapesEveryControlCharacter) {
  for (int c = 0; c < 0x20; ++c) {
    std::string in = "a";
    in.push_back(static_cast<char>(c));
    in.push_back('b');
    std::string out;
    AppendJsonString(out, in);
    EXPECT_EQ(ParseStringBack(out), in) << "control " << c << " gave " << out;
    for (char ch : out) EXPECT_GE(static_cast<unsigned char>(ch), 0x20) << "raw control " << c;
  }
  std::string out;
  AppendJsonString(out, std::string("\b\f\n\r\t\x01\x1f\x7f", 8));
  EXPECT_EQ(out, R"("\b\f\n\r\t\u0001\u001f\u007f")");
}

TEST(JsonWriterTest, SpecialBytesAtEveryOffsetOfLongStrings) {
  // Long strings take the 16- and 8-bytes-at-a-time paths (40 = two 16-byte blocks and an 8-byte
  // tail); a special byte must be caught wherever it sits.
  const std::string specials[] = {"\x01", "\x1f", "\n", "\"", "\\", "\x7f", "\xc3\xa9", "\xff"};
  for (const std::string& special : specials) {
    for (size_t pos = 0; pos < 40; ++pos) {
      std::string in(40, 'x');
      in.replace(pos, 1, special);
      std::string out;
      AppendJsonString(out, in);
      const std::string back = ParseStringBack(out);
      if (special == "\xff") {
        EXPECT_NE(out.find("\\ufffd"), std::string::npos);
        EXPECT_NE(back, "<invalid>");
      } else {
        EXPECT_EQ(back, in) << "pos " << pos;
      }
      for (char ch : out) EXPECT_GE(static_cast<unsigned char>(ch), 0x20);
    }
  }
}

TEST(JsonWriterTest, EscapesQuoteAndBackslash) {
  std::string out;
  AppendJsonString(out, R"(say "hi" \o/)");
  EXPECT_EQ(out, R"("say \"hi\" \\o/")");
  EXPECT_EQ(ParseStringBack(out), R"(say "hi" \o/)");
}

TEST(JsonWriterTest, KeepsValidUtf8) {
  const std::string in = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";  // é € 😀
  std::string out;
  AppendJsonString(out, in);
  EXPECT_EQ(out, "\"" + in + "\"");
}

TEST(JsonWriterTest, ReplacesInvalidUtf8SoOutputStaysValid) {
  const char* cases[] = {"\xff", "\xc3", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                         "\xe2\x82", "a\x80z", "\xf0\x9f\x98"};
  for (const char* c : cases) {
    std::string out;
    AppendJsonString(out, c);
    EXPECT_NE(ParseStringBack(out), "<invalid>") << out;
    EXPECT_NE(out.find("\\ufffd"), std::string::npos) << out;
  }
  std::string out;
  AppendJsonString(out, "a\x80z");
  EXPECT_EQ(out, R"("a\ufffdz")");
}

TEST(JsonWriterTest, KeysAreEscapedToo) {
  std::string out;
  JsonWriter(out).BeginObject().Field("k\"\n", 1).EndObject();  // a literal that needs escaping
  EXPECT_EQ(out, R"({"k\"\n":1})");
  out.clear();
  const std::string runtime = "a\\b";
  JsonWriter(out).BeginObject().Field(runtime, 2).Field(std::string_view("plain"), 3).EndObject();
  EXPECT_EQ(out, R"({"a\\b":2,"plain":3})");
}

}  // namespace
}  // namespace ihub

namespace ihub {
namespace {

// A default-constructed string_view has a null data pointer; writing it must not hand that
// pointer to memcpy (undefined behaviour, caught by UBSan in the e2e run before this fix).
TEST(JsonWriterEmptyViewTest, WritesAnEmptyStringFromANullView) {
  std::string out;
  AppendJsonString(out, std::string_view());
  EXPECT_EQ(out, "\"\"");
}

}  // namespace
}  // namespace ihub
