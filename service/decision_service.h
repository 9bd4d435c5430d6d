// The gRPC Decision API (policyd.v1.DecisionService). Requests are
// converted on the gRPC thread and evaluated on the worker pool; the gRPC
// thread returns at once. A full queue answers RESOURCE_EXHAUSTED.
#ifndef POLICYD_SERVICE_DECISION_SERVICE_H_
#define POLICYD_SERVICE_DECISION_SERVICE_H_

#include "bundles/store.h"
#include "policyd/v1/decision.grpc.pb.h"
#include "service/decider.h"
#include "service/worker_pool.h"

namespace policyd {

// The Decision API's input as a Value: unset -> false (no input).
absl::StatusOr<bool> InputFromProto(const v1::Input& proto, Value* input);

// The store's status as the API reports it.
void FillStatus(const bundles::StoreStatus& status,
                v1::GetStatusResponse* response);

class DecisionService final : public v1::DecisionService::CallbackService {
 public:
  // All must outlive the service.
  DecisionService(bundles::Store* store, const Decider* decider,
                  WorkerPool* pool);

  grpc::ServerUnaryReactor* Decide(grpc::CallbackServerContext* context,
                                   const v1::DecideRequest* request,
                                   v1::DecideResponse* response) override;
  grpc::ServerUnaryReactor* DecideBatch(
      grpc::CallbackServerContext* context,
      const v1::DecideBatchRequest* request,
      v1::DecideBatchResponse* response) override;
  grpc::ServerUnaryReactor* GetStatus(grpc::CallbackServerContext* context,
                                      const v1::GetStatusRequest* request,
                                      v1::GetStatusResponse* response) override;
  grpc::ServerUnaryReactor* Reload(grpc::CallbackServerContext* context,
                                   const v1::ReloadRequest* request,
                                   v1::ReloadResponse* response) override;

 private:
  bundles::Store* const store_;
  const Decider* const decider_;
  WorkerPool* const pool_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_DECISION_SERVICE_H_
