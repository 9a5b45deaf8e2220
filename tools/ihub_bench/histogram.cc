#include "tools/ihub_bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace ihub::bench {
namespace {
constexpr uint64_t kSubCount = uint64_t{1} << Histogram::kSubBits;
constexpr uint64_t kHalfCount = kSubCount / 2;
}  // namespace

int Histogram::BucketOf(uint64_t value) {
  if (value < kSubCount) return static_cast<int>(value);
  // Shift so the top kSubBits bits remain: (value >> shift) is in [kHalfCount, kSubCount).
  const int msb = 63 - std::countl_zero(value);
  const int shift = msb - (kSubBits - 1);
  return static_cast<int>(kSubCount + (shift - 1) * kHalfCount + ((value >> shift) - kHalfCount));
}

uint64_t Histogram::BucketUpper(int bucket) {
  const auto b = static_cast<uint64_t>(bucket);
  if (b < kSubCount) return b;
  const uint64_t shift = (b - kSubCount) / kHalfCount + 1;
  const uint64_t mantissa = (b - kSubCount) % kHalfCount + kHalfCount;
  return ((mantissa + 1) << shift) - 1;
}

void Histogram::Record(uint64_t value_ns) {
  const uint64_t v = std::clamp(value_ns, kMinValueNs, kMaxValueNs);
  ++counts_[BucketOf(v)];
  ++count_;
  sum_ += v;
  min_ = std::min(min_, v);
  max_ = std::max(max_, v);
}

void Histogram::Add(const Histogram& other) {
  for (int i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void Histogram::Clear() { *this = Histogram(); }

uint64_t Histogram::ValueAtPercentile(double percentile) const {
  if (count_ == 0) return 0;
  const double p = std::clamp(percentile, 0.0, 100.0);
  // The rank of the observation wanted, 1-based; at least the first one.
  // The relative slack keeps 99.9% of 1000 at rank 999: 99.9 is not exact in binary.
  const double exact = p * static_cast<double>(count_) / 100.0;
  auto rank = static_cast<uint64_t>(std::ceil(exact - exact * 1e-12));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(BucketUpper(i), max_);
  }
  return max_;
}

}  // namespace ihub::bench
