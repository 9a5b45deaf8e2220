#include "codec/time_format.h"

#include <gtest/gtest.h>

#include <chrono>

namespace ihub {
namespace {

TEST(TimeFormatTest, SeedExamples) {
  // 2020-06-11T01:17:46.499Z as in the Centrapay seed.
  EXPECT_EQ(FormatIso8601Millis(1591838266499), "2020-06-11T01:17:46.499Z");
  EXPECT_EQ(FormatCapillaryTime(1586960046104), "2020-04-15T14:14:06.104+0000");
  EXPECT_EQ(FormatIso8601Millis(0), "1970-01-01T00:00:00.000Z");
}

TEST(TimeFormatTest, LeapYears) {
  // 2020-02-29 exists; 2100 is not a leap year; 2000 is.
  EXPECT_EQ(FormatIso8601Millis(1582934400000), "2020-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601Millis(1583020799999), "2020-02-29T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601Millis(1583020800000), "2020-03-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601Millis(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601Millis(4107542400000), "2100-03-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601Millis(4107542400000 - 1), "2100-02-28T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601Millis(1609459199999), "2020-12-31T23:59:59.999Z");  // day 366
}

TEST(TimeFormatTest, BeforeEpochAndClamping) {
  EXPECT_EQ(FormatIso8601Millis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601Millis(-86400000), "1969-12-31T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601Millis(INT64_MAX), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601Millis(INT64_MIN), "0000-01-01T00:00:00.000Z");
}

TEST(TimeFormatTest, MillisecondsFloorNeverRoundUp) {
  using namespace std::chrono;
  const system_clock::time_point tp{microseconds(1591838266499999)};
  EXPECT_EQ(ToEpochMillis(tp), 1591838266499);
  EXPECT_EQ(FormatIso8601Millis(ToEpochMillis(tp)), "2020-06-11T01:17:46.499Z");
  const system_clock::time_point almost{microseconds(1591838266999999)};
  EXPECT_EQ(FormatIso8601Millis(ToEpochMillis(almost)), "2020-06-11T01:17:46.999Z");
  const system_clock::time_point before{microseconds(-1)};
  EXPECT_EQ(ToEpochMillis(before), -1);
}

TEST(TimeFormatTest, AppendsToBuffer) {
  std::string out = "x";
  AppendIso8601Millis(out, 0);
  AppendCapillaryTime(out, 0);
  EXPECT_EQ(out, "x1970-01-01T00:00:00.000Z1970-01-01T00:00:00.000+0000");
}

TEST(TimeFormatTest, ParseRoundTripsEveryDayOfAFourHundredYearCycle) {
  // 2000-01-01 .. 2400-01-01 one day (plus odd milliseconds) at a time.
  for (int64_t ms = 946684800000; ms < 13569465600000; ms += 86400000 + 3723) {
    const std::string iso = FormatIso8601Millis(ms);
    ASSERT_EQ(*ParseIso8601Millis(iso), ms) << iso;
  }
}

TEST(TimeFormatTest, ParseVariantsAndRejects) {
  EXPECT_EQ(*ParseIso8601Millis("2020-04-15T14:14:06.104+0000"), 1586960046104);
  EXPECT_EQ(*ParseIso8601Millis("2020-06-11T01:17:46Z"), 1591838266000);
  EXPECT_EQ(*ParseIso8601Millis("2020-06-11T01:17:46.4Z"), 1591838266400);
  EXPECT_EQ(*ParseIso8601Millis("2020-06-11T01:17:46.499999+00:00"), 1591838266499);
  for (const char* bad :
       {"", "2020-06-11", "2020-06-11T01:17:46", "2020-06-11T01:17:46.Z",
        "2020-06-11T01:17:46+0530", "2021-02-29T00:00:00Z", "2020-13-01T00:00:00Z",
        "2020-06-11T24:00:00Z", "2020-06-11 01:17:46Z", "2020-06-31T00:00:00Z"}) {
    EXPECT_FALSE(ParseIso8601Millis(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace ihub
