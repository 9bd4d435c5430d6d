#include "service/transport/completion_queue_threads.h"

#include <utility>

namespace policyd {

CompletionQueueThreads::CompletionQueueThreads(
    std::unique_ptr<grpc::ServerCompletionQueue> cq, int threads)
    : cq_(std::move(cq)) {
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Poll(); });
}

CompletionQueueThreads::~CompletionQueueThreads() { Shutdown(); }

void CompletionQueueThreads::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  cq_->Shutdown();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void CompletionQueueThreads::Poll() {
  void* tag;
  bool ok;
  // Next() is false once the queue is shut down and empty.
  while (cq_->Next(&tag, &ok)) {
    static_cast<CompletionQueueTag*>(tag)->Proceed(ok);
  }
}

}  // namespace policyd
