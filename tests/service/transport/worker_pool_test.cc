#include "service/transport/worker_pool.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

// A task that says when it has started and then holds its evaluation slot
// until released.
struct BlockingTask {
  absl::AnyInvocable<void() &&> Task() {
    return [this] {
      running.Notify();
      release.WaitForNotification();
    };
  }
  absl::Notification running, release;
};

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
  BlockingTask block;
  ASSERT_TRUE(pool.TrySubmit(block.Task()));
  block.running.WaitForNotification();
  EXPECT_TRUE(pool.TrySubmit([] {}));   // waits in the queue
  EXPECT_EQ(pool.queue_depth(), 1u);
  EXPECT_FALSE(pool.TrySubmit([] {}));  // queue full
  block.release.Notify();
}

TEST(WorkerPoolTest, WaitIdleWaitsForRunningAndQueuedTasks) {
  WorkerPool pool(1, 10);
  EXPECT_TRUE(pool.WaitIdle(absl::InfinitePast()));  // nothing to do
  BlockingTask block;
  std::atomic<bool> second_ran{false};
  ASSERT_TRUE(pool.TrySubmit(block.Task()));
  ASSERT_TRUE(pool.TrySubmit([&] { second_ran.store(true); }));
  block.running.WaitForNotification();
  EXPECT_FALSE(pool.WaitIdle(absl::Now() + absl::Milliseconds(20)));
  block.release.Notify();
  EXPECT_TRUE(pool.WaitIdle(absl::InfiniteFuture()));
  EXPECT_TRUE(second_ran.load());
}

TEST(WorkerPoolTest, RefusesAfterShutdown) {
  WorkerPool pool(1, 10);
  pool.Shutdown();
  EXPECT_FALSE(pool.TrySubmit([] {}));
}

TEST(WorkerPoolTest, RunHereOrSubmitRunsOnTheCallerWhenASlotIsFree) {
  WorkerPool pool(2, 10);
  std::thread::id ran_on;
  ASSERT_TRUE(
      pool.RunHereOrSubmit([&] { ran_on = std::this_thread::get_id(); }));
  // Run before the call returned, on this thread.
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(pool.queue_depth(), 0u);
}

TEST(WorkerPoolTest, RunHereOrSubmitQueuesWhenNoSlotIsFreeAndRefusesWhenFull) {
  WorkerPool pool(1, 1);
  BlockingTask block;
  // The one slot, taken by a pool thread.
  ASSERT_TRUE(pool.TrySubmit(block.Task()));
  block.running.WaitForNotification();
  std::atomic<bool> queued_ran{false};
  ASSERT_TRUE(pool.RunHereOrSubmit([&] { queued_ran.store(true); }));
  EXPECT_EQ(pool.queue_depth(), 1u);
  EXPECT_FALSE(queued_ran.load());
  EXPECT_FALSE(pool.RunHereOrSubmit([] {}));  // queue full
  EXPECT_FALSE(pool.TrySubmit([] {}));        // the same queue
  block.release.Notify();
  EXPECT_TRUE(pool.WaitIdle(absl::InfiniteFuture()));
  EXPECT_TRUE(queued_ran.load());
}

TEST(WorkerPoolTest, TheThreadThatFreesASlotRunsTheQueuedTask) {
  WorkerPool pool(1, 10);
  BlockingTask block;
  std::thread::id holder, queued_on;
  // The one slot, taken by a caller of RunHereOrSubmit: the pool's thread
  // cannot start the queued task, the holder runs it before giving the
  // slot back.
  std::thread caller([&] {
    holder = std::this_thread::get_id();
    ASSERT_TRUE(pool.RunHereOrSubmit(block.Task()));
  });
  block.running.WaitForNotification();
  ASSERT_TRUE(pool.RunHereOrSubmit(
      [&] { queued_on = std::this_thread::get_id(); }));
  EXPECT_EQ(pool.queue_depth(), 1u);
  block.release.Notify();
  caller.join();
  EXPECT_EQ(queued_on, holder);
  EXPECT_EQ(pool.queue_depth(), 0u);
}

TEST(WorkerPoolTest, WaitIdleCountsTasksRunByTheCaller) {
  WorkerPool pool(1, 10);
  BlockingTask block;
  std::thread caller([&] {
    ASSERT_TRUE(pool.RunHereOrSubmit(block.Task()));
  });
  block.running.WaitForNotification();
  EXPECT_EQ(pool.queue_depth(), 0u);
  EXPECT_FALSE(pool.WaitIdle(absl::Now() + absl::Milliseconds(20)));
  block.release.Notify();
  EXPECT_TRUE(pool.WaitIdle(absl::InfiniteFuture()));
  caller.join();
}

TEST(WorkerPoolTest, NeverMoreTasksAtOnceThanSlots) {
  constexpr int kSlots = 2;
  std::atomic<int> now{0}, most{0}, ran{0}, accepted{0};
  auto task = [&] {
    int n = now.fetch_add(1) + 1;
    int seen = most.load();
    while (n > seen && !most.compare_exchange_weak(seen, n)) {
    }
    std::this_thread::yield();
    now.fetch_sub(1);
    ran.fetch_add(1);
  };
  {
    WorkerPool pool(kSlots, 100000);
    std::vector<std::thread> callers;
    for (int t = 0; t < 6; ++t) {
      callers.emplace_back([&, t] {
        for (int i = 0; i < 500; ++i) {
          // Callers of both kinds compete for the same slots.
          bool ok = t % 2 == 0 ? pool.RunHereOrSubmit(task)
                               : pool.TrySubmit(task);
          if (ok) accepted.fetch_add(1);
        }
      });
    }
    for (std::thread& c : callers) c.join();
    pool.Shutdown();
  }
  EXPECT_EQ(accepted.load(), 3000);
  EXPECT_EQ(ran.load(), 3000);
  EXPECT_LE(most.load(), kSlots);
  EXPECT_GE(most.load(), 1);
}

TEST(WorkerPoolTest, ShutdownWaitsForTasksRunByTheCaller) {
  WorkerPool pool(1, 10);
  absl::Notification running;
  std::atomic<bool> done{false};
  std::thread caller([&] {
    ASSERT_TRUE(pool.RunHereOrSubmit([&] {
      running.Notify();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      done.store(true);
    }));
  });
  running.WaitForNotification();
  pool.Shutdown();
  EXPECT_TRUE(done.load());
  EXPECT_FALSE(pool.RunHereOrSubmit([] {}));
  caller.join();
}

TEST(WorkerPoolTest, ZeroThreadsMeansOnePerCore) {
  WorkerPool pool(0, 10);
  EXPECT_GE(pool.threads(), 1);
}

}  // namespace
}  // namespace policyd
