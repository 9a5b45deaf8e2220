#include "store/huge_page_array.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace ihub {
namespace {

struct Cell {
  uint64_t value = 7;  // not zero, so value-initialization is visible
  char pad[56];
};

// The VmFlags line of the mapping that holds `p`, from /proc/self/smaps.
std::string VmFlagsOf(const void* p) {
  const auto addr = reinterpret_cast<uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t lo = 0, hi = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 && line.find(':') > line.find(' ')) {
      inside = lo <= addr && addr < hi;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

TEST(HugePageArrayTest, SmallArrayComesFromTheHeapValueInitialized) {
  HugePageArray<Cell> a(100);
  ASSERT_NE(a.get(), nullptr);
  EXPECT_FALSE(a.mapped());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].value, 7u);
}

// Between 64 KiB and 2 MiB: its own mapping (returned to the kernel when freed), ordinary pages.
TEST(HugePageArrayTest, MediumArrayIsMappedWithoutHugePages) {
  const size_t n = kMapThreshold / sizeof(Cell) + 3;
  HugePageArray<Cell> a(n);
  EXPECT_TRUE(a.mapped());
  EXPECT_FALSE(a.huge_pages_advised());
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(a[i].value, 7u) << i;
  a[n - 1].value = 9;
  EXPECT_EQ(a[n - 1].value, 9u);
  EXPECT_EQ(VmFlagsOf(a.get()).find(" hg"), std::string::npos) << VmFlagsOf(a.get());
}

TEST(HugePageArrayTest, LargeArrayIsAlignedAdvisedAndValueInitialized) {
  const size_t n = 3 * kHugePage / sizeof(Cell) + 1;  // not a whole number of huge pages
  HugePageArray<Cell> a(n);
  ASSERT_TRUE(a.huge_pages_advised());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.get()) % kHugePage, 0u);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(a[i].value, 7u) << i;
  a[n - 1].value = 9;  // the last element is inside the mapping
  EXPECT_EQ(a[n - 1].value, 9u);
  // "hg": the kernel recorded MADV_HUGEPAGE for the mapping (man 5 proc). A kernel built without
  // THP refuses the advice, which the array tolerates.
  if (!std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled")) GTEST_SKIP() << "no THP";
  EXPECT_NE(VmFlagsOf(a.get()).find(" hg"), std::string::npos) << VmFlagsOf(a.get());
}

TEST(HugePageArrayTest, MoveTransfersOwnership) {
  HugePageArray<Cell> a(kHugePage / sizeof(Cell));
  a[3].value = 42;
  Cell* data = a.get();
  HugePageArray<Cell> b(std::move(a));
  EXPECT_EQ(b.get(), data);
  EXPECT_EQ(b[3].value, 42u);
  EXPECT_EQ(a.get(), nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state is defined
  HugePageArray<Cell> c(10);
  c = std::move(b);  // releases c's heap block, takes b's mapping
  EXPECT_EQ(c.get(), data);
  EXPECT_TRUE(c.huge_pages_advised());
}

}  // namespace
}  // namespace ihub
