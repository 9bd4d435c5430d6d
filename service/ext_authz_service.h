// envoy.service.auth.v3.Authorization/Check over the decision path
// configured for Envoy (default `envoy/authz/allow`). The gRPC thread only
// hands the call to the worker pool, which converts the CheckRequest,
// decides and answers.
#ifndef POLICYD_SERVICE_EXT_AUTHZ_SERVICE_H_
#define POLICYD_SERVICE_EXT_AUTHZ_SERVICE_H_

#include <string>

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "service/decider.h"
#include "service/worker_pool.h"

namespace policyd {

class ExtAuthzService final
    : public envoy::service::auth::v3::Authorization::CallbackService {
 public:
  // With `dry_run` every request is allowed; decisions are still made,
  // counted and logged.
  ExtAuthzService(const Decider* decider, WorkerPool* pool, std::string path,
                  bool dry_run);

  grpc::ServerUnaryReactor* Check(
      grpc::CallbackServerContext* context,
      const envoy::service::auth::v3::CheckRequest* request,
      envoy::service::auth::v3::CheckResponse* response) override;

 private:
  class Call;

  const Decider* const decider_;
  WorkerPool* const pool_;
  const std::string path_;
  const bool dry_run_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_EXT_AUTHZ_SERVICE_H_
