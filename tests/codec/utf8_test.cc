#include "codec/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace ihub {
namespace {

TEST(Utf8Test, ValidAndInvalidSequences) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii that is longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));
  for (const char* bad : {"\x80", "\xc3", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80",
                          "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff",
                          "\xe2\x82"}) {
    // The bad sequence at every offset, so the 8-byte fast path cannot step over it.
    for (size_t pad = 0; pad < 12; ++pad) {
      EXPECT_FALSE(IsValidUtf8(std::string(pad, 'a') + bad + "tail")) << pad;
    }
  }
}

TEST(Utf8Test, CountCodePointsAtEveryLength) {
  std::string s;
  for (size_t i = 0; i < 40; ++i) {
    EXPECT_EQ(CountCodePoints(s), i);
    s += (i % 3 == 0) ? "\xc3\xa9" : (i % 3 == 1 ? "x" : "\xf0\x9f\x98\x80");
  }
}

}  // namespace
}  // namespace ihub
