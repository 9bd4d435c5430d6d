#include "service/worker_pool.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(WorkerPoolTest, RunsEveryQueuedTask) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(2, 100);
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(pool.TrySubmit([&] { ran.fetch_add(1); }));
    }
    pool.Shutdown();  // drains
  }
  EXPECT_EQ(ran.load(), 50);
}

TEST(WorkerPoolTest, FullQueueRefusesAtOnce) {
  WorkerPool pool(1, 1);
  absl::Notification running, release;
  ASSERT_TRUE(pool.TrySubmit([&] {
    running.Notify();
    release.WaitForNotification();
  }));
  running.WaitForNotification();
  EXPECT_TRUE(pool.TrySubmit([] {}));   // waits in the queue
  EXPECT_EQ(pool.queue_depth(), 1u);
  EXPECT_FALSE(pool.TrySubmit([] {}));  // queue full
  release.Notify();
}

TEST(WorkerPoolTest, WaitIdleWaitsForRunningAndQueuedTasks) {
  WorkerPool pool(1, 10);
  EXPECT_TRUE(pool.WaitIdle(absl::InfinitePast()));  // nothing to do
  absl::Notification running, release;
  std::atomic<bool> second_ran{false};
  ASSERT_TRUE(pool.TrySubmit([&] {
    running.Notify();
    release.WaitForNotification();
  }));
  ASSERT_TRUE(pool.TrySubmit([&] { second_ran.store(true); }));
  running.WaitForNotification();
  EXPECT_FALSE(pool.WaitIdle(absl::Now() + absl::Milliseconds(20)));
  release.Notify();
  EXPECT_TRUE(pool.WaitIdle(absl::InfiniteFuture()));
  EXPECT_TRUE(second_ran.load());
}

TEST(WorkerPoolTest, RefusesAfterShutdown) {
  WorkerPool pool(1, 10);
  pool.Shutdown();
  EXPECT_FALSE(pool.TrySubmit([] {}));
}

TEST(WorkerPoolTest, ZeroThreadsMeansOnePerCore) {
  WorkerPool pool(0, 10);
  EXPECT_GE(pool.threads(), 1);
}

}  // namespace
}  // namespace policyd
