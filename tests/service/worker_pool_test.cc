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
