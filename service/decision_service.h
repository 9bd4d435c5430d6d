// The gRPC Decision API (policyd.v1.DecisionService). Decide and
// DecideBatch are served on our completion queue threads with the worker
// pool's admission (see async_unary_method.h): usually converted, decided
// and answered on the thread that received the call; RESOURCE_EXHAUSTED at
// once when the pool's queue is full. GetStatus and Reload, cheap and
// rare, run on gRPC's callback threads.
#ifndef POLICYD_SERVICE_DECISION_SERVICE_H_
#define POLICYD_SERVICE_DECISION_SERVICE_H_

#include "bundles/store.h"
#include "policyd/v1/decision.grpc.pb.h"
#include "service/async_unary_method.h"
#include "service/decider.h"
#include "service/worker_pool.h"

namespace policyd {

// The Decision API's input as a Value: unset -> false (no input).
absl::StatusOr<bool> InputFromProto(const v1::Input& proto, Value* input);

// The store's status as the API reports it.
void FillStatus(const bundles::StoreStatus& status,
                v1::GetStatusResponse* response);

// gRPC's generated service with Decide and DecideBatch async, GetStatus and
// Reload callback.
using DecisionServiceBase = v1::DecisionService::WithAsyncMethod_Decide<
    v1::DecisionService::WithAsyncMethod_DecideBatch<
        v1::DecisionService::WithCallbackMethod_GetStatus<
            v1::DecisionService::WithCallbackMethod_Reload<
                v1::DecisionService::Service>>>>;

class DecisionService final : public DecisionServiceBase {
 public:
  // All must outlive the service.
  DecisionService(bundles::Store* store, const Decider* decider,
                  WorkerPool* pool);

  // Serves Decide and DecideBatch on `cq` with `slots` calls of each
  // requested; once, after the server has started.
  void Start(grpc::ServerCompletionQueue* cq, int slots);

  grpc::ServerUnaryReactor* GetStatus(grpc::CallbackServerContext* context,
                                      const v1::GetStatusRequest* request,
                                      v1::GetStatusResponse* response) override;
  grpc::ServerUnaryReactor* Reload(grpc::CallbackServerContext* context,
                                   const v1::ReloadRequest* request,
                                   v1::ReloadResponse* response) override;

 private:
  grpc::Status Decide(const v1::DecideRequest& request, const UnaryCall& call,
                      v1::DecideResponse* response) const;
  grpc::Status DecideBatch(const v1::DecideBatchRequest& request,
                           const UnaryCall& call,
                           v1::DecideBatchResponse* response) const;

  bundles::Store* const store_;
  const Decider* const decider_;
  AsyncUnaryMethod<v1::DecideRequest, v1::DecideResponse> decide_;
  AsyncUnaryMethod<v1::DecideBatchRequest, v1::DecideBatchResponse>
      decide_batch_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_DECISION_SERVICE_H_
