// A fixed set of threads running decisions from a bounded queue. Submitting
// never waits: when the queue is full the caller is told at once, so that an
// overloaded server answers RESOURCE_EXHAUSTED / 429 instead of piling up
// work it can never finish in time.
#ifndef POLICYD_SERVICE_WORKER_POOL_H_
#define POLICYD_SERVICE_WORKER_POOL_H_

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
  // `threads` <= 0 means one per core. `max_queue` counts tasks waiting for
  // a thread (not those running).
  WorkerPool(int threads, size_t max_queue);
  ~WorkerPool();  // Shutdown()

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (and `task` dropped unrun) when the queue is full or
  // the pool is shutting down. A task capturing at most two pointers is
  // queued without allocating.
  bool TrySubmit(absl::AnyInvocable<void() &&> task);

  // Stops taking tasks, runs those already queued, joins the threads.
  void Shutdown();

  // Waits until no task is queued or running, or until `deadline`; true
  // when the pool is idle.
  bool WaitIdle(absl::Time deadline);

  size_t queue_depth() const;
  int threads() const { return static_cast<int>(threads_.size()); }
  size_t max_queue() const { return max_queue_; }

 private:
  void Run();

  const size_t max_queue_;
  // A standard mutex rather than absl::Mutex so that ThreadSanitizer, which
  // cannot see into the distribution's uninstrumented absl, checks it.
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::condition_variable idle_cv_;  // queue empty and nothing running
  std::deque<absl::AnyInvocable<void() &&>> queue_;  // guarded by mu_
  int idle_ = 0;           // workers waiting on ready_; guarded by mu_
  int running_ = 0;        // tasks being run; guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_WORKER_POOL_H_
