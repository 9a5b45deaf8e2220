#include "store/inline_string.h"

#include <sstream>
#include <string>

#include <cereal/archives/binary.hpp>
#include <cereal/archives/json.hpp>
#include <cereal/types/string.hpp>
#include <gtest/gtest.h>

namespace ihub {
namespace {

using Id = InlineString<31>;

template <typename OutArchive, typename T>
std::string Serialize(const T& value) {
  std::ostringstream os;
  {
    OutArchive ar(os);
    ar(value);
  }
  return os.str();
}

TEST(InlineStringTest, HoldsAndComparesLikeItsBytes) {
  const Id id("OIG23Qg4H5FEJl7ebN8VkQ");
  EXPECT_EQ(id.view(), "OIG23Qg4H5FEJl7ebN8VkQ");
  EXPECT_EQ(id.size(), 22u);
  EXPECT_TRUE(id == std::string("OIG23Qg4H5FEJl7ebN8VkQ"));
  EXPECT_FALSE(id == std::string_view("OIG23Qg4H5FEJl7ebN8Vk"));  // a prefix is not equal
  EXPECT_TRUE(Id().empty());
  Id reassigned("a much longer value of thirty1");
  reassigned = std::string_view("b");
  EXPECT_EQ(reassigned.view(), "b");
  EXPECT_TRUE(Id::Fits(std::string(31, 'x')));
  EXPECT_FALSE(Id::Fits(std::string(32, 'x')));
}

// A record that changes a field from std::string to InlineString keeps its snapshot and export
// forms: the golden snapshot test checks a whole file; this checks the field on its own.
TEST(InlineStringTest, SerializesExactlyAsAStdString) {
  const std::string text = "OIG23Qg4H5FEJl7ebN8VkQ";
  EXPECT_EQ(Serialize<cereal::BinaryOutputArchive>(Id(text)),
            Serialize<cereal::BinaryOutputArchive>(text));
  EXPECT_EQ(Serialize<cereal::JSONOutputArchive>(Id(text)),
            Serialize<cereal::JSONOutputArchive>(text));

  std::istringstream is(Serialize<cereal::BinaryOutputArchive>(text));
  Id loaded;
  {
    cereal::BinaryInputArchive ar(is);
    ar(loaded);
  }
  EXPECT_EQ(loaded.view(), text);
}

TEST(InlineStringTest, LoadingALongerStringThrowsInsteadOfTruncating) {
  std::istringstream is(Serialize<cereal::BinaryOutputArchive>(std::string(32, 'x')));
  cereal::BinaryInputArchive ar(is);
  Id loaded;
  EXPECT_THROW(ar(loaded), cereal::Exception);
}

}  // namespace
}  // namespace ihub
