#include "service/api/decision_service.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/value/json.h"
#include "service/api/grpc_status.h"
#include "service/api/proto_value.h"
#include "util/status_macros.h"

namespace policyd {
namespace {

constexpr std::string_view kApi = "grpc";

void SetDuration(absl::Duration d, google::protobuf::Duration* proto) {
  int64_t ns = absl::ToInt64Nanoseconds(d);
  proto->set_seconds(ns / 1000000000);
  proto->set_nanos(static_cast<int32_t>(ns % 1000000000));
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* proto) {
  if (t == absl::InfinitePast() || t == absl::UnixEpoch()) return;
  int64_t ns = absl::ToUnixNanos(t);
  proto->set_seconds(ns / 1000000000);
  proto->set_nanos(static_cast<int32_t>(ns % 1000000000));
}

void FillRevisions(const Decision& decision,
                   google::protobuf::Map<std::string, std::string>* out) {
  for (auto& [name, revision] : decision.Revisions()) (*out)[name] = revision;
}

}  // namespace

absl::StatusOr<bool> InputFromProto(const v1::Input& proto, Value* input) {
  switch (proto.kind_case()) {
    case v1::Input::kValue: {
      POLICYD_ASSIGN_OR_RETURN(Value value, ValueFromProto(proto.value()));
      *input = std::move(value);
      return true;
    }
    case v1::Input::kJson: {
      absl::StatusOr<Value> value = ParseJson(proto.json());
      if (!value.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("input: malformed JSON: ", value.status().message()));
      }
      *input = *std::move(value);
      return true;
    }
    case v1::Input::KIND_NOT_SET:
      break;
  }
  return false;
}

void FillStatus(const bundles::StoreStatus& status,
                v1::GetStatusResponse* response) {
  for (const bundles::BundleStatus& b : status.bundles) {
    v1::BundleStatus* out = response->add_bundles();
    out->set_name(b.name);
    out->set_path(b.path);
    out->set_active(b.active);
    out->set_revision(b.revision);
    if (b.active) SetTimestamp(b.loaded, out->mutable_activated());
    for (const bundles::BundleError& e : b.errors) out->add_errors(e.ToString());
  }
  if (status.current != nullptr && HasActiveBundles(*status.current)) {
    response->set_generation(status.current->generation());
  }
  SetTimestamp(status.last_attempt, response->mutable_last_attempt());
  if (!status.last_result.ok()) {
    response->set_last_error(std::string(status.last_result.message()));
  }
  response->set_reloads_succeeded(status.reloads_succeeded);
  response->set_reloads_failed(status.reloads_failed);
}

DecisionService::DecisionService(bundles::Store* store, const Decider* decider,
                                 WorkerPool* pool)
    : store_(store),
      decider_(decider),
      decide_(
          kApi, pool, decider->metrics(),
          [this](grpc::ServerContext* context, v1::DecideRequest* request,
                 grpc::ServerAsyncResponseWriter<v1::DecideResponse>* writer,
                 grpc::ServerCompletionQueue* cq, void* tag) {
            RequestDecide(context, request, writer, cq, cq, tag);
          },
          [this](const v1::DecideRequest& request, const UnaryCall& call,
                 v1::DecideResponse* response) {
            return Decide(request, call, response);
          }),
      decide_batch_(
          kApi, pool, decider->metrics(),
          [this](grpc::ServerContext* context, v1::DecideBatchRequest* request,
                 grpc::ServerAsyncResponseWriter<v1::DecideBatchResponse>*
                     writer,
                 grpc::ServerCompletionQueue* cq, void* tag) {
            RequestDecideBatch(context, request, writer, cq, cq, tag);
          },
          [this](const v1::DecideBatchRequest& request, const UnaryCall& call,
                 v1::DecideBatchResponse* response) {
            return DecideBatch(request, call, response);
          }),
      get_status_(
          [this](grpc::ServerContext* context, v1::GetStatusRequest* request,
                 grpc::ServerAsyncResponseWriter<v1::GetStatusResponse>*
                     writer,
                 grpc::ServerCompletionQueue* cq, void* tag) {
            RequestGetStatus(context, request, writer, cq, cq, tag);
          },
          [this](const v1::GetStatusRequest&, const UnaryCall&,
                 v1::GetStatusResponse* response) {
            return GetStatus(response);
          }),
      reload_(
          [this](grpc::ServerContext* context, v1::ReloadRequest* request,
                 grpc::ServerAsyncResponseWriter<v1::ReloadResponse>* writer,
                 grpc::ServerCompletionQueue* cq, void* tag) {
            RequestReload(context, request, writer, cq, cq, tag);
          },
          [this](const v1::ReloadRequest&, const UnaryCall&,
                 v1::ReloadResponse* response) { return Reload(response); }) {}

void DecisionService::Start(grpc::ServerCompletionQueue* cq, int slots) {
  decide_.Start(cq, slots);
  decide_batch_.Start(cq, slots);
  // Rare calls: a couple requested at a time is enough.
  get_status_.Start(cq, 2);
  reload_.Start(cq, 2);
}

grpc::Status DecisionService::Decide(const v1::DecideRequest& request,
                                     const UnaryCall& call,
                                     v1::DecideResponse* response) const {
  Value input;
  absl::StatusOr<bool> has_input = InputFromProto(request.input(), &input);
  if (!has_input.ok()) {
    decider_->metrics()->CountError(kApi, "invalid_argument");
    return ToGrpcStatus(has_input.status());
  }
  const Value* in = *has_input ? &input : nullptr;
  Decision decision = decider_->Decide(request.path(), in, call.deadline);
  Outcome outcome = ClassifyDecision(decision);
  decider_->Record(kApi, request.path(), in, decision, outcome, call.start);
  if (!decision.status.ok()) return ToGrpcStatus(decision.status);
  if (decision.result.has_value()) {
    ValueToProto(*decision.result, response->mutable_result());
  } else {
    response->set_undefined(true);
  }
  response->set_decision_id(decision.decision_id);
  FillRevisions(decision, response->mutable_revisions());
  SetDuration(decision.eval_time, response->mutable_eval_time());
  return grpc::Status::OK;
}

grpc::Status DecisionService::DecideBatch(
    const v1::DecideBatchRequest& request, const UnaryCall& call,
    v1::DecideBatchResponse* response) const {
  std::vector<std::optional<Value>> inputs;
  inputs.reserve(request.inputs_size());
  for (int i = 0; i < request.inputs_size(); ++i) {
    Value input;
    absl::StatusOr<bool> has = InputFromProto(request.inputs(i), &input);
    if (!has.ok()) {
      decider_->metrics()->CountError(kApi, "invalid_argument");
      return ToGrpcStatus(absl::InvalidArgumentError(
          absl::StrCat("inputs[", i, "]: ", has.status().message())));
    }
    inputs.push_back(*has ? std::optional<Value>(std::move(input))
                          : std::nullopt);
  }
  for (const std::optional<Value>& input : inputs) {
    const Value* in = input.has_value() ? &*input : nullptr;
    Decision decision = decider_->Decide(request.path(), in, call.deadline);
    decider_->Record(kApi, request.path(), in, decision,
                     ClassifyDecision(decision), call.start);
    // The call fails as a whole only when no decision can be made.
    if (decision.status.code() == absl::StatusCode::kFailedPrecondition ||
        (decision.status.code() == absl::StatusCode::kInvalidArgument &&
         ErrorCodeOf(decision.status) == "invalid_argument")) {
      return ToGrpcStatus(decision.status);
    }
    if (response->revisions().empty()) {
      FillRevisions(decision, response->mutable_revisions());
    }
    auto* result = response->add_results();
    result->set_decision_id(decision.decision_id);
    SetDuration(decision.eval_time, result->mutable_eval_time());
    if (!decision.status.ok()) {
      FillErrorDetail(decision.status, result->mutable_error());
    } else if (decision.result.has_value()) {
      ValueToProto(*decision.result, result->mutable_result());
    } else {
      result->set_undefined(true);
    }
  }
  return grpc::Status::OK;
}

grpc::Status DecisionService::GetStatus(
    v1::GetStatusResponse* response) const {
  FillStatus(store_->Status(), response);
  return grpc::Status::OK;
}

grpc::Status DecisionService::Reload(v1::ReloadResponse* response) const {
  absl::Status result = store_->Reload();
  response->set_ok(result.ok());
  if (!result.ok()) response->set_error(std::string(result.message()));
  FillStatus(store_->Status(), response->mutable_status());
  return grpc::Status::OK;
}

}  // namespace policyd
