// gRPC health checking (grpc.health.v1.Health/Check): SERVING once a
// snapshot with at least one bundle is active, NOT_SERVING before that and
// while shutting down. The service names "" (the server) and the full names
// of the services policyd offers are known; others are NOT_FOUND. Watch is
// not offered (UNIMPLEMENTED), as the protocol allows.
#ifndef POLICYD_SERVICE_HEALTH_SERVICE_H_
#define POLICYD_SERVICE_HEALTH_SERVICE_H_

#include <atomic>

#include "bundles/store.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace policyd {

class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  explicit HealthService(const bundles::Store* store);

  grpc::ServerUnaryReactor* Check(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request,
      grpc::health::v1::HealthCheckResponse* response) override;

  // From now on every service is NOT_SERVING.
  void SetShuttingDown() { shutting_down_.store(true); }

 private:
  const bundles::Store* const store_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_HEALTH_SERVICE_H_
