#include "engine/compile/lower.h"

#include "engine/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/compile/pass_test_util.h"

namespace policyd::compile {
namespace {

using ::testing::HasSubstr;
using testing::Parsed;

// The plan of the first rule of `rego`.
absl::StatusOr<plan::Boxed<plan::Rule>> LowerFirst(Parsed& p) {
  std::vector<PlacedRule> placed = p.BuildTree();
  RuleContext context{&p.envs[0], p.root.get(), nullptr, 0, placed[0].rule, &p.envs[0].file};
  return LowerRule(*placed[0].rule, context, placed[0].key_start, nullptr);
}

TEST(LowerTest, LocalsBecomeSlotsInEvaluationOrder) {
  Parsed p({"package t\np := y if {\n  y := x + 1\n  x := input.n\n}"});
  auto rule = LowerFirst(p);
  ASSERT_TRUE(rule.ok()) << rule.status();
  const plan::Body& body = (*rule)->body;
  ASSERT_EQ(body.exprs.size(), 2u);
  // x := input.n runs first; its lhs is a slot, its rhs a ref over input.
  const plan::Expr& first = body.exprs[0];
  EXPECT_EQ(first.op, plan::ExprOp::kUnify);
  EXPECT_EQ(first.a.op, plan::TermOp::kVar);
  EXPECT_EQ(first.b.op, plan::TermOp::kRef);
  EXPECT_EQ(first.b.items[0].op, plan::TermOp::kInput);
  EXPECT_TRUE(first.b.simple_shape);
  // The head value reads y's slot.
  EXPECT_EQ((*rule)->value.op, plan::TermOp::kVar);
  EXPECT_EQ((*rule)->value.slot, body.exprs[1].a.slot);
  EXPECT_EQ((*rule)->num_slots, 2);
}

TEST(LowerTest, GroundCollectionsFoldToConstants) {
  Parsed p({"package t\np := [1, {\"a\": [true]}, {2}]"});
  auto rule = LowerFirst(p);
  ASSERT_TRUE(rule.ok()) << rule.status();
  EXPECT_EQ((*rule)->value.op, plan::TermOp::kConst);
  EXPECT_EQ((*rule)->value.value.ToJson(), R"([1,{"a":[true]},[2]])");
  EXPECT_TRUE((*rule)->constant_value);
}

TEST(LowerTest, ComparisonsAreInlineAndCallsPointAtTheirTarget) {
  Parsed p({"package t\np if {\n  input.a == 1\n  f(input.b)\n}\nf(x) := x"});
  auto rule = LowerFirst(p);
  ASSERT_TRUE(rule.ok()) << rule.status();
  const plan::Body& body = (*rule)->body;
  EXPECT_EQ(body.exprs[0].a.fast_op, plan::Term::FastOp::kEqual);
  EXPECT_EQ(body.exprs[1].a.op, plan::TermOp::kCall);
  ASSERT_NE(body.exprs[1].a.function(), nullptr);
  EXPECT_EQ(body.exprs[1].a.function()->name, "data.t.f");
}

TEST(LowerTest, RefsIntoDataStartAtTheDeepestRuleNode) {
  Parsed p({"package t\np := data.t.q.x\nq := {\"x\": 1}"});
  auto rule = LowerFirst(p);
  ASSERT_TRUE(rule.ok()) << rule.status();
  const plan::Term& ref = (*rule)->value;
  ASSERT_EQ(ref.op, plan::TermOp::kRef);
  ASSERT_NE(ref.node(), nullptr);
  EXPECT_EQ(ref.node()->path, "data.t.q");
  EXPECT_EQ(ref.node_depth, 3);  // data, t, q
}

TEST(LowerTest, UnsafeHeadVariableIsAnError) {
  Parsed p({"package t\np contains x if {\n  input.a\n}"});
  auto rule = LowerFirst(p);
  ASSERT_FALSE(rule.ok());
  EXPECT_EQ(ErrorCode(rule.status()), kRegoUnsafeVarError);
  EXPECT_THAT(rule.status().message(), HasSubstr("m0.rego:2: rego_unsafe_var_error: var x is unsafe"));
}

TEST(LowerTest, ArityOfBuiltinsIsChecked) {
  Parsed p({"package t\np := count(1, 2)"});
  auto rule = LowerFirst(p);
  ASSERT_FALSE(rule.ok());
  EXPECT_EQ(ErrorCode(rule.status()), kRegoTypeError);
  EXPECT_EQ(ErrorLocation(rule.status()), "m0.rego:2:6");
}

}  // namespace
}  // namespace policyd::compile
