#include "engine/value/arena.h"

#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "engine/value/rep.h"
#include "engine/value/value.h"
#include "gtest/gtest.h"

namespace policyd::value_internal {
namespace {

// Resident bytes of the process (chunks are mapped from the kernel).
size_t BytesInUse() {
  std::ifstream statm("/proc/self/statm");
  size_t pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

TEST(ArenaTest, RepresentationsAreMarkedAndAligned) {
  Arena arena;
  Value s(MakeStringRep("a string longer than thirteen bytes", &arena));
  ASSERT_NE(s.rep(), nullptr);
  EXPECT_TRUE(s.rep()->flags & kInArena);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(s.rep()) % 8, 0u);
  EXPECT_EQ(s.string(), "a string longer than thirteen bytes");
}

// Chunks go back to the allocator with their last representation, whether
// the Arena or a value outlives the other.
TEST(ArenaTest, ChunksAreFreedWithTheirLastValue) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's shadow memory makes resident size meaningless";
#endif
  auto fill = [](std::vector<Value>* values, int strings) {
    Arena arena;
    for (int i = 0; i < strings; ++i) {
      values->emplace_back(MakeStringRep(std::string(40, 'a' + i % 26), &arena));
    }
    // A representation big enough for a chunk of its own.
    std::vector<Value> elems(5000, Value::Int(7));
    values->push_back(MakeSequence(Kind::kArray, absl::MakeSpan(elems), &arena));
  };
  {
    // Code and allocator state that the first use brings in.
    std::vector<Value> warm_up;
    fill(&warm_up, 100);
  }
  size_t before = BytesInUse();
  {
    std::vector<Value> values;
    values.reserve(50001);
    fill(&values, 50000);
    EXPECT_GT(BytesInUse(), before + 50000 * 40);
    EXPECT_EQ(values[49999].string(), std::string(40, 'a' + 49999 % 26));
    EXPECT_EQ(values.back().size(), 5000u);
  }
  EXPECT_LT(BytesInUse(), before + 256 * 1024);
}

}  // namespace
}  // namespace policyd::value_internal
