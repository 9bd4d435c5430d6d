#include "service/ext_authz_service.h"

#include <utility>

#include "service/ext_authz.h"
#include "service/grpc_status.h"

namespace policyd {

constexpr std::string_view kApi = "ext_authz";

ExtAuthzService::ExtAuthzService(const Decider* decider, WorkerPool* pool,
                                 std::string path, bool dry_run)
    : decider_(decider), pool_(pool), path_(std::move(path)), dry_run_(dry_run) {}

grpc::ServerUnaryReactor* ExtAuthzService::Check(
    grpc::CallbackServerContext* context,
    const envoy::service::auth::v3::CheckRequest* request,
    envoy::service::auth::v3::CheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Time start = absl::Now();
  absl::StatusOr<Value> input = CheckRequestToInput(*request);
  if (!input.ok()) {
    decider_->metrics()->CountError(kApi, "invalid_argument");
    reactor->Finish(ToGrpcStatus(input.status()));
    return reactor;
  }
  absl::Time deadline = absl::InfiniteFuture();
  if (context->deadline() != std::chrono::system_clock::time_point::max()) {
    deadline = absl::FromChrono(context->deadline());
  }
  bool queued = pool_->TrySubmit(
      [this, reactor, response, start, deadline, input = *std::move(input)]() {
        Decision decision = decider_->Decide(path_, &input, deadline);
        if (decision.status.code() == absl::StatusCode::kFailedPrecondition) {
          // No policy yet: an error Envoy applies its failure mode to.
          decider_->Record(kApi, path_, &input, decision, Outcome::kError,
                           start);
          reactor->Finish(ToGrpcStatus(decision.status));
          return;
        }
        AuthzDecision authz{decision.result, decision.status,
                            decision.decision_id};
        Outcome outcome = CheckResponseFromDecision(authz, dry_run_, response);
        decider_->Record(kApi, path_, &input, decision, outcome, start);
        reactor->Finish(grpc::Status::OK);
      });
  if (!queued) {
    decider_->metrics()->CountError(kApi, "resource_exhausted");
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "too many decisions in flight; retry later"));
  }
  return reactor;
}

}  // namespace policyd
