// envoy.service.auth.v3.Authorization/Check over the decision path
// configured for Envoy (default `envoy/authz/allow`), served on our
// completion queue threads (see async_unary_method.h): a call is usually
// converted, decided and answered on the thread that received it. The
// request arrives as its wire bytes, which are decoded straight into the
// input document (no CheckRequest message is built on this hot path).
#ifndef POLICYD_SERVICE_API_EXT_AUTHZ_SERVICE_H_
#define POLICYD_SERVICE_API_EXT_AUTHZ_SERVICE_H_

#include <string>

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/transport/async_unary_method.h"
#include "service/decider.h"
#include "service/transport/worker_pool.h"

namespace policyd {

class ExtAuthzService final
    : public envoy::service::auth::v3::Authorization::WithRawMethod_Check<
          envoy::service::auth::v3::Authorization::Service> {
 public:
  // With `dry_run` every request is allowed; decisions are still made,
  // counted and logged. All must outlive the service.
  ExtAuthzService(const Decider* decider, WorkerPool* pool, std::string path,
                  bool dry_run);

  // Serves Check on `cq` with `slots` calls requested; once, after the
  // server has started.
  void Start(grpc::ServerCompletionQueue* cq, int slots);

 private:
  grpc::Status Check(const grpc::ByteBuffer& request, const UnaryCall& call,
                     grpc::ByteBuffer* response) const;

  const Decider* const decider_;
  const std::string path_;
  const bool dry_run_;
  AsyncUnaryMethod<grpc::ByteBuffer, grpc::ByteBuffer> check_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_EXT_AUTHZ_SERVICE_H_
