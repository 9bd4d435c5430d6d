#include "service/api/ext_authz_service.h"

#include <string>
#include <string_view>
#include <utility>

#include "service/envoy/ext_authz.h"
#include "service/api/grpc_status.h"

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
          [this](grpc::ServerContext* context, grpc::ByteBuffer* request,
                 grpc::ServerAsyncResponseWriter<grpc::ByteBuffer>* writer,
                 grpc::ServerCompletionQueue* cq, void* tag) {
            RequestCheck(context, request, writer, cq, cq, tag);
          },
          [this](const grpc::ByteBuffer& request, const UnaryCall& call,
                 grpc::ByteBuffer* response) {
            return Check(request, call, response);
          }) {}

void ExtAuthzService::Start(grpc::ServerCompletionQueue* cq, int slots) {
  check_.Start(cq, slots);
}

grpc::Status ExtAuthzService::Check(const grpc::ByteBuffer& request,
                                    const UnaryCall& call,
                                    grpc::ByteBuffer* response) const {
  // The bytes are read in place when gRPC holds them in one slice (the
  // usual case for a request of a few kilobytes), else joined once.
  grpc::Slice slice;
  if (!request.TrySingleSlice(&slice).ok() && !request.DumpToSingleSlice(&slice).ok()) {
    decider_->metrics()->CountError(kApi, "invalid_argument");
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unreadable request");
  }
  std::string_view wire(reinterpret_cast<const char*>(slice.begin()), slice.size());
  absl::StatusOr<Value> input = CheckRequestToInput(wire);
  if (!input.ok()) {
    decider_->metrics()->CountError(kApi, "invalid_argument");
    return ToGrpcStatus(input.status());
  }
  Decision decision = decider_->Decide(path_, &*input, call.deadline,
                                       {.cancelled = call.cancelled});
  if (decision.status.code() == absl::StatusCode::kFailedPrecondition) {
    // No policy yet: an error Envoy applies its failure mode to.
    decider_->Record(kApi, path_, &*input, decision, Outcome::kError,
                     call.start);
    return ToGrpcStatus(decision.status);
  }
  AuthzDecision authz{std::move(decision.result), decision.status,
                      decision.decision_id};
  auth::CheckResponse message;
  Outcome outcome = CheckResponseFromDecision(authz, dry_run_, &message);
  bool own_buffer = false;
  grpc::Status serialized =
      grpc::SerializationTraits<auth::CheckResponse>::Serialize(message, response, &own_buffer);
  decision.result = std::move(authz.result);
  decider_->Record(kApi, path_, &*input, decision, outcome, call.start);
  return serialized;
}

}  // namespace policyd
