#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using core_testing::Eval;

TEST(ComparisonTest, NumbersCompareNumerically) {
  EXPECT_EQ(Eval("equal", "1", "1.0"), "true");
  EXPECT_EQ(Eval("equal", "[1, {\"b\": 3.0}]", "[1, {\"b\": 3}]"), "true");
  EXPECT_EQ(Eval("equal", "1", "\"1\""), "false");
  EXPECT_EQ(Eval("neq", "0", "1"), "true");
  EXPECT_EQ(Eval("neq", "0", "0"), "false");
  EXPECT_EQ(Eval("lt", "-1", "0"), "true");
  EXPECT_EQ(Eval("lt", "1", "1"), "false");
  EXPECT_EQ(Eval("lte", "1", "1"), "true");
  EXPECT_EQ(Eval("gt", "100000000000000000000", "99999999999999999999"), "true");
  EXPECT_EQ(Eval("gte", "1", "2"), "false");
  EXPECT_EQ(Eval("gte", "2.5", "2.5"), "true");
}

TEST(ComparisonTest, AcrossKindsFollowsOpaOrder) {
  // null < boolean < number < string < array < object < set
  EXPECT_EQ(Eval("lt", "null", "false"), "true");
  EXPECT_EQ(Eval("lt", "true", "0"), "true");
  EXPECT_EQ(Eval("lt", "99", "\"a\""), "true");
  EXPECT_EQ(Eval("lt", "\"z\"", "[]"), "true");
  EXPECT_EQ(Eval("lt", "[1]", "{}"), "true");
  EXPECT_EQ(Eval("lt", "{\"a\": 1}", "set()"), "true");
  EXPECT_EQ(Eval("gt", "[1, 2]", "[1]"), "true");
  EXPECT_EQ(Eval("equal", "{1, 2}", "{2, 1}"), "true");
}

}  // namespace
}  // namespace policyd
