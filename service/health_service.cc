#include "service/health_service.h"

#include <string>

#include "service/decider.h"

namespace policyd {

using grpc::health::v1::HealthCheckResponse;

HealthService::HealthService(const bundles::Store* store) : store_(store) {}

grpc::ServerUnaryReactor* HealthService::Check(
    grpc::CallbackServerContext* context,
    const grpc::health::v1::HealthCheckRequest* request,
    HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const std::string& service = request->service();
  if (!service.empty() && service != "policyd.v1.DecisionService" &&
      service != "envoy.service.auth.v3.Authorization") {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service"));
    return reactor;
  }
  bool serving =
      !shutting_down_.load() && HasActiveBundles(*store_->Current());
  response->set_status(serving ? HealthCheckResponse::SERVING
                               : HealthCheckResponse::NOT_SERVING);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace policyd
