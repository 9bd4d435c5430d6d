#include "service/api/grpc_status.h"

#include "absl/strings/ascii.h"
#include "engine/errors.h"
#include "google/rpc/status.pb.h"

namespace policyd {

std::string ErrorCodeOf(const absl::Status& status) {
  std::string code = ErrorCode(status);
  if (!code.empty()) return code;
  return absl::AsciiStrToLower(absl::StatusCodeToString(status.code()));
}

void FillErrorDetail(const absl::Status& status, v1::ErrorDetail* detail) {
  detail->set_code(ErrorCodeOf(status));
  detail->set_message(std::string(status.message()));
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(status.code()));
  rich.set_message(std::string(status.message()));
  v1::ErrorDetail detail;
  FillErrorDetail(status, &detail);
  rich.add_details()->PackFrom(detail);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()),
                      rich.SerializeAsString());
}

}  // namespace policyd
