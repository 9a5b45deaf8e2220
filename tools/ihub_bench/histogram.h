// Histogram: an HDR-style latency histogram with log-linear buckets, written for ihub-bench.
//
// Values are nanoseconds, clamped to [kMinValueNs, kMaxValueNs] (1 µs .. 60 s). Below 2^kSubBits
// every value has its own bucket; above, each power of two is split into 2^(kSubBits-1) equal
// buckets, so a bucket is never wider than 1/128 of its values (< 0.8% error). Recording is a
// bit scan and an increment: no allocation, no lock.
//
// Thread-safety: none. Each driver thread owns one histogram; the main thread merges them with
// Add() after the threads have joined.
#pragma once

#include <array>
#include <cstdint>

namespace ihub::bench {

class Histogram {
 public:
  static constexpr int kSubBits = 8;
  static constexpr uint64_t kMinValueNs = 1'000;
  static constexpr uint64_t kMaxValueNs = 60'000'000'000;

  // Adds one observation of `value_ns` (clamped to the tracked range).
  void Record(uint64_t value_ns);
  // Adds every observation of `other` to this histogram.
  void Add(const Histogram& other);
  // Forgets every observation.
  void Clear();

  uint64_t count() const { return count_; }
  // Smallest and largest recorded values, exact (after clamping); 0 when empty.
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  // Mean of the recorded values, exact; 0 when empty.
  double Mean() const { return count_ ? static_cast<double>(sum_) / count_ : 0.0; }

  // Returns the value at `percentile` (0..100]: the highest value of the bucket holding the
  // ceil(percentile% * count)-th smallest observation, capped at max(). 0 when empty.
  uint64_t ValueAtPercentile(double percentile) const;

  // Bucket mapping, exposed for tests: BucketOf(v) holds v, and BucketUpper(b) is the largest
  // value that maps to bucket b.
  static int BucketOf(uint64_t value);
  static uint64_t BucketUpper(int bucket);

 private:
  // Highest bucket needed for kMaxValueNs (msb 35): see BucketOf.
  static constexpr int kBuckets = (1 << kSubBits) + (36 - kSubBits) * (1 << (kSubBits - 1));

  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace ihub::bench
