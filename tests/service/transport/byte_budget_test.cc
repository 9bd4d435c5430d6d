#include "service/transport/byte_budget.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(ByteBudgetTest, RefusesWhatDoesNotFitBesideTheBytesInFlight) {
  ByteBudget budget(100);
  EXPECT_TRUE(budget.TryReserve(60));
  EXPECT_FALSE(budget.TryReserve(41));
  EXPECT_TRUE(budget.TryReserve(40));
  EXPECT_EQ(budget.used(), 100u);
  EXPECT_FALSE(budget.TryReserve(1));
  budget.Release(60);
  EXPECT_TRUE(budget.TryReserve(60));
  EXPECT_FALSE(budget.TryReserve(SIZE_MAX));  // no overflow past the limit
}

TEST(ByteBudgetTest, ZeroMeansNoCap) {
  ByteBudget budget(0);
  EXPECT_TRUE(budget.TryReserve(SIZE_MAX / 2));
  EXPECT_TRUE(budget.TryReserve(SIZE_MAX / 2));
}

TEST(ByteBudgetTest, ConcurrentReservationsNeverExceedTheLimit) {
  ByteBudget budget(1000);
  std::vector<std::thread> threads;
  std::atomic<int> over{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        if (budget.TryReserve(300)) {
          if (budget.used() > 1000) ++over;
          budget.Release(300);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(over, 0);
  EXPECT_EQ(budget.used(), 0u);
}

}  // namespace
}  // namespace policyd
