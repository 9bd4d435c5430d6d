// A global cap on the bytes of requests in flight, shared by every listener:
// a request reserves its body's size before the body is read and gives it
// back when answered, so that many large uploads at once cannot take the
// process's memory; a request that does not fit is refused at once (HTTP
// 429, gRPC RESOURCE_EXHAUSTED) instead of waiting.
#ifndef POLICYD_SERVICE_TRANSPORT_BYTE_BUDGET_H_
#define POLICYD_SERVICE_TRANSPORT_BYTE_BUDGET_H_

#include <atomic>
#include <cstddef>

namespace policyd {

class ByteBudget {
 public:
  // `limit` 0: no cap.
  explicit ByteBudget(size_t limit) : limit_(limit) {}

  // Takes `bytes` from the budget; false (nothing taken) when they do not
  // fit beside the bytes already in flight.
  bool TryReserve(size_t bytes) {
    size_t now = used_.load(std::memory_order_relaxed);
    do {
      if (limit_ != 0 && (bytes > limit_ || now > limit_ - bytes)) return false;
    } while (!used_.compare_exchange_weak(now, now + bytes,
                                          std::memory_order_relaxed));
    return true;
  }
  void Release(size_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

  size_t used() const { return used_.load(std::memory_order_relaxed); }
  size_t limit() const { return limit_; }

 private:
  const size_t limit_;
  std::atomic<size_t> used_{0};
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_TRANSPORT_BYTE_BUDGET_H_
