#include "store/slot_map.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/token_record.h"

namespace ihub {
namespace {

struct Item {
  using Key = uint64_t;
  uint64_t id = 0;
  uint64_t payload = 0;
  const Key& key() const { return id; }
};

// The key is its own hash, so a test chooses the shard (high bits) and the home slot (low bits)
// and can pile keys onto one run or wrap a run around the end of the table.
struct IdentityHash {
  uint64_t operator()(uint64_t k) const { return k; }
};
using Map = SlotMap<Item, IdentityHash, 1>;  // two shards: bit 63 picks one

uint64_t InShard0(uint64_t low) { return low & ~(uint64_t{1} << 63); }

TEST(SlotMapTest, PutGetReplaceErase) {
  Map m;
  EXPECT_FALSE(m.Contains(5));
  m.Put(5, {5, 50});
  m.Put(6, {6, 60});
  EXPECT_EQ(m.Get(5)->payload, 50u);
  m.Put(5, {5, 55});  // replaces
  EXPECT_EQ(m.Get(5)->payload, 55u);
  EXPECT_EQ(m.size(), 2u);
  EXPECT_TRUE(m.Erase(5));
  EXPECT_FALSE(m.Erase(5));
  EXPECT_FALSE(m.Get(5).has_value());
  EXPECT_EQ(m.Get(6)->payload, 60u);
  EXPECT_EQ(m.size(), 1u);
}

// A shard past 2 MiB of slots moves to a HugePageArray mapping: everything stays findable
// across that growth, and erasing still shifts runs back within it.
TEST(SlotMapTest, AShardGrowsOntoHugePagesAndKeepsItsEntries) {
  Map m;
  constexpr uint64_t kItems = 40'000;  // one shard at 65,536 slots of 64 bytes: 4 MiB
  std::mt19937_64 rng(7);
  std::vector<uint64_t> keys;
  for (uint64_t i = 0; i < kItems; ++i) {
    keys.push_back(InShard0(rng()));
    m.Put(keys.back(), {keys.back(), i});
  }
  for (uint64_t i = 0; i < kItems; i += 2) ASSERT_TRUE(m.Erase(keys[i]));
  for (uint64_t i = 0; i < kItems; ++i) {
    auto got = m.Get(keys[i]);
    if (i % 2 == 0) {
      ASSERT_FALSE(got.has_value()) << i;
    } else {
      ASSERT_TRUE(got.has_value()) << i;
      EXPECT_EQ(got->payload, i);
    }
  }
  EXPECT_EQ(m.size(), kItems / 2);
}

TEST(SlotMapTest, EraseInsideACollidingRunKeepsTheRestFindable) {
  Map m;
  // Five keys with the same home slot (3 in a 16-slot shard), then one whose home is inside the
  // run: erasing from the middle must shift the later ones back without losing any.
  const std::vector<uint64_t> keys = {InShard0(3), InShard0(3 + 16), InShard0(3 + 32),
                                      InShard0(3 + 48), InShard0(5), InShard0(3 + 64)};
  for (uint64_t k : keys) m.Put(k, {k, k});
  ASSERT_TRUE(m.Erase(keys[1]));
  ASSERT_TRUE(m.Erase(keys[4]));
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(m.Contains(keys[i]), i != 1 && i != 4) << i;
  }
}

TEST(SlotMapTest, RunsWrapAroundTheEndOfTheTable) {
  Map m;
  const std::vector<uint64_t> keys = {InShard0(14), InShard0(15), InShard0(15 + 16),
                                      InShard0(14 + 16), InShard0(0)};
  for (uint64_t k : keys) m.Put(k, {k, 1});
  ASSERT_TRUE(m.Erase(keys[0]));
  ASSERT_TRUE(m.Erase(keys[1]));
  EXPECT_TRUE(m.Contains(keys[2]));
  EXPECT_TRUE(m.Contains(keys[3]));
  EXPECT_TRUE(m.Contains(keys[4]));
  EXPECT_EQ(m.size(), 3u);
}

TEST(SlotMapTest, MatchesAReferenceMapUnderRandomChurnAndGrowth) {
  Map m;
  std::map<uint64_t, uint64_t> ref;
  std::mt19937_64 rng(7);
  for (int step = 0; step < 200'000; ++step) {
    // Few distinct low bits so that runs collide, grow and wrap.
    const uint64_t k = (rng() & (uint64_t{1} << 63)) | (rng() % 5000);
    switch (rng() % 3) {
      case 0:
      case 1:
        m.Put(k, {k, static_cast<uint64_t>(step)});
        ref[k] = static_cast<uint64_t>(step);
        break;
      case 2:
        EXPECT_EQ(m.Erase(k), ref.erase(k) == 1);
        break;
    }
  }
  ASSERT_EQ(m.size(), ref.size());
  for (const auto& [k, v] : ref) ASSERT_EQ(m.Get(k)->payload, v) << k;
  size_t seen = 0;
  m.ForEach([&](const uint64_t& k, const Item& item) {
    ++seen;
    EXPECT_EQ(ref.at(k), item.payload);
  });
  EXPECT_EQ(seen, ref.size());
}

TEST(SlotMapTest, EraseIfRemovesExactlyTheMatches) {
  Map m;
  for (uint64_t i = 0; i < 5000; ++i) {
    const uint64_t k = (i % 2 == 0 ? 0 : uint64_t{1} << 63) | (i * 7 % 300);  // colliding homes
    m.Put(k, {k, i});
  }
  const size_t before = m.size();
  size_t odd_payloads = 0;
  m.ForEach([&](const uint64_t&, const Item& item) { odd_payloads += item.payload % 2; });
  EXPECT_EQ(m.EraseIf([](const uint64_t&, const Item& item) { return item.payload % 2 == 1; }),
            odd_payloads);
  EXPECT_EQ(m.size(), before - odd_payloads);
  m.ForEach([](const uint64_t&, const Item& item) { EXPECT_EQ(item.payload % 2, 0u); });
}

TEST(SlotMapTest, ATokenRecordTakesOneCacheLine) {
  // The point of the map: a token lookup reads one line. A bigger TokenRecord would spill.
  EXPECT_LE(sizeof(TokenRecord) + 1, 64u);
}

TEST(SlotMapTest, ReadersSeeWholeRecordsWhileAWriterGrowsAndErases) {
  SlotMap<Item, IdentityHash, 2> m;
  for (uint64_t k = 0; k < 1000; ++k) m.Put(k, {k, k * 3});  // shard 0; readers watch these
  std::atomic<bool> stop{false};
  std::atomic<int64_t> torn{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      uint64_t k = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        const bool found = m.Read(k, [&](const Item& item) {
          if (item.payload != item.id * 3) torn.fetch_add(1);
        });
        if (!found) torn.fetch_add(1);
        k = (k + 1) % 1000;
        std::this_thread::yield();  // glibc's rwlock prefers readers: leave the writer gaps
      }
    });
  }
  for (uint64_t k = 1000; k < 9000; ++k) m.Put(k, {k, k * 3});  // grows shard 0 three times
  for (uint64_t k = 1000; k < 9000; k += 2) m.Erase(k);
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(torn.load(), 0);
}

// Prefetch reads a shard's table address without the lock while Grow replaces the table: the
// address travels through atomics (TSan checks this in CI), and a stale one is only a wasted load.
TEST(SlotMapTest, PrefetchIsAHintThatNeverChangesWhatReadsSee) {
  SlotMap<Item, IdentityHash, 2> m;
  m.Prefetch(42);  // a shard with no table yet
  EXPECT_FALSE(m.Contains(42));
  std::atomic<bool> stop{false};
  std::atomic<int64_t> wrong{0};
  std::thread reader([&] {
    std::mt19937_64 rng(7);
    while (!stop.load(std::memory_order_relaxed)) {
      const uint64_t k = rng() % 20000;  // half of them never inserted
      m.Prefetch(k);
      m.Read(k, [&](const Item& item) {
        if (item.payload != item.id * 3) wrong.fetch_add(1);
      });
      std::this_thread::yield();
    }
  });
  for (uint64_t k = 0; k < 10000; ++k) m.Put(k, {k, k * 3});  // grows shard 0 again and again
  stop = true;
  reader.join();
  EXPECT_EQ(wrong.load(), 0);
  for (uint64_t k = 0; k < 10000; k += 997) {
    m.Prefetch(k);
    EXPECT_EQ(m.Get(k)->payload, k * 3);
  }
}

}  // namespace
}  // namespace ihub
