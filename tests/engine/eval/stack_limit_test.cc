#include "engine/eval/stack_limit.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace policyd::eval {
namespace {

TEST(StackLimitTest, ReservesAQuarterOfTheStackUpToOneMiB) {
  EXPECT_EQ(StackLimitFor(0x100000, 512 << 10), 0x100000u + (128 << 10));
  EXPECT_EQ(StackLimitFor(0x100000, 8 << 20), 0x100000u + (1 << 20));
}

TEST(StackLimitTest, LiesBelowTheCurrentFrameOnThisThread) {
  uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t limit = StackLimit();
  ASSERT_NE(limit, 0u);
  EXPECT_LT(limit, here);
  // Within the main thread's stack (at most its rlimit, 8 MiB by default).
  EXPECT_GT(limit, here - (uintptr_t{64} << 20));
  EXPECT_EQ(StackLimit(), limit);  // computed once per thread
}

}  // namespace
}  // namespace policyd::eval
