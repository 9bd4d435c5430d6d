#include "service/health_service.h"

#include <optional>
#include <string>
#include <vector>

#include "service/decider.h"

namespace policyd {

using grpc::health::v1::HealthCheckResponse;

namespace {

bool KnownService(const std::string& service) {
  return service.empty() || service == "policyd.v1.DecisionService" ||
         service == "envoy.service.auth.v3.Authorization";
}

}  // namespace

// Set while Notify() holds the service's lock, so that a stream ending
// inline from a call made there does not take that lock again.
thread_local bool in_notify = false;

// One Watch stream: writes one status at a time, always the latest, and
// skips repeats. gRPC calls are made outside the stream's lock, since gRPC
// may run a reaction inline.
class HealthService::Watcher
    : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  Watcher(HealthService* health, std::string service)
      : health_(health), service_(std::move(service)) {}

  const std::string& service() const { return service_; }

  void Push(HealthCheckResponse::ServingStatus status, bool last) {
    Action action;
    {
      absl::MutexLock lock(&mu_);
      pending_ = status;
      finish_after_ = finish_after_ || last;
      action = NextLocked();
    }
    Act(action);
  }

  void OnWriteDone(bool ok) override {
    Action action;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) cancelled_ = true;
      action = NextLocked();
    }
    Act(action);
  }
  void OnCancel() override {
    Action action;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      action = NextLocked();
    }
    Act(action);
  }
  void OnDone() override {
    if (in_notify) {
      health_->watchers_.erase(this);
    } else {
      absl::MutexLock lock(&health_->mu_);
      health_->watchers_.erase(this);
    }
    delete this;
  }

 private:
  enum class Action { kNone, kWrite, kFinishOk, kFinishCancelled };

  Action NextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (done_ || writing_) return Action::kNone;
    if (cancelled_) {
      done_ = true;
      return Action::kFinishCancelled;
    }
    if (pending_.has_value() && pending_ != sent_) {
      response_.set_status(*pending_);
      sent_ = pending_;
      pending_.reset();
      writing_ = true;
      return Action::kWrite;
    }
    if (finish_after_) {
      done_ = true;
      return Action::kFinishOk;
    }
    return Action::kNone;
  }

  // `response_` is only touched again after the write completes.
  void Act(Action action) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    switch (action) {
      case Action::kNone:
        return;
      case Action::kWrite:
        StartWrite(&response_);
        return;
      case Action::kFinishOk:
        Finish(grpc::Status::OK);
        return;
      case Action::kFinishCancelled:
        Finish(grpc::Status::CANCELLED);
        return;
    }
  }

  HealthService* const health_;
  const std::string service_;
  absl::Mutex mu_;
  HealthCheckResponse response_;
  std::optional<HealthCheckResponse::ServingStatus> pending_ ABSL_GUARDED_BY(mu_);
  std::optional<HealthCheckResponse::ServingStatus> sent_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_after_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

HealthService::HealthService(const bundles::Store* store) : store_(store) {}

HealthCheckResponse::ServingStatus HealthService::StatusOf(
    const std::string& service) const {
  if (!KnownService(service)) return HealthCheckResponse::SERVICE_UNKNOWN;
  bool serving = !shutting_down_.load() && HasActiveBundles(*store_->Current());
  return serving ? HealthCheckResponse::SERVING
                 : HealthCheckResponse::NOT_SERVING;
}

grpc::ServerUnaryReactor* HealthService::Check(
    grpc::CallbackServerContext* context,
    const grpc::health::v1::HealthCheckRequest* request,
    HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (!KnownService(request->service())) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service"));
    return reactor;
  }
  response->set_status(StatusOf(request->service()));
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* context,
    const grpc::health::v1::HealthCheckRequest* request) {
  auto* watcher = new Watcher(this, request->service());
  absl::MutexLock lock(&mu_);
  watchers_.insert(watcher);
  // The first write starts once the reactor is returned; an inline end of
  // the stream finds the lock held (in_notify).
  in_notify = true;
  watcher->Push(StatusOf(request->service()), shutting_down_.load());
  in_notify = false;
  return watcher;
}

void HealthService::Notify() {
  absl::MutexLock lock(&mu_);
  bool last = shutting_down_.load();
  // A copy: a stream may end, and leave the set, inline from Push.
  std::vector<Watcher*> watchers(watchers_.begin(), watchers_.end());
  in_notify = true;
  for (Watcher* watcher : watchers) {
    watcher->Push(StatusOf(watcher->service()), last);
  }
  in_notify = false;
}

void HealthService::SetShuttingDown() {
  shutting_down_.store(true);
  Notify();
}

}  // namespace policyd
