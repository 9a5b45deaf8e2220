#include "tools/ihub_bench/histogram.h"

#include <gtest/gtest.h>

#include <random>

namespace ihub::bench {
namespace {

TEST(HistogramTest, EmptyAnswersZero) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.ValueAtPercentile(50), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.min(), 0u);
}

TEST(HistogramTest, BucketsHoldTheirValuesWithinOnePercent) {
  for (uint64_t v = 1; v < Histogram::kMaxValueNs; v = v * 17 / 16 + 1) {
    const int b = Histogram::BucketOf(v);
    EXPECT_GE(Histogram::BucketUpper(b), v) << v;
    EXPECT_LE(static_cast<double>(Histogram::BucketUpper(b) - v), v * 0.01) << v;
    if (b > 0) {
      EXPECT_LT(Histogram::BucketUpper(b - 1), v) << v;
    }
  }
  EXPECT_LT(Histogram::BucketOf(Histogram::kMaxValueNs), 4000);
}

TEST(HistogramTest, PercentilesOfAUniformSpread) {
  Histogram h;
  // 1..10000 µs, once each.
  for (uint64_t us = 1; us <= 10000; ++us) h.Record(us * 1000);
  EXPECT_EQ(h.count(), 10000u);
  EXPECT_NEAR(h.ValueAtPercentile(50), 5'000'000, 5'000'000 * 0.01);
  EXPECT_NEAR(h.ValueAtPercentile(90), 9'000'000, 9'000'000 * 0.01);
  EXPECT_NEAR(h.ValueAtPercentile(99), 9'900'000, 9'900'000 * 0.01);
  EXPECT_NEAR(h.ValueAtPercentile(99.9), 9'990'000, 9'990'000 * 0.01);
  EXPECT_EQ(h.ValueAtPercentile(100), 10'000'000u);
  EXPECT_EQ(h.max(), 10'000'000u);
  EXPECT_EQ(h.min(), 1'000u);
  EXPECT_DOUBLE_EQ(h.Mean(), 5'000'500.0);
}

TEST(HistogramTest, TailIsNotHiddenByTheBulk) {
  Histogram h;
  for (int i = 0; i < 999; ++i) h.Record(100'000);  // 100 µs
  h.Record(50'000'000);                             // one 50 ms outlier
  EXPECT_NEAR(h.ValueAtPercentile(99.9), 100'000, 1'000);
  EXPECT_EQ(h.ValueAtPercentile(99.95), 50'000'000u);
  EXPECT_EQ(h.max(), 50'000'000u);
}

TEST(HistogramTest, ClampsToTheTrackedRange) {
  Histogram h;
  h.Record(1);
  h.Record(Histogram::kMaxValueNs * 10);
  EXPECT_EQ(h.min(), Histogram::kMinValueNs);
  EXPECT_EQ(h.max(), Histogram::kMaxValueNs);
  EXPECT_EQ(h.ValueAtPercentile(100), Histogram::kMaxValueNs);
}

TEST(HistogramTest, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(12.0, 1.0);  // ~160 µs median, long tail
  Histogram a, b, all;
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<uint64_t>(dist(rng));
    (i % 3 ? a : b).Record(v);
    all.Record(v);
  }
  a.Add(b);
  EXPECT_EQ(a.count(), all.count());
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9, 100.0})
    EXPECT_EQ(a.ValueAtPercentile(p), all.ValueAtPercentile(p)) << p;
  EXPECT_EQ(a.max(), all.max());
  EXPECT_DOUBLE_EQ(a.Mean(), all.Mean());
}

}  // namespace
}  // namespace ihub::bench
