#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::I;
using ::policyd::testing::S;

std::string Cmp(std::string_view a, std::string_view b) {
  return Eval("semver.compare", {S(a), S(b)});
}

TEST(SemverTest, IsValid) {
  EXPECT_EQ(Eval("semver.is_valid", {S("1.0.0")}), "true");
  EXPECT_EQ(Eval("semver.is_valid", {S("1.2.3-alpha.1+build.5")}), "true");
  EXPECT_EQ(Eval("semver.is_valid", {S("1")}), "false");
  EXPECT_EQ(Eval("semver.is_valid", {S("1.0")}), "false");
  EXPECT_EQ(Eval("semver.is_valid", {S("v1.0.0")}), "false");
  EXPECT_EQ(Eval("semver.is_valid", {S("1.0.0-")}), "true");
  EXPECT_EQ(Eval("semver.is_valid", {S("1.0.0-a..b")}), "false");
  EXPECT_EQ(Eval("semver.is_valid", {S("1.0.0+b_c")}), "false");
  EXPECT_EQ(Eval("semver.is_valid", {I(1)}), "false");
}

TEST(SemverTest, Compare) {
  EXPECT_EQ(Cmp("1.0.0", "2.0.0"), "-1");
  EXPECT_EQ(Cmp("2.0.0", "1.0.0"), "1");
  EXPECT_EQ(Cmp("1.0.0", "1.0.0"), "0");
  EXPECT_EQ(Cmp("1.10.0", "1.9.0"), "1");
  EXPECT_EQ(Cmp("1.0.0-alpha", "1.0.0"), "-1");
  EXPECT_EQ(Cmp("1.0.0-alpha", "1.0.0-alpha.1"), "-1");
  EXPECT_EQ(Cmp("1.0.0-alpha.1", "1.0.0-alpha.beta"), "-1");
  EXPECT_EQ(Cmp("1.0.0-beta.2", "1.0.0-beta.11"), "-1");
  EXPECT_EQ(Cmp("1.0.0-rc.1", "1.0.0-beta.11"), "1");
  EXPECT_EQ(Cmp("1.0.0+a", "1.0.0+b"), "0");
}

TEST(SemverTest, CompareErrors) {
  EXPECT_EQ(Error("semver.compare", {S("1"), S("1.0.0")},
                  absl::StatusCode::kUnknown),
            R"(semver.compare: operand 1: string "1" is not a valid SemVer)");
  EXPECT_EQ(Error("semver.compare", {S("1.0.0"), S("1")},
                  absl::StatusCode::kUnknown),
            R"(semver.compare: operand 2: string "1" is not a valid SemVer)");
  EXPECT_EQ(Error("semver.compare", {S("1.0.0"), I(1)},
                  absl::StatusCode::kInvalidArgument),
            "semver.compare: operand 2 must be string but got number");
}

}  // namespace
}  // namespace policyd
