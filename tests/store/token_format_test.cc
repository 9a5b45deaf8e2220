#include "store/token_format.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "store/secrets.h"

namespace ihub {
namespace {

TEST(TokenFormatTest, NewTokensHaveTheDocumentedShape) {
  const std::string token = NewAccessToken();
  ASSERT_EQ(token.size(), kAccessTokenLength);
  EXPECT_EQ(token.size(), 55u);
  EXPECT_EQ(token.substr(0, 5), "ihat_");
  EXPECT_TRUE(IsBase62(token.substr(5)));
  EXPECT_TRUE(IsWellFormedAccessToken(token));
}

TEST(TokenFormatTest, TokensAreDistinctAndKeysDiffer) {
  std::set<std::string> tokens;
  std::set<std::pair<uint64_t, uint64_t>> keys;
  for (int i = 0; i < 2000; ++i) {
    const std::string t = NewAccessToken();
    tokens.insert(t);
    const TokenKey k = TokenKeyOf(t);
    keys.insert({k.lo, k.hi});
  }
  EXPECT_EQ(tokens.size(), 2000u);
  EXPECT_EQ(keys.size(), 2000u);
}

TEST(TokenFormatTest, KeyIsTheFirstSixteenBytesOfSha256) {
  const std::string token = NewAccessToken();
  const Digest d = Sha256(token);
  const TokenKey k = TokenKeyOf(token);
  uint64_t lo, hi;
  std::memcpy(&lo, d.data(), 8);
  std::memcpy(&hi, d.data() + 8, 8);
  EXPECT_EQ(k.lo, lo);
  EXPECT_EQ(k.hi, hi);
  EXPECT_EQ(TokenKeyOf(token), k);
}

TEST(TokenFormatTest, EveryOneCharacterTypoIsRejected) {
  const std::string token = NewAccessToken();
  for (size_t i = 0; i < token.size(); ++i) {
    std::string bad = token;
    bad[i] = bad[i] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(IsWellFormedAccessToken(bad)) << "position " << i;
  }
}

TEST(TokenFormatTest, WrongLengthPrefixOrAlphabetIsRejected) {
  const std::string token = NewAccessToken();
  EXPECT_FALSE(IsWellFormedAccessToken(""));
  EXPECT_FALSE(IsWellFormedAccessToken(token.substr(0, 54)));
  EXPECT_FALSE(IsWellFormedAccessToken(token + "0"));
  EXPECT_FALSE(IsWellFormedAccessToken("IHAT_" + token.substr(5)));
  std::string with_dash = token;
  with_dash[10] = '-';
  EXPECT_FALSE(IsWellFormedAccessToken(with_dash));
  // A transposition of two different adjacent characters changes the CRC.
  std::string swapped = token;
  size_t i = 5;
  while (swapped[i] == swapped[i + 1]) ++i;
  std::swap(swapped[i], swapped[i + 1]);
  EXPECT_FALSE(IsWellFormedAccessToken(swapped));
}

}  // namespace
}  // namespace ihub
