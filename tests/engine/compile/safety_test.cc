#include "engine/compile/safety.h"

#include "engine/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/compile/pass_test_util.h"

namespace policyd::compile {
namespace {

using ::testing::ElementsAre;
using testing::Parsed;

// The order the safety pass gives the body of the first rule of `rego`.
OrderedBody Order(Parsed& p) {
  p.BuildTree();
  VarAnalysis vars(p.envs[0], p.root.get());
  Scope scope;
  NameSet bound;
  return OrderBody(vars, p.Body(), scope, bound, {});
}

TEST(SafetyTest, ExpressionsRunAfterThoseThatBindTheirVariables) {
  Parsed p({"package t\np if {\n  y > 1\n  y := x + 1\n  x := input.n\n}"});
  OrderedBody body = Order(p);
  ASSERT_TRUE(body.status.ok()) << body.status;
  EXPECT_THAT(body.order, ElementsAre(2, 1, 0));
}

TEST(SafetyTest, SourceOrderIsKeptWhenItIsSafe) {
  Parsed p({"package t\np if {\n  x := input.n\n  x > 1\n  y := x\n}"});
  EXPECT_THAT(Order(p).order, ElementsAre(0, 1, 2));
}

TEST(SafetyTest, NegationRunsAfterTheBindingsItNeeds) {
  Parsed p({"package t\np if {\n  not x == 2\n  x := input.n\n}"});
  EXPECT_THAT(Order(p).order, ElementsAre(1, 0));
}

TEST(SafetyTest, UnsafeVariableIsNamedWithItsFileLineAndColumn) {
  Parsed p({"package t\np if {\n  x := 1\n    y > x\n}"});
  OrderedBody body = Order(p);
  EXPECT_EQ(ErrorCode(body.status), kRegoUnsafeVarError);
  EXPECT_EQ(body.status.message(), "m0.rego:4: rego_unsafe_var_error: var y is unsafe");
  EXPECT_EQ(ErrorLocation(body.status), "m0.rego:4:5");
  // The safe prefix is kept.
  EXPECT_THAT(body.order, ElementsAre(0));
}

TEST(SafetyTest, OutputArgumentBecomesAnAssignment) {
  // count(xs, n): count takes one argument, so n is its output.
  Parsed p({"package t\np if {\n  n > 1\n  count(input.xs, n)\n}"});
  OrderedBody body = Order(p);
  ASSERT_TRUE(body.status.ok()) << body.status;
  EXPECT_THAT(body.order, ElementsAre(1, 0));
  EXPECT_EQ(body.exprs[1].kind, ast::ExprKind::kUnify);
  EXPECT_EQ(body.exprs[1].rhs->name, "n");
}

TEST(SafetyTest, UnificationOfTwoUnboundSidesIsUnsafe) {
  Parsed p({"package t\np if {\n  x = y\n}"});
  OrderedBody body = Order(p);
  EXPECT_EQ(ErrorCode(body.status), kRegoUnsafeVarError);
  EXPECT_EQ(ErrorLocation(body.status), "m0.rego:3:3");
}

}  // namespace
}  // namespace policyd::compile
