#include "engine/value/arena.h"

#include <malloc.h>

#include <string>
#include <vector>

#include "engine/value/rep.h"
#include "engine/value/value.h"
#include "gtest/gtest.h"

namespace policyd::value_internal {
namespace {

// Bytes the allocator has handed out and not taken back.
size_t BytesInUse() {
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
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
  size_t before = BytesInUse();
  {
    std::vector<Value> values;
    {
      Arena arena;
      for (int i = 0; i < 50000; ++i) {
        values.emplace_back(MakeStringRep(std::string(40, 'a' + i % 26), &arena));
      }
      // A representation big enough for a chunk of its own.
      std::vector<Value> elems(5000, Value::Int(7));
      values.push_back(MakeSequence(Kind::kArray, absl::MakeSpan(elems), &arena));
    }
    EXPECT_GT(BytesInUse(), before + 50000 * 40);
    EXPECT_EQ(values[49999].string(), std::string(40, 'a' + 49999 % 26));
    EXPECT_EQ(values.back().size(), 5000u);
  }
  EXPECT_LT(BytesInUse(), before + 64 * 1024);
}

}  // namespace
}  // namespace policyd::value_internal
