#include "service/api/grpc_status.h"

#include "engine/errors.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(GrpcStatusTest, PolicyErrorsCarryTheirCodeInDetails) {
  absl::Status error = MakeError(kEvalConflictError, "p.rego", 3, 1,
                                 "complete rules must not produce multiple outputs");
  grpc::Status status = ToGrpcStatus(error);
  EXPECT_EQ(status.error_code(), static_cast<grpc::StatusCode>(error.code()));
  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(status.error_details()));
  ASSERT_EQ(rich.details_size(), 1);
  v1::ErrorDetail detail;
  ASSERT_TRUE(rich.details(0).UnpackTo(&detail));
  EXPECT_EQ(detail.code(), "eval_conflict_error");
  EXPECT_EQ(detail.message(), std::string(error.message()));
}

TEST(GrpcStatusTest, OtherErrorsNameTheirStatusCode) {
  EXPECT_EQ(ErrorCodeOf(absl::FailedPreconditionError("x")), "failed_precondition");
  grpc::Status status = ToGrpcStatus(absl::InvalidArgumentError("bad"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "bad");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace policyd
