#include "store/secrets.h"

#include <algorithm>
#include <array>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace ihub {
namespace {

class SecretsTest : public ::testing::Test {};

TEST_F(SecretsTest, Sha256MatchesKnownVectors) {
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(SecretsTest, IdsAndKeysHaveTheDecidedFormats) {
  const std::string id = NewId();
  EXPECT_EQ(id.size(), 22u);
  EXPECT_TRUE(IsBase62(id));
  const std::string key = NewApiKey();
  ASSERT_EQ(key.size(), 4u + 40u);
  EXPECT_EQ(key.substr(0, 4), "ihk_");
  EXPECT_TRUE(IsBase62(key.substr(4)));
  const std::string root = NewRootKey();
  ASSERT_EQ(root.size(), 10u + 40u);
  EXPECT_EQ(root.substr(0, 10), "ihub_root_");
  EXPECT_TRUE(IsBase62(root.substr(10)));
  EXPECT_NE(NewId(), NewId());
}

TEST_F(SecretsTest, RandomBase62IsRoughlyUniform) {
  std::array<int, 62> counts{};
  const std::string s = RandomBase62(62 * 2000);
  ASSERT_EQ(s.size(), 62u * 2000);
  for (char c : s) ++counts[kBase62Alphabet.find(c)];
  // Each count is Binomial(124000, 1/62): mean 2000, sd ~44. A modulo-biased draw from bytes
  // would give the first 8 characters ~2060 on average but this test guards gross failures.
  for (int n : counts) {
    EXPECT_GT(n, 1750);
    EXPECT_LT(n, 2250);
  }
  EXPECT_TRUE(RandomBase62(0).empty());
}

// RandomBytes serves small draws from a per-thread pool refilled 4 KiB at a time: draws that
// straddle refills must still never repeat, and every byte value must turn up.
TEST_F(SecretsTest, RandomBytesAcrossPoolRefillsNeverRepeat) {
  std::set<std::string> seen;
  std::array<size_t, 256> counts{};
  for (int i = 0; i < 2000; ++i) {
    std::array<uint8_t, 200> chunk{};  // 200 does not divide 4096: draws cross refills
    RandomBytes(chunk);
    for (uint8_t b : chunk) ++counts[b];
    EXPECT_TRUE(seen.emplace(chunk.begin(), chunk.end()).second);
  }
  for (size_t c : counts) EXPECT_GT(c, 1000u);  // 400,000 bytes: ~1,560 expected per value
  std::array<uint8_t, 1000> large{};  // beyond the pool's largest draw
  RandomBytes(large);
  EXPECT_NE(std::count(large.begin(), large.end(), 0), 1000);
}

TEST_F(SecretsTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret1"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals(Sha256("a"), Sha256("a")));
  EXPECT_FALSE(ConstantTimeEquals(Sha256("a"), Sha256("b")));
}

TEST_F(SecretsTest, HexRoundTripsAndRejectsBadInput) {
  const Digest d = Sha256("round trip");
  const std::string hex = HexEncode(d);
  EXPECT_EQ(DigestFromHex(hex), d);
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_EQ(DigestFromHex(upper), d);
  EXPECT_FALSE(DigestFromHex(hex.substr(1)).has_value());
  EXPECT_FALSE(DigestFromHex("g" + hex.substr(1)).has_value());
}

TEST_F(SecretsTest, IsBase62RejectsOtherCharacters) {
  EXPECT_TRUE(IsBase62("aZ09"));
  EXPECT_FALSE(IsBase62(""));
  EXPECT_FALSE(IsBase62("ab-c"));
  EXPECT_FALSE(IsBase62("ab_c"));
}

}  // namespace
}  // namespace ihub
