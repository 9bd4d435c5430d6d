// gRPC health checking (grpc.health.v1.Health): SERVING once a snapshot with
// at least one bundle is active, NOT_SERVING before that and while shutting
// down. The service names "" (the server) and the full names of the services
// policyd offers are known; others are NOT_FOUND for Check and
// SERVICE_UNKNOWN for Watch. Watch streams the status now and on every
// change.
#ifndef POLICYD_SERVICE_HEALTH_SERVICE_H_
#define POLICYD_SERVICE_HEALTH_SERVICE_H_

#include <atomic>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
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
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

  // Tells watchers the status may have changed (after a reload).
  void Notify();
  // From now on every service is NOT_SERVING; watchers are told so and
  // their streams end, so that they do not hold up the server's shutdown.
  void SetShuttingDown();

 private:
  class Watcher;
  grpc::health::v1::HealthCheckResponse::ServingStatus StatusOf(
      const std::string& service) const;

  const bundles::Store* const store_;
  std::atomic<bool> shutting_down_{false};
  absl::Mutex mu_;
  absl::flat_hash_set<Watcher*> watchers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_HEALTH_SERVICE_H_
