#include "service/worker_pool.h"

#include <utility>

namespace policyd {

WorkerPool::WorkerPool(int threads, size_t max_queue) : max_queue_(max_queue) {
  if (threads <= 0) {
    threads = static_cast<int>(std::thread::hardware_concurrency());
    if (threads <= 0) threads = 1;
  }
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::TrySubmit(absl::AnyInvocable<void() &&> task) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queue_) return false;
    queue_.push_back(std::move(task));
    // Busy workers take the task when they finish theirs: a wake-up (a
    // futex call and a context switch on a loaded machine) only for a
    // sleeping one.
    wake = idle_ > 0;
  }
  if (wake) ready_.notify_one();
  return true;
}

void WorkerPool::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

bool WorkerPool::WaitIdle(absl::Time deadline) {
  std::unique_lock lock(mu_);
  auto idle = [this] { return queue_.empty() && running_ == 0; };
  if (deadline == absl::InfiniteFuture()) {
    idle_cv_.wait(lock, idle);
    return true;
  }
  return idle_cv_.wait_until(lock, absl::ToChronoTime(deadline), idle);
}

size_t WorkerPool::queue_depth() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void WorkerPool::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    if (queue_.empty()) {
      if (stopping_) return;  // drained
      ++idle_;
      ready_.wait(lock);
      --idle_;
      continue;
    }
    absl::AnyInvocable<void() &&> task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    std::move(task)();
    lock.lock();
    if (--running_ == 0 && queue_.empty()) idle_cv_.notify_all();
  }
}

}  // namespace policyd
