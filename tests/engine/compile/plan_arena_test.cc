#include "engine/compile/plan_arena.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "engine/compile/plan.h"
#include "engine/compile/tight_vector.h"
#include "gtest/gtest.h"

namespace policyd::plan {
namespace {

TEST(PlanArenaTest, AllocationsAreAlignedAndDistinct) {
  PlanArena arena;
  char* a = static_cast<char*>(arena.Allocate(3, 1));
  void* b = arena.Allocate(8, 8);
  void* c = arena.Allocate(16, 16);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 8, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(c) % 16, 0u);
  EXPECT_GE(static_cast<char*>(b), a + 3);
  EXPECT_GE(static_cast<char*>(c), static_cast<char*>(b) + 8);
}

TEST(PlanArenaTest, LargeAndManyAllocationsGetBlocksOfTheirOwn) {
  PlanArena arena;
  // A megabyte in one piece, then ten megabytes in small pieces: blocks
  // grow to their largest size and no more is reserved than needed twice.
  char* big = static_cast<char*>(arena.Allocate(1 << 20, 8));
  big[0] = big[(1 << 20) - 1] = 'x';
  for (int i = 0; i < 10 * 1024 * 1024 / 64; ++i) {
    static_cast<char*>(arena.Allocate(64, 8))[63] = 'y';
  }
  EXPECT_GE(arena.reserved_bytes(), size_t{11} << 20);
  EXPECT_LE(arena.reserved_bytes(), size_t{13} << 20);
}

TEST(PlanArenaTest, CopiedStringsOutliveTheirSource) {
  PlanArena arena;
  std::string_view copy;
  {
    std::string source(100, 'k');
    copy = arena.CopyString(source);
  }
  EXPECT_EQ(copy, std::string(100, 'k'));
  EXPECT_TRUE(arena.CopyString("").empty());
}

TEST(PlanArenaTest, TightVectorMovedIntoTheArenaStillOwnsItsElements) {
  PlanArena arena;
  auto counted = std::make_shared<int>(7);
  {
    TightVector<std::shared_ptr<int>> v;
    for (int i = 0; i < 5; ++i) v.push_back(counted);
    v.MoveInto(arena);
    EXPECT_TRUE(v.in_arena());
    EXPECT_EQ(v.capacity(), 5u);
    EXPECT_EQ(counted.use_count(), 6);
    v.MoveInto(arena);  // already there: nothing moves
    EXPECT_EQ(v.size(), 5u);
    v.push_back(counted);  // grows back onto the heap
    EXPECT_FALSE(v.in_arena());
    EXPECT_EQ(counted.use_count(), 7);
  }
  EXPECT_EQ(counted.use_count(), 1);  // destroyed in place, not leaked
}

TEST(PlanArenaTest, BoxedInTheArenaIsDestroyedInPlace) {
  PlanArena arena;
  auto counted = std::make_shared<int>(1);
  {
    auto boxed = Boxed<std::shared_ptr<int>>::InArena(&arena, counted);
    EXPECT_EQ(counted.use_count(), 2);
    Boxed<std::shared_ptr<int>> copy = boxed;  // a copy lives on the heap
    EXPECT_EQ(counted.use_count(), 3);
    copy.MoveInto(arena);
    EXPECT_EQ(**copy, 1);
    EXPECT_EQ(counted.use_count(), 3);
  }
  EXPECT_EQ(counted.use_count(), 1);
}

TEST(PlanArenaTest, MapsAllocateTheirNodesInTheArena) {
  PlanArena arena;
  using Allocator = ArenaAllocator<std::pair<const int, int>>;
  std::map<int, int, std::less<>, Allocator> in_arena{Allocator(&arena)};
  size_t before = arena.reserved_bytes();
  for (int i = 0; i < 1000; ++i) in_arena[i] = i;
  EXPECT_GT(arena.reserved_bytes(), before);
  EXPECT_EQ(in_arena.at(999), 999);
  std::map<int, int, std::less<>, Allocator> on_heap;  // no arena: the heap
  on_heap[1] = 2;
  EXPECT_EQ(on_heap.at(1), 2);
}

}  // namespace
}  // namespace policyd::plan
