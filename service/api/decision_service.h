// The gRPC Decision API (policyd.v1.DecisionService), served on our
// completion queue threads (see async_unary_method.h). Decide and
// DecideBatch go through the worker pool's admission: usually converted,
// decided and answered on the thread that received the call;
// RESOURCE_EXHAUSTED at once when the pool's queue is full. GetStatus and
// Reload, rare, run on the receiving thread without admission (a Reload
// holds that thread while the bundles load).
#ifndef POLICYD_SERVICE_API_DECISION_SERVICE_H_
#define POLICYD_SERVICE_API_DECISION_SERVICE_H_

#include "bundles/store.h"
#include "policyd/v1/decision.grpc.pb.h"
#include "service/transport/async_unary_method.h"
#include "service/decider.h"
#include "service/transport/worker_pool.h"

namespace policyd {

// The Decision API's input as a Value: unset -> false (no input).
absl::StatusOr<bool> InputFromProto(const v1::Input& proto, Value* input);

// The store's status as the API reports it.
void FillStatus(const bundles::StoreStatus& status,
                v1::GetStatusResponse* response);

class DecisionService final : public v1::DecisionService::AsyncService {
 public:
  // All must outlive the service.
  DecisionService(bundles::Store* store, const Decider* decider,
                  WorkerPool* pool);

  // Serves the methods on `cq` with `slots` calls of Decide and DecideBatch
  // requested (a couple of the others); once, after the server has started.
  void Start(grpc::ServerCompletionQueue* cq, int slots);

 private:
  grpc::Status Decide(const v1::DecideRequest& request, const UnaryCall& call,
                      v1::DecideResponse* response) const;
  grpc::Status DecideBatch(const v1::DecideBatchRequest& request,
                           const UnaryCall& call,
                           v1::DecideBatchResponse* response) const;

  grpc::Status GetStatus(v1::GetStatusResponse* response) const;
  grpc::Status Reload(v1::ReloadResponse* response) const;

  bundles::Store* const store_;
  const Decider* const decider_;
  AsyncUnaryMethod<v1::DecideRequest, v1::DecideResponse> decide_;
  AsyncUnaryMethod<v1::DecideBatchRequest, v1::DecideBatchResponse>
      decide_batch_;
  AsyncUnaryMethod<v1::GetStatusRequest, v1::GetStatusResponse> get_status_;
  AsyncUnaryMethod<v1::ReloadRequest, v1::ReloadResponse> reload_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_DECISION_SERVICE_H_
