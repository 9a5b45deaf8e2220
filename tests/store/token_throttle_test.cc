#include "store/auth_throttle.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ihub {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;

class AuthThrottleTest : public ::testing::Test {
 protected:
  // Records `n` failures of `key` at `now`; returns the last RecordFailure result.
  int64_t Fail(std::string_view key, int n, int64_t now) {
    int64_t r = 0;
    for (int i = 0; i < n; ++i) r = throttle_.RecordFailure(key, now);
    return r;
  }
  AuthThrottle throttle_;
};

TEST_F(AuthThrottleTest, TenFailuresAreAllowedTheEleventhLocks) {
  EXPECT_EQ(Fail("client-a", 10, kT0), 0);
  EXPECT_EQ(throttle_.RetryAfterSeconds("client-a", kT0), 0);
  EXPECT_EQ(throttle_.RecordFailure("client-a", kT0 + 1000), 30);
  EXPECT_EQ(throttle_.RetryAfterSeconds("client-a", kT0 + 1000), 30);
  EXPECT_EQ(throttle_.RetryAfterSeconds("client-a", kT0 + 30'500), 1);  // rounded up
  EXPECT_EQ(throttle_.RetryAfterSeconds("client-a", kT0 + 31'000), 0);
  EXPECT_EQ(throttle_.RetryAfterSeconds("client-b", kT0 + 1000), 0);  // other keys unaffected
}

TEST_F(AuthThrottleTest, FailuresSpreadOverWindowsDoNotLock) {
  EXPECT_EQ(Fail("k", 10, kT0), 0);
  EXPECT_EQ(Fail("k", 10, kT0 + 60'000), 0);  // a new window
  EXPECT_EQ(throttle_.RetryAfterSeconds("k", kT0 + 60'000), 0);
}

TEST_F(AuthThrottleTest, LocksDoubleUpToTheCap) {
  int64_t now = kT0;
  std::vector<int64_t> periods;
  for (int i = 0; i < 8; ++i) {
    periods.push_back(Fail("k", 11, now));
    now += periods.back() * 1000;  // wait the lock out
  }
  EXPECT_EQ(periods, (std::vector<int64_t>{30, 60, 120, 240, 480, 900, 900, 900}));
}

TEST_F(AuthThrottleTest, FailuresWhileLockedDoNotExtendTheLock) {
  Fail("k", 11, kT0);
  EXPECT_EQ(throttle_.RecordFailure("k", kT0 + 10'000), 20);
  EXPECT_EQ(throttle_.RetryAfterSeconds("k", kT0 + 30'000), 0);
}

TEST_F(AuthThrottleTest, SuccessForgetsEverything) {
  Fail("k", 11, kT0);
  throttle_.RecordSuccess("k");
  EXPECT_EQ(throttle_.RetryAfterSeconds("k", kT0), 0);
  EXPECT_EQ(throttle_.size(), 0u);
  EXPECT_EQ(Fail("k", 11, kT0), 30);  // escalation restarted
}

TEST_F(AuthThrottleTest, SweepDropsQuietEntriesOnly) {
  Fail("quiet", 3, kT0);
  Fail("locked", 11, kT0 + 3'599'000);
  EXPECT_EQ(throttle_.Sweep(kT0 + 3'600'000), 1u);
  EXPECT_EQ(throttle_.size(), 1u);
  EXPECT_GT(throttle_.RetryAfterSeconds("locked", kT0 + 3'600'000), 0);
}

TEST_F(AuthThrottleTest, ConcurrentFailuresAreAllCounted) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) throttle_.RecordFailure("key-" + std::to_string(i), kT0);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(throttle_.size(), 1000u);
  // Each key failed 4 times: under the limit.
  EXPECT_EQ(throttle_.RetryAfterSeconds("key-7", kT0), 0);
  EXPECT_EQ(Fail("key-7", 7, kT0), 30);
}

}  // namespace
}  // namespace ihub
