#include "service/ext_authz_service.h"

#include <utility>

#include "service/ext_authz.h"
#include "service/grpc_status.h"

namespace policyd {
namespace {

namespace auth = envoy::service::auth::v3;

constexpr std::string_view kApi = "ext_authz";

}  // namespace

ExtAuthzService::ExtAuthzService(const Decider* decider, WorkerPool* pool,
                                 std::string path, bool dry_run)
    : decider_(decider),
      path_(std::move(path)),
      dry_run_(dry_run),
      check_(
          kApi, pool, decider->metrics(),
          [this](grpc::ServerContext* context, auth::CheckRequest* request,
                 grpc::ServerAsyncResponseWriter<auth::CheckResponse>* writer,
                 grpc::ServerCompletionQueue* cq, void* tag) {
            RequestCheck(context, request, writer, cq, cq, tag);
          },
          [this](const auth::CheckRequest& request, const UnaryCall& call,
                 auth::CheckResponse* response) {
            return Check(request, call, response);
          }) {}

void ExtAuthzService::Start(grpc::ServerCompletionQueue* cq, int slots) {
  check_.Start(cq, slots);
}

grpc::Status ExtAuthzService::Check(const auth::CheckRequest& request,
                                    const UnaryCall& call,
                                    auth::CheckResponse* response) const {
  absl::StatusOr<Value> input = CheckRequestToInput(request);
  if (!input.ok()) {
    decider_->metrics()->CountError(kApi, "invalid_argument");
    return ToGrpcStatus(input.status());
  }
  Decision decision = decider_->Decide(path_, &*input, call.deadline);
  if (decision.status.code() == absl::StatusCode::kFailedPrecondition) {
    // No policy yet: an error Envoy applies its failure mode to.
    decider_->Record(kApi, path_, &*input, decision, Outcome::kError,
                     call.start);
    return ToGrpcStatus(decision.status);
  }
  AuthzDecision authz{std::move(decision.result), decision.status,
                      decision.decision_id};
  Outcome outcome = CheckResponseFromDecision(authz, dry_run_, response);
  decision.result = std::move(authz.result);
  decider_->Record(kApi, path_, &*input, decision, outcome, call.start);
  return grpc::Status::OK;
}

}  // namespace policyd
