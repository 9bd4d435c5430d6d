// envoy.service.auth.v3.Authorization/Check over the decision path
// configured for Envoy (default `envoy/authz/allow`), served on our
// completion queue threads (see async_unary_method.h): a call is usually
// converted, decided and answered on the thread that received it.
#ifndef POLICYD_SERVICE_EXT_AUTHZ_SERVICE_H_
#define POLICYD_SERVICE_EXT_AUTHZ_SERVICE_H_

#include <string>

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "service/async_unary_method.h"
#include "service/decider.h"
#include "service/worker_pool.h"

namespace policyd {

class ExtAuthzService final
    : public envoy::service::auth::v3::Authorization::AsyncService {
 public:
  // With `dry_run` every request is allowed; decisions are still made,
  // counted and logged. All must outlive the service.
  ExtAuthzService(const Decider* decider, WorkerPool* pool, std::string path,
                  bool dry_run);

  // Serves Check on `cq` with `slots` calls requested; once, after the
  // server has started.
  void Start(grpc::ServerCompletionQueue* cq, int slots);

 private:
  grpc::Status Check(const envoy::service::auth::v3::CheckRequest& request,
                     const UnaryCall& call,
                     envoy::service::auth::v3::CheckResponse* response) const;

  const Decider* const decider_;
  const std::string path_;
  const bool dry_run_;
  AsyncUnaryMethod<envoy::service::auth::v3::CheckRequest,
                   envoy::service::auth::v3::CheckResponse>
      check_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_EXT_AUTHZ_SERVICE_H_
