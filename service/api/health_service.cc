#include "service/api/health_service.h"

#include <optional>
#include <string>

#include "service/transport/completion_queue_threads.h"
#include "service/decider.h"

namespace policyd {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

namespace {

bool KnownService(const std::string& service) {
  return service.empty() || service == "policyd.v1.DecisionService" ||
         service == "envoy.service.auth.v3.Authorization";
}

}  // namespace

// One Watch stream, from its request to its end: writes one status at a
// time, always the latest, and skips repeats. Its events come under two
// tags: its own operations (the accepted call, each write, the finish) and
// gRPC's notice that the call is over (after the finish, or when the client
// has gone). It is deleted once it has had the notice and no operation is
// left in flight. Async operations never complete inline, so they are
// started under the stream's lock.
class HealthService::Watcher final : public CompletionQueueTag {
 public:
  using ServingStatus = HealthCheckResponse::ServingStatus;

  // Requests the next Watch call.
  explicit Watcher(HealthService* health)
      : health_(health), writer_(&context_), over_tag_(this) {
    // Delivered only if the call is accepted.
    context_.AsyncNotifyWhenDone(over_tag_.tag());
    health_->RequestWatch(&context_, &request_, &writer_, health_->cq_,
                          health_->cq_, tag());
  }

  const std::string& service() const { return request_.service(); }

  // Sends `status` unless it was the last one sent; with `last`, the stream
  // ends after it. Called with health_->mu_ held.
  void Push(ServingStatus status, bool last) {
    absl::MutexLock lock(&mu_);
    PushLocked(status, last);
  }

  void Proceed(bool ok) override {
    if (!accepted_) {
      // Not ok: the server is shutting down before a call came.
      if (ok) {
        Accept();
      } else {
        delete this;
      }
      return;
    }
    bool end;
    {
      absl::MutexLock lock(&mu_);
      in_flight_ = false;
      if (!ok) broken_ = true;
      StartNextLocked();
      end = CanEndLocked();
    }
    if (end) End();
  }

 private:
  // gRPC's notice that the call is over.
  class OverTag final : public CompletionQueueTag {
   public:
    explicit OverTag(Watcher* watcher) : watcher_(watcher) {}
    void Proceed(bool) override { watcher_->Over(); }

   private:
    Watcher* const watcher_;
  };

  void Accept() {
    accepted_ = true;
    new Watcher(health_);
    bool end;
    {
      absl::MutexLock health_lock(&health_->mu_);
      health_->watchers_.insert(this);
      absl::MutexLock lock(&mu_);
      registered_ = true;
      PushLocked(health_->StatusOf(service()),
                 health_->shutting_down_.load());
      // The notice may have come already, on another thread.
      end = CanEndLocked();
    }
    if (end) End();
  }

  void Over() {
    bool end;
    {
      absl::MutexLock lock(&mu_);
      over_ = true;
      end = CanEndLocked();
    }
    if (end) End();
  }

  void PushLocked(ServingStatus status, bool last)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    pending_ = status;
    finish_after_ = finish_after_ || last;
    StartNextLocked();
  }

  void StartNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (in_flight_ || finishing_ || over_ || broken_) return;
    if (pending_.has_value() && pending_ != sent_) {
      response_.set_status(*pending_);
      sent_ = pending_;
      pending_.reset();
      in_flight_ = true;
      writer_.Write(response_, tag());
    } else if (finish_after_) {
      finishing_ = true;
      in_flight_ = true;
      writer_.Finish(grpc::Status::OK, tag());
    }
  }

  // True once, for the one event after which nothing more can come.
  bool CanEndLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return registered_ && over_ && !in_flight_;
  }

  void End() {
    {
      absl::MutexLock lock(&health_->mu_);
      health_->watchers_.erase(this);
    }
    delete this;
  }

  HealthService* const health_;
  grpc::ServerContext context_;
  HealthCheckRequest request_;
  grpc::ServerAsyncWriter<HealthCheckResponse> writer_;
  OverTag over_tag_;
  bool accepted_ = false;  // only the operations' events touch it
  absl::Mutex mu_;
  // Written from `pending_` under mu_, read by gRPC until the write ends.
  HealthCheckResponse response_;
  std::optional<ServingStatus> pending_ ABSL_GUARDED_BY(mu_);
  std::optional<ServingStatus> sent_ ABSL_GUARDED_BY(mu_);
  bool registered_ ABSL_GUARDED_BY(mu_) = false;  // in health_->watchers_
  bool in_flight_ ABSL_GUARDED_BY(mu_) = false;   // a write or the finish
  bool finish_after_ ABSL_GUARDED_BY(mu_) = false;
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;  // a write failed
  bool over_ ABSL_GUARDED_BY(mu_) = false;    // gRPC's notice came
};

HealthService::HealthService(const bundles::Store* store)
    : store_(store),
      check_(
          [this](grpc::ServerContext* context, HealthCheckRequest* request,
                 grpc::ServerAsyncResponseWriter<HealthCheckResponse>* writer,
                 grpc::ServerCompletionQueue* cq, void* tag) {
            RequestCheck(context, request, writer, cq, cq, tag);
          },
          [this](const HealthCheckRequest& request, const UnaryCall&,
                 HealthCheckResponse* response) {
            return Check(request, response);
          }) {}

void HealthService::Start(grpc::ServerCompletionQueue* cq) {
  // Probes are rare: a couple of calls of each requested at a time.
  constexpr int kRequested = 2;
  cq_ = cq;
  check_.Start(cq, kRequested);
  for (int i = 0; i < kRequested; ++i) new Watcher(this);
}

HealthCheckResponse::ServingStatus HealthService::StatusOf(
    const std::string& service) const {
  if (!KnownService(service)) return HealthCheckResponse::SERVICE_UNKNOWN;
  bool serving = !shutting_down_.load() && store_->Ready();
  return serving ? HealthCheckResponse::SERVING
                 : HealthCheckResponse::NOT_SERVING;
}

grpc::Status HealthService::Check(const HealthCheckRequest& request,
                                  HealthCheckResponse* response) const {
  if (!KnownService(request.service())) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
  }
  response->set_status(StatusOf(request.service()));
  return grpc::Status::OK;
}

void HealthService::Notify() {
  absl::MutexLock lock(&mu_);
  bool last = shutting_down_.load();
  for (Watcher* watcher : watchers_) {
    watcher->Push(StatusOf(watcher->service()), last);
  }
}

void HealthService::SetShuttingDown() {
  shutting_down_.store(true);
  Notify();
}

}  // namespace policyd
