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

}  // namespace
}  // namespace policyd::bundles
