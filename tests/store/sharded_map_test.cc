#include "store/sharded_map.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/secrets.h"

namespace ihub {
namespace {

using StringMap = ShardedMap<std::string, int>;

class ShardedMapTest : public ::testing::Test {
 protected:
  StringMap map_;
};

TEST_F(ShardedMapTest, PutGetEraseRoundTrip) {
  EXPECT_FALSE(map_.Contains("a"));
  map_.Put("a", 1);
  map_.Put("b", 2);
  EXPECT_EQ(map_.Get(std::string("a")), 1);
  EXPECT_EQ(map_.Get(std::string_view("b")), 2);
  EXPECT_EQ(map_.size(), 2u);
  map_.Put("a", 10);  // replaces
  EXPECT_EQ(map_.Get("a"), 10);
  EXPECT_EQ(map_.size(), 2u);
  EXPECT_TRUE(map_.Erase(std::string_view("a")));
  EXPECT_FALSE(map_.Erase("a"));
  EXPECT_FALSE(map_.Get("a").has_value());
  EXPECT_EQ(map_.size(), 1u);
}

TEST_F(ShardedMapTest, ReadCallsBackOnlyWhenPresent) {
  map_.Put("k", 7);
  int seen = 0;
  EXPECT_TRUE(map_.Read(std::string_view("k"), [&](const int& v) { seen = v; }));
  EXPECT_EQ(seen, 7);
  EXPECT_FALSE(map_.Read(std::string_view("missing"), [&](const int&) { seen = -1; }));
  EXPECT_EQ(seen, 7);
}

TEST_F(ShardedMapTest, MutateChangesInPlaceAndReportsAbsence) {
  map_.Put("k", 1);
  EXPECT_TRUE(map_.Mutate("k", [](int& v) { v += 41; }));
  EXPECT_EQ(map_.Get("k"), 42);
  EXPECT_FALSE(map_.Mutate("nope", [](int& v) { v = 0; }));
  EXPECT_FALSE(map_.Contains("nope"));
}

TEST_F(ShardedMapTest, KeysSpreadEvenlyOverShards) {
  constexpr int kKeys = 64000;
  std::vector<int> per_shard(StringMap::kShards);
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = "org-" + std::to_string(i);
    map_.Put(key, i);
    ++per_shard[map_.ShardOf(key)];
  }
  const double expected = double(kKeys) / StringMap::kShards;  // 1000
  for (size_t s = 0; s < StringMap::kShards; ++s) {
    // Binomial sd is ~31; 20% is > 6 sd away for a good hash.
    EXPECT_GT(per_shard[s], expected * 0.8) << "shard " << s;
    EXPECT_LT(per_shard[s], expected * 1.2) << "shard " << s;
    size_t n = 0;
    map_.ForEachInShard(s, [&](const std::string& k, const int&) {
      EXPECT_EQ(map_.ShardOf(k), s);
      ++n;
    });
    EXPECT_EQ(n, size_t(per_shard[s]));
  }
  EXPECT_EQ(map_.size(), size_t(kKeys));
}

TEST_F(ShardedMapTest, ForEachVisitsEveryEntryOnce) {
  for (int i = 0; i < 1000; ++i) map_.Put(std::to_string(i), i);
  long sum = 0;
  size_t n = 0;
  map_.ForEach([&](const std::string& k, const int& v) {
    EXPECT_EQ(k, std::to_string(v));
    sum += v;
    ++n;
  });
  EXPECT_EQ(n, 1000u);
  EXPECT_EQ(sum, 999L * 1000 / 2);
}

TEST_F(ShardedMapTest, EraseIfRemovesMatchesAndCounts) {
  for (int i = 0; i < 1000; ++i) map_.Put(std::to_string(i), i);
  EXPECT_EQ(map_.EraseIf([](const std::string&, const int& v) { return v % 3 == 0; }), 334u);
  EXPECT_EQ(map_.size(), 666u);
  EXPECT_FALSE(map_.Contains("3"));
  EXPECT_TRUE(map_.Contains("4"));
}

TEST_F(ShardedMapTest, LockedMembersWorkUnderCallerHeldLock) {
  const std::string key = "locked";
  {
    std::unique_lock lock(map_.shard_mutex(map_.ShardOf(key)));
    map_.PutLocked(key, 5);
    ASSERT_NE(map_.FindLocked(key), nullptr);
    EXPECT_EQ(*map_.FindLocked(key), 5);
  }
  EXPECT_EQ(map_.Get(key), 5);
  {
    std::unique_lock lock(map_.shard_mutex(map_.ShardOf(key)));
    EXPECT_TRUE(map_.EraseLocked(key));
    EXPECT_EQ(map_.FindLocked(key), nullptr);
  }
  EXPECT_EQ(map_.size(), 0u);
}

TEST_F(ShardedMapTest, AvalanchingDigestKeysUseAllShards) {
  ShardedMap<Digest, int, DigestHash> digests;
  std::vector<int> per_shard(decltype(digests)::kShards);
  for (int i = 0; i < 6400; ++i) {
    const Digest d = Sha256(std::to_string(i));
    digests.Put(d, i);
    ++per_shard[digests.ShardOf(d)];
  }
  for (int n : per_shard) EXPECT_GT(n, 40);
  EXPECT_EQ(digests.Get(Sha256("17")), 17);
  EXPECT_FALSE(digests.Contains(Sha256("x")));
}

TEST_F(ShardedMapTest, OneShardMapStillWorks) {
  ShardedMap<int, int, DefaultShardHash, 0> single;
  for (int i = 0; i < 100; ++i) single.Put(i, -i);
  EXPECT_EQ(single.size(), 100u);
  EXPECT_EQ(single.Get(42), -42);
}

// Readers and writers on many threads. Each value is key*1000+version, so a reader can check it
// never sees a torn or foreign value; under ThreadSanitizer this also checks the locking.
TEST_F(ShardedMapTest, ConcurrentReadersAndWritersStayConsistent) {
  constexpr int kKeys = 512;
  for (int i = 0; i < kKeys; ++i) map_.Put(std::to_string(i), i * 1000);
  std::atomic<bool> stop{false};
  std::atomic<long> bad{0}, reads{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      unsigned x = 12345u + t;
      while (!stop.load(std::memory_order_relaxed)) {
        x = x * 1103515245u + 12345u;
        const int k = int(x >> 8) % kKeys;
        const std::string key = std::to_string(k);
        map_.Read(std::string_view(key), [&](const int& v) {
          if (v / 1000 != k) bad.fetch_add(1);
        });
        reads.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (int k = t; k < kKeys; k += 2) {
          const std::string key = std::to_string(k);
          if (round % 5 == 4) {
            map_.Erase(key);
          } else {
            map_.Put(key, k * 1000 + round);
            map_.Mutate(key, [&](int& v) { v = k * 1000 + round + 1; });
          }
        }
        map_.ForEach([&](const std::string& key, const int& v) {
          if (std::to_string(v / 1000) != key) bad.fetch_add(1);
        });
        (void)map_.size();
      }
    });
  }
  for (size_t i = 4; i < threads.size(); ++i) threads[i].join();
  stop = true;
  for (int i = 0; i < 4; ++i) threads[i].join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
  size_t counted = 0;
  map_.ForEach([&](const std::string&, const int&) { ++counted; });
  EXPECT_EQ(counted, map_.size());
}

}  // namespace
}  // namespace ihub
