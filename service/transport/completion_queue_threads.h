// Our own threads serving gRPC's async API: they poll one
// ServerCompletionQueue and hand each event to its tag on the thread that
// dequeued it. gRPC's I/O for the calls on that queue also runs on these
// threads (the one waiting in Next() polls the sockets), so a call can be
// read, answered and finished without a hop to another thread.
#ifndef POLICYD_SERVICE_TRANSPORT_COMPLETION_QUEUE_THREADS_H_
#define POLICYD_SERVICE_TRANSPORT_COMPLETION_QUEUE_THREADS_H_

#include <memory>
#include <thread>
#include <vector>

#include "grpcpp/completion_queue.h"

namespace policyd {

// What every tag put on a CompletionQueueThreads' queue must be.
class CompletionQueueTag {
 public:
  // `ok` is what ServerCompletionQueue::Next said of the operation. Runs on
  // one of the queue's threads; may delete the tag.
  virtual void Proceed(bool ok) = 0;

  // What to give gRPC as the tag of an operation on the queue.
  void* tag() { return this; }

 protected:
  ~CompletionQueueTag() = default;
};

class CompletionQueueThreads {
 public:
  // Starts `threads` (at least one) threads polling `cq`.
  CompletionQueueThreads(std::unique_ptr<grpc::ServerCompletionQueue> cq,
                         int threads);
  ~CompletionQueueThreads();  // Shutdown()

  CompletionQueueThreads(const CompletionQueueThreads&) = delete;
  CompletionQueueThreads& operator=(const CompletionQueueThreads&) = delete;

  grpc::ServerCompletionQueue* cq() const { return cq_.get(); }

  // Shuts the queue down, lets the threads take what is left on it (tags
  // see their last events, `ok` false for those cancelled) and joins them.
  // gRPC's order: only after the server's Shutdown() has returned, and when
  // no thread will start another operation on the queue.
  void Shutdown();

 private:
  void Poll();

  const std::unique_ptr<grpc::ServerCompletionQueue> cq_;
  std::vector<std::thread> threads_;
  bool shut_down_ = false;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_TRANSPORT_COMPLETION_QUEUE_THREADS_H_
