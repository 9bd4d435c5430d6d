#include "service/ext_authz_service.h"

#include <utility>

#include "service/ext_authz.h"
#include "service/grpc_status.h"

namespace policyd {
namespace {

namespace auth = envoy::service::auth::v3;

constexpr std::string_view kApi = "ext_authz";

}  // namespace

// One Check call: its own reactor, so that the task handed to the worker
// pool is a single pointer (no allocation for the task itself) and the
// request is converted on the worker, off the gRPC thread. Deletes itself
// when gRPC is done with the call.
class ExtAuthzService::Call final : public grpc::ServerUnaryReactor {
 public:
  Call(const ExtAuthzService* service, const auth::CheckRequest* request,
       auth::CheckResponse* response, absl::Time deadline)
      : service_(service),
        request_(request),
        response_(response),
        start_(absl::Now()),
        deadline_(deadline) {}

  void Run() {
    const Decider* decider = service_->decider_;
    absl::StatusOr<Value> input = CheckRequestToInput(*request_);
    if (!input.ok()) {
      decider->metrics()->CountError(kApi, "invalid_argument");
      Finish(ToGrpcStatus(input.status()));
      return;
    }
    Decision decision = decider->Decide(service_->path_, &*input, deadline_);
    if (decision.status.code() == absl::StatusCode::kFailedPrecondition) {
      // No policy yet: an error Envoy applies its failure mode to.
      decider->Record(kApi, service_->path_, &*input, decision,
                      Outcome::kError, start_);
      Finish(ToGrpcStatus(decision.status));
      return;
    }
    AuthzDecision authz{std::move(decision.result), decision.status,
                        decision.decision_id};
    Outcome outcome =
        CheckResponseFromDecision(authz, service_->dry_run_, response_);
    decision.result = std::move(authz.result);
    decider->Record(kApi, service_->path_, &*input, decision, outcome, start_);
    Finish(grpc::Status::OK);
  }

  void OnDone() override { delete this; }
  // OnDone only frees memory, so gRPC may run it inline; otherwise every
  // call ends with a hop to gRPC's executor threads (a context switch).
  bool InternalInlineable() override { return true; }

 private:
  const ExtAuthzService* const service_;
  const auth::CheckRequest* const request_;
  auth::CheckResponse* const response_;
  const absl::Time start_;
  const absl::Time deadline_;
};

ExtAuthzService::ExtAuthzService(const Decider* decider, WorkerPool* pool,
                                 std::string path, bool dry_run)
    : decider_(decider), pool_(pool), path_(std::move(path)), dry_run_(dry_run) {}

grpc::ServerUnaryReactor* ExtAuthzService::Check(
    grpc::CallbackServerContext* context, const auth::CheckRequest* request,
    auth::CheckResponse* response) {
  absl::Time deadline = absl::InfiniteFuture();
  if (context->deadline() != std::chrono::system_clock::time_point::max()) {
    deadline = absl::FromChrono(context->deadline());
  }
  Call* call = new Call(this, request, response, deadline);
  if (!pool_->TrySubmit([call] { call->Run(); })) {
    decider_->metrics()->CountError(kApi, "resource_exhausted");
    call->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                              "too many decisions in flight; retry later"));
  }
  return call;
}

}  // namespace policyd
