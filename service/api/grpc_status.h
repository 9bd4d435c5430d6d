// absl::Status -> grpc::Status with the same code and, for errors that carry
// an OPA error code, a google.rpc.Status in the binary error details holding
// a policyd.v1.ErrorDetail {code, message}.
#ifndef POLICYD_SERVICE_API_GRPC_STATUS_H_
#define POLICYD_SERVICE_API_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "policyd/v1/decision.pb.h"

namespace policyd {

// The error's OPA code (e.g. "eval_conflict_error"), or the lower-case name
// of its status code ("failed_precondition") when it has none.
std::string ErrorCodeOf(const absl::Status& status);

void FillErrorDetail(const absl::Status& status, v1::ErrorDetail* detail);

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_GRPC_STATUS_H_
