#include "codec/form.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ihub {
namespace {

TEST(FormTest, PercentDecode) {
  std::string out;
  ASSERT_TRUE(PercentDecode("a%20b+c%2B%2fd%C3%A9", true, out).ok());
  EXPECT_EQ(out, "a b c+/d\xc3\xa9");
  out.clear();
  ASSERT_TRUE(PercentDecode("a+b", false, out).ok());
  EXPECT_EQ(out, "a+b");
  for (const char* bad : {"%", "%2", "%zz", "a%g1", "%C3", "%FF", "%C0%80", "abc%"}) {
    out.clear();
    EXPECT_FALSE(PercentDecode(bad, true, out).ok()) << bad;
  }
}

TEST(FormTest, PathSegment) {
  EXPECT_EQ(*DecodePathSegment("ab%2Fc+d"), "ab/c+d");
  EXPECT_EQ(*DecodePathSegment("clients"), "clients");
  EXPECT_FALSE(DecodePathSegment("a%00b").ok());
  EXPECT_FALSE(DecodePathSegment("a%x").ok());
}

TEST(FormTest, ParsesOAuthBody) {
  FormFields form;
  ASSERT_TRUE(ParseForm("grant_type=client_credentials&client_id=abc&client_secret=s%2Bx%3D"
                        "&scope=TargetGroups+All",
                        form)
                  .ok());
  EXPECT_EQ(form.size(), 4u);
  EXPECT_EQ(form.Get("grant_type"), "client_credentials");
  EXPECT_EQ(form.Get("client_secret"), "s+x=");
  EXPECT_EQ(form.Get("scope"), "TargetGroups All");
  EXPECT_FALSE(form.Get("missing").has_value());
  EXPECT_FALSE(form.duplicate_key().has_value());
}

TEST(FormTest, EdgeCases) {
  FormFields form;
  ASSERT_TRUE(ParseForm("&&a&b=&=v&c=1=2&", form).ok());
  ASSERT_EQ(form.size(), 4u);
  EXPECT_EQ(form.Get("a"), "");
  EXPECT_EQ(form.Get("b"), "");
  EXPECT_EQ(form.Get(""), "v");
  EXPECT_EQ(form.Get("c"), "1=2");
  ASSERT_TRUE(ParseForm("", form).ok());
  EXPECT_EQ(form.size(), 0u);
  EXPECT_FALSE(ParseForm("a=%zz", form).ok());
  EXPECT_FALSE(ParseForm("%ff=1", form).ok());
}

TEST(FormTest, DuplicateKeysAreDetected) {
  FormFields form;
  ASSERT_TRUE(ParseForm("scope=a&client_id=x&scope=b", form).ok());
  EXPECT_EQ(form.duplicate_key(), "scope");
  EXPECT_EQ(form.Count("scope"), 2u);
  EXPECT_EQ(form.Get("scope"), "a");
  // Encoded spellings of the same key are the same key.
  ASSERT_TRUE(ParseForm("scope=a&sc%6Fpe=b", form).ok());
  EXPECT_EQ(form.duplicate_key(), "scope");
  // Many fields take the sorting path.
  std::string body;
  for (int i = 0; i < 100; ++i) body += "k" + std::to_string(i) + "=v&";
  ASSERT_TRUE(ParseForm(body, form).ok());
  EXPECT_FALSE(form.duplicate_key().has_value());
  ASSERT_TRUE(ParseForm(body + "k57=again&k3=x", form).ok());
  EXPECT_EQ(form.duplicate_key(), "k3");
}

TEST(FormTest, ReuseClearsPreviousFields) {
  FormFields form;
  ASSERT_TRUE(ParseForm("a=1&a=2", form).ok());
  ASSERT_TRUE(ParseForm("b=2", form).ok());
  EXPECT_FALSE(form.Get("a").has_value());
  EXPECT_FALSE(form.duplicate_key().has_value());
}

TEST(FormTest, Base64RoundTripsAndRejectsJunk) {
  const std::string all = [] {
    std::string s;
    for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
    return s;
  }();
  for (size_t n = 0; n <= all.size(); n += 1) {
    const std::string data = all.substr(0, n);
    EXPECT_EQ(*Base64Decode(Base64Encode(data)), data);
    EXPECT_EQ(*Base64Decode(Base64Encode(data, Base64Alphabet::kUrl), Base64Alphabet::kUrl), data);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("\xfb\xff", Base64Alphabet::kUrl), "-_8");
  EXPECT_EQ(*Base64Decode("Zg"), "f");  // padding optional
  for (const char* bad : {"Z", "Zg=", "Zg===", "Z===", "Zh==", "Zm9=", "Zm9v YmFy", "Zm9vYmF!",
                          "Zm9v\n", "-_8=", "===="}) {
    EXPECT_FALSE(Base64Decode(bad).ok()) << bad;
  }
}

TEST(FormTest, BasicAuthDecodesUrlEncodedCredentials) {
  // RFC 6749 §2.3.1: "client id:1" and "s3cr+t/=%" form-encoded, then base64.
  const std::string header =
      "Basic " + Base64Encode("client+id%3A1:s3cr%2Bt%2F%3D%25");
  Result<BasicCredentials> creds = ParseBasicAuth(header);
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->user, "client id:1");
  EXPECT_EQ(creds->password, "s3cr+t/=%");

  creds = ParseBasicAuth("  bAsIc   " + Base64Encode("ytoxaF6SLgBJQ7erUw2SXS8zi:pw:with:colons") + " ");
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->user, "ytoxaF6SLgBJQ7erUw2SXS8zi");
  EXPECT_EQ(creds->password, "pw:with:colons");

  EXPECT_EQ(ParseBasicAuth("Bearer abc").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ParseBasicAuth("Basicabc").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ParseBasicAuth("").status().code(), StatusCode::kUnauthenticated);
  for (const std::string& bad : std::vector<std::string>{"Basic !!!", "Basic " + Base64Encode("nocolon"),
                                "Basic " + Base64Encode(":pw"), "Basic " + Base64Encode("u%zz:p"),
                                "Basic "}) {
    Result<BasicCredentials> r = ParseBasicAuth(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(FormTest, BasicAuthEmptyPasswordIsAllowed) {
  Result<BasicCredentials> creds = ParseBasicAuth("Basic " + Base64Encode("user:"));
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->user, "user");
  EXPECT_EQ(creds->password, "");
}

}  // namespace
}  // namespace ihub
