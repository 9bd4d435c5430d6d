#include "bundles/bundle_error.h"

#include "gtest/gtest.h"

namespace policyd::bundles {
namespace {

TEST(BundleErrorTest, SplitsCompileErrorsByBundle) {
  absl::Status status = absl::InvalidArgumentError(
      "authz/policy.rego:3:5: rego_parse_error: unexpected token\n"
      "lib/x/util.rego:10: rego_compile_error: conflict\n"
      "something else");
  std::vector<BundleError> errors = ErrorsFromCompileStatus(status);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].bundle, "authz");
  EXPECT_EQ(errors[0].file, "policy.rego");
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_EQ(errors[0].col, 5);
  EXPECT_EQ(errors[0].message, "rego_parse_error: unexpected token");
  EXPECT_EQ(errors[0].ToString(),
            "bundle authz: policy.rego:3:5: rego_parse_error: unexpected token");
  EXPECT_EQ(errors[1].bundle, "lib");
  EXPECT_EQ(errors[1].file, "x/util.rego");
  EXPECT_EQ(errors[1].line, 10);
  EXPECT_EQ(errors[1].col, 0);
  EXPECT_EQ(errors[2].bundle, "");
  EXPECT_EQ(errors[2].message, "something else");
}

TEST(BundleErrorTest, LoadErrorsCarryTheirFile) {
  absl::Status status = WithErrorFile(
      absl::InvalidArgumentError(
          "roles/data.json: invalid JSON at offset 9 (line 2, column 3): x"),
      "roles/data.json");
  BundleError e = ErrorFromLoadStatus("authz", status);
  EXPECT_EQ(e.bundle, "authz");
  EXPECT_EQ(e.file, "roles/data.json");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.col, 3);
  EXPECT_EQ(e.message, "invalid JSON at offset 9 (line 2, column 3): x");

  BundleError plain =
      ErrorFromLoadStatus("lib", absl::PermissionDeniedError("bad signature"));
  EXPECT_EQ(plain.bundle, "lib");
  EXPECT_EQ(plain.file, "");
  EXPECT_EQ(plain.message, "bad signature");
}

}  // namespace
}  // namespace policyd::bundles
