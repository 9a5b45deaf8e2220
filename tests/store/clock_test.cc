#include "store/clock.h"

#include <chrono>

#include <gtest/gtest.h>

namespace ihub {
namespace {

class ClockTest : public ::testing::Test {
 protected:
  Clock clock_;
};

TEST_F(ClockTest, ReadsWallTime) {
  const int64_t system_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  // Coarse clock: within a few ticks of the precise one.
  EXPECT_NEAR(double(clock_.NowMs()), double(system_ms), 50.0);
  EXPECT_EQ(clock_.NowSeconds(), clock_.NowMs() / 1000);
}

TEST_F(ClockTest, AdvanceMovesTimeForward) {
  const int64_t before = clock_.NowSeconds();
  clock_.TEST_Advance(3600 * 1000);
  const int64_t after = clock_.NowSeconds();
  EXPECT_GE(after - before, 3600);
  EXPECT_LE(after - before, 3601);
  Clock other;  // offsets are per clock
  EXPECT_LT(other.NowSeconds(), after);
}

}  // namespace
}  // namespace ihub
