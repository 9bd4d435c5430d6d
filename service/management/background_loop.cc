#include "service/management/background_loop.h"

#include <algorithm>
#include <random>
#include <utility>

namespace policyd {

BackgroundLoop::BackgroundLoop(std::function<absl::Duration()> step)
    : step_(std::move(step)) {
  thread_ = std::thread([this] { Run(); });
}

BackgroundLoop::~BackgroundLoop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void BackgroundLoop::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void BackgroundLoop::Run() {
  while (true) {
    absl::Duration delay = step_();
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || woken_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&ready), delay);
    if (stopping_) return;
    woken_ = false;
  }
}

absl::Duration RandomDelay(absl::Duration min, absl::Duration max) {
  if (max <= min) return min;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> dist(0, 1);
  return min + (max - min) * dist(rng);
}

absl::Duration BackoffDelay(int failures, absl::Duration base, absl::Duration cap) {
  absl::Duration d = base;
  for (int i = 1; i < failures && d < cap; ++i) d *= 2;
  d = std::min(d, cap);
  return RandomDelay(d / 2, d);
}

}  // namespace policyd
