// Admission for decisions: W evaluation slots (W = the pool's threads), a
// bounded queue for tasks waiting for a slot, and W threads that run queued
// tasks. At most W tasks run at once, whichever thread runs them. Submitting
// never waits: when the queue is full the caller is told at once, so that an
// overloaded server answers RESOURCE_EXHAUSTED / 429 instead of piling up
// work it can never finish in time.
#ifndef POLICYD_SERVICE_TRANSPORT_WORKER_POOL_H_
#define POLICYD_SERVICE_TRANSPORT_WORKER_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"

namespace policyd {

class WorkerPool {
 public:
  // `threads` <= 0 means one per core; it is also the number of slots.
  // `max_queue` counts tasks waiting for a slot (not those running).
  WorkerPool(int threads, size_t max_queue);
  ~WorkerPool();  // Shutdown()

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` for the pool's threads; false (and `task` dropped unrun)
  // when the queue is full or the pool is shutting down. A task capturing at
  // most two pointers is queued without allocating.
  bool TrySubmit(absl::AnyInvocable<void() &&> task);

  // When a slot is free, takes it and runs `task` on the calling thread
  // before returning (no hand-off to another thread); else queues it as
  // TrySubmit does. The thread then runs queued tasks, if any, before it
  // gives the slot back. False (and `task` dropped unrun) when the queue is
  // full or the pool is shutting down.
  bool RunHereOrSubmit(absl::AnyInvocable<void() &&> task);

  // Stops taking tasks, runs those already queued, waits for every running
  // one (also those run by RunHereOrSubmit's callers), joins the threads.
  void Shutdown();

  // Waits until no task is queued or running, or until `deadline`; true
  // when the pool is idle.
  bool WaitIdle(absl::Time deadline);

  size_t queue_depth() const;
  // Slots taken: tasks running now.
  int running() const;
  int threads() const { return slots_; }
  size_t max_queue() const { return max_queue_; }

 private:
  // Runs queued tasks while there are any, then gives the slot back. Called
  // with `lock` held on mu_ and a slot taken; returns with the lock held.
  void DrainAndRelease(std::unique_lock<std::mutex>& lock);
  void Run();

  const int slots_;
  const size_t max_queue_;
  // A standard mutex rather than absl::Mutex so that ThreadSanitizer, which
  // cannot see into the distribution's uninstrumented absl, checks it.
  mutable std::mutex mu_;
  std::condition_variable ready_;    // a task and a slot, or stopping
  std::condition_variable idle_cv_;  // queue empty and nothing running
  std::deque<absl::AnyInvocable<void() &&>> queue_;  // guarded by mu_
  int idle_ = 0;           // pool threads waiting on ready_; guarded by mu_
  int running_ = 0;        // slots taken; guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_TRANSPORT_WORKER_POOL_H_
