#include "store/crc32c.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace ihub {
namespace {

TEST(Crc32cTest, KnownVectors) {
  // RFC 3720 (iSCSI) appendix B.4 and the standard check value.
  EXPECT_EQ(crc32c::Value("123456789"), 0xe3069283u);
  EXPECT_EQ(crc32c::Value(std::string(32, '\0')), 0x8a9136aau);
  EXPECT_EQ(crc32c::Value(std::string(32, '\xff')), 0x62a8ab43u);
  std::string ascending;
  for (int i = 0; i < 32; ++i) ascending.push_back(static_cast<char>(i));
  EXPECT_EQ(crc32c::Value(ascending), 0x46dd794eu);
  EXPECT_EQ(crc32c::Value(""), 0u);
}

TEST(Crc32cTest, ExtendEqualsWhole) {
  std::string s = "hello, group commit and snapshots";
  for (size_t cut = 0; cut <= s.size(); ++cut) {
    uint32_t part = crc32c::Extend(0, s.data(), cut);
    EXPECT_EQ(crc32c::Extend(part, s.data() + cut, s.size() - cut), crc32c::Value(s)) << cut;
  }
}

TEST(Crc32cTest, HardwareMatchesPortableAtEveryLengthAndAlignment) {
  std::mt19937 rng(7);
  std::string buf(300, '\0');
  for (char& c : buf) c = static_cast<char>(rng());
  for (size_t off = 0; off < 9; ++off) {
    for (size_t len = 0; off + len <= buf.size(); len += 7) {
      EXPECT_EQ(crc32c::Extend(5, buf.data() + off, len),
                crc32c::ExtendPortable(5, buf.data() + off, len));
    }
  }
}

TEST(Crc32cTest, MaskRoundTripsAndDiffers) {
  for (uint32_t c : {0u, 1u, 0xe3069283u, 0xffffffffu}) {
    EXPECT_EQ(crc32c::Unmask(crc32c::Mask(c)), c);
    EXPECT_NE(crc32c::Mask(c), c);
  }
}

TEST(Crc32cTest, DetectsSingleBitFlips) {
  std::string s(64, 'a');
  uint32_t base = crc32c::Value(s);
  for (size_t bit = 0; bit < s.size() * 8; ++bit) {
    std::string t = s;
    t[bit / 8] = static_cast<char>(t[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_NE(crc32c::Value(t), base);
  }
}

}  // namespace
}  // namespace ihub
