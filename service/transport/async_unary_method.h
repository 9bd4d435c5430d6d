// One unary method of a generated gRPC AsyncService, served on
// CompletionQueueThreads. A call is accepted by whichever of our threads
// dequeues it. A decision method goes through the WorkerPool's admission:
// its handler runs
//   - on that same thread, when an evaluation slot is free (no hand-off);
//   - later, from the pool's queue, when every slot is taken;
//   - not at all when the queue is full: the call ends RESOURCE_EXHAUSTED
//     at once.
// A method without admission (health, status: cheap, and never to be
// refused because decisions are) runs its handler on the receiving thread.
// None of this blocks a gRPC thread: the threads are ours, and as long as
// there are more of them than slots one is always free to take new calls.
#ifndef POLICYD_SERVICE_TRANSPORT_ASYNC_UNARY_METHOD_H_
#define POLICYD_SERVICE_TRANSPORT_ASYNC_UNARY_METHOD_H_

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/async_unary_call.h"
#include "grpcpp/support/status.h"
#include "service/transport/completion_queue_threads.h"
#include "service/service_metrics.h"
#include "service/transport/worker_pool.h"

namespace policyd {

// What a handler learns of its call besides the request.
struct UnaryCall {
  absl::Time start;     // when the call was accepted (latency counts from it)
  absl::Time deadline;  // the client's; InfiniteFuture when it set none
  // Turns true when the client cancels the call (or the server cancels it
  // at shutdown): evaluation may stop, nobody waits for the answer.
  const std::atomic<bool>* cancelled = nullptr;
};

template <typename Request, typename Response>
class AsyncUnaryMethod {
 public:
  using Writer = grpc::ServerAsyncResponseWriter<Response>;
  // Requests one call of the method: the service's generated
  // Request<Method>(context, request, writer, cq, cq, tag).
  using RequestFn =
      absl::AnyInvocable<void(grpc::ServerContext*, Request*, Writer*,
                              grpc::ServerCompletionQueue*, void*) const>;
  // Answers one call: fills `response` and returns the call's status. Runs
  // on any thread, on several at once.
  using Handler = absl::AnyInvocable<grpc::Status(
      const Request&, const UnaryCall&, Response*) const>;

  // With admission by `pool`; refused calls are counted as `api` errors
  // "resource_exhausted". All pointers must outlive the completion queue's
  // threads.
  AsyncUnaryMethod(std::string_view api, WorkerPool* pool,
                   ServiceMetrics* metrics, RequestFn request, Handler handler)
      : api_(api),
        pool_(pool),
        metrics_(metrics),
        request_(std::move(request)),
        handler_(std::move(handler)) {}

  // Without admission: every call is answered on the receiving thread.
  AsyncUnaryMethod(RequestFn request, Handler handler)
      : AsyncUnaryMethod("", nullptr, nullptr, std::move(request),
                         std::move(handler)) {}

  AsyncUnaryMethod(const AsyncUnaryMethod&) = delete;
  AsyncUnaryMethod& operator=(const AsyncUnaryMethod&) = delete;

  // From now on keeps `slots` calls requested on `cq`: each accepted call is
  // replaced by a new request at once. Call once, after the server has
  // started; the requests end when the server shuts down.
  void Start(grpc::ServerCompletionQueue* cq, int slots) {
    cq_ = cq;
    for (int i = 0; i < slots; ++i) new Call(this);
  }

 private:
  // One call, from its request to its end; deletes itself once gRPC is done
  // with both of its tags: the call's own (request, then answer) and, for an
  // accepted call, the done notice (gRPC delivers that one only for calls
  // that were matched).
  class Call final : public CompletionQueueTag {
   public:
    explicit Call(const AsyncUnaryMethod* method)
        : method_(method), writer_(&context_), done_(this) {
      call_.cancelled = &cancelled_;
      context_.AsyncNotifyWhenDone(done_.tag());
      method_->request_(&context_, &request_, &writer_, method_->cq_, tag());
    }

    void Proceed(bool ok) override {
      if (ok && !accepted_) {
        Accept();
        return;
      }
      // The answer is sent (or the client left), or the server is shutting
      // down and takes no more calls (then no done notice comes).
      Release(accepted_ ? 1 : 2);
    }

   private:
    // The done notice: the call ended, cancelled or not.
    class Done final : public CompletionQueueTag {
     public:
      explicit Done(Call* call) : call_(call) {}
      void Proceed(bool) override {
        if (call_->context_.IsCancelled()) call_->cancelled_.store(true);
        call_->Release(1);
      }

     private:
      Call* const call_;
    };

    void Release(int tags) {
      if (pending_.fetch_sub(tags) == tags) delete this;
    }

    void Accept() {
      accepted_ = true;
      new Call(method_);
      call_.start = absl::Now();
      auto deadline = context_.deadline();
      call_.deadline = deadline == std::chrono::system_clock::time_point::max()
                           ? absl::InfiniteFuture()
                           : absl::FromChrono(deadline);
      if (method_->pool_ == nullptr) {
        Answer();
        return;
      }
      // Once Answer() has called Finish another thread may delete this
      // call: nothing here touches it after a successful admission.
      if (!method_->pool_->RunHereOrSubmit([this] { Answer(); })) {
        method_->metrics_->CountError(method_->api_, "resource_exhausted");
        writer_.FinishWithError(
            grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                         "too many decisions in flight; retry later"),
            tag());
      }
    }

    void Answer() {
      grpc::Status status = method_->handler_(request_, call_, &response_);
      writer_.Finish(response_, status, tag());
    }

    const AsyncUnaryMethod* const method_;
    grpc::ServerContext context_;
    Request request_;
    Response response_;
    Writer writer_;
    UnaryCall call_;
    bool accepted_ = false;
    std::atomic<bool> cancelled_{false};
    std::atomic<int> pending_{2};  // tags gRPC still holds
    Done done_;
  };

  const std::string api_;
  WorkerPool* const pool_;
  ServiceMetrics* const metrics_;
  const RequestFn request_;
  const Handler handler_;
  grpc::ServerCompletionQueue* cq_ = nullptr;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_TRANSPORT_ASYNC_UNARY_METHOD_H_
