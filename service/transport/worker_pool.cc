#include "service/transport/worker_pool.h"

#include <utility>

namespace policyd {
namespace {

int SlotsFor(int threads) {
  if (threads > 0) return threads;
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  return cores > 0 ? cores : 1;
}

}  // namespace

WorkerPool::WorkerPool(int threads, size_t max_queue)
    : slots_(SlotsFor(threads)), max_queue_(max_queue) {
  threads_.reserve(slots_);
  for (int i = 0; i < slots_; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::TrySubmit(absl::AnyInvocable<void() &&> task) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queue_) return false;
    queue_.push_back(std::move(task));
    // With every slot taken, whoever frees one runs the task; a wake-up (a
    // futex call and a context switch on a loaded machine) only for a
    // sleeping thread that can start it now.
    wake = idle_ > 0 && running_ < slots_;
  }
  if (wake) ready_.notify_one();
  return true;
}

bool WorkerPool::RunHereOrSubmit(absl::AnyInvocable<void() &&> task) {
  std::unique_lock lock(mu_);
  if (stopping_) return false;
  if (running_ < slots_) {
    ++running_;
    lock.unlock();
    std::move(task)();
    lock.lock();
    DrainAndRelease(lock);
    return true;
  }
  if (queue_.size() >= max_queue_) return false;
  // Every slot is taken, so no thread needs waking: the next one to free a
  // slot runs the task.
  queue_.push_back(std::move(task));
  return true;
}

void WorkerPool::DrainAndRelease(std::unique_lock<std::mutex>& lock) {
  // A slot is given back only with the queue empty, so a queued task never
  // waits while a slot is free.
  while (!queue_.empty()) {
    absl::AnyInvocable<void() &&> task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    std::move(task)();
    lock.lock();
  }
  if (--running_ == 0) idle_cv_.notify_all();
  // Pool threads that found no free slot while stopping wait to see the
  // queue empty before they exit.
  if (stopping_) ready_.notify_all();
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
  // Tasks run by RunHereOrSubmit's callers may still be going.
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [this] { return queue_.empty() && running_ == 0; });
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

int WorkerPool::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

void WorkerPool::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    if (!queue_.empty() && running_ < slots_) {
      ++running_;
      DrainAndRelease(lock);
      continue;
    }
    if (stopping_ && queue_.empty()) return;  // drained
    ++idle_;
    ready_.wait(lock);
    --idle_;
  }
}

}  // namespace policyd
