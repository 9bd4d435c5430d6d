#include "engine/eval/stack_limit.h"

#include <pthread.h>

#include <algorithm>

namespace policyd::eval {

uintptr_t StackLimitFor(uintptr_t bottom, size_t size) {
  constexpr size_t kMaxReserve = size_t{1} << 20;
  return bottom + std::min(size / 4, kMaxReserve);
}

uintptr_t StackLimit() {
  // pthread_getattr_np reads /proc/self/maps for the main thread: once per
  // thread, not once per decision.
  thread_local const uintptr_t limit = [] {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return uintptr_t{0};
    void* bottom = nullptr;
    size_t size = 0;
    int rc = pthread_attr_getstack(&attr, &bottom, &size);
    pthread_attr_destroy(&attr);
    if (rc != 0) return uintptr_t{0};
    return StackLimitFor(reinterpret_cast<uintptr_t>(bottom), size);
  }();
  return limit;
}

}  // namespace policyd::eval
