// gRPC health checking (grpc.health.v1.Health): SERVING once the store is
// ready (a snapshot with at least one bundle, and every configured remote
// bundle activated once), NOT_SERVING before that and while shutting down. The service names "" (the server) and the full names of the services
// policyd offers are known; others are NOT_FOUND for Check and
// SERVICE_UNKNOWN for Watch. Watch streams the status now and on every
// change. Served on our completion queue threads, like the decision
// methods, so that gRPC starts no callback threads of its own (they would
// take part in polling and add a hand-off to decision calls); a health
// call is answered on the thread that receives it, never refused.
#ifndef POLICYD_SERVICE_API_HEALTH_SERVICE_H_
#define POLICYD_SERVICE_API_HEALTH_SERVICE_H_

#include <atomic>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "bundles/store.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "service/transport/async_unary_method.h"

namespace policyd {

class HealthService final : public grpc::health::v1::Health::AsyncService {
 public:
  explicit HealthService(const bundles::Store* store);

  // Serves Check and Watch on `cq`; once, after the server has started.
  void Start(grpc::ServerCompletionQueue* cq);

  // Tells watchers the status may have changed (after a reload).
  void Notify();
  // From now on every service is NOT_SERVING; watchers are told so and
  // their streams end, so that they do not hold up the server's shutdown.
  void SetShuttingDown();

 private:
  class Watcher;

  grpc::Status Check(const grpc::health::v1::HealthCheckRequest& request,
                     grpc::health::v1::HealthCheckResponse* response) const;
  grpc::health::v1::HealthCheckResponse::ServingStatus StatusOf(
      const std::string& service) const;

  const bundles::Store* const store_;
  std::atomic<bool> shutting_down_{false};
  grpc::ServerCompletionQueue* cq_ = nullptr;
  AsyncUnaryMethod<grpc::health::v1::HealthCheckRequest,
                   grpc::health::v1::HealthCheckResponse>
      check_;
  // Lock order: mu_, then a watcher's own lock. A watcher leaves the set
  // under mu_ before it is deleted, so one found here under mu_ is alive.
  absl::Mutex mu_;
  absl::flat_hash_set<Watcher*> watchers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_HEALTH_SERVICE_H_
