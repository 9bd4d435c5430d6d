#include "engine/compile/plan.h"

#include "gtest/gtest.h"

namespace policyd::plan {
namespace {

TEST(PlanLocationTest, KeepsLineAndColumn) {
  ast::Location loc = Location(ast::Location{1234, 56});
  EXPECT_EQ(loc.line, 1234);
  EXPECT_EQ(loc.col, 56);
}

TEST(PlanLocationTest, ClampsWhatDoesNotFitToTheLargestThatDoes) {
  // Ten times the largest line and column a four-byte location holds.
  ast::Location loc = Location(ast::Location{10 * (1 << 20), 10 * (1 << 12)});
  EXPECT_EQ(loc.line, static_cast<int>(Location::kMaxLine));
  EXPECT_EQ(loc.col, static_cast<int>(Location::kMaxCol));
  ast::Location negative = Location(ast::Location{-1, -5});
  EXPECT_EQ(negative.line, 0);
  EXPECT_EQ(negative.col, 0);
}

TEST(PlanTermTest, NodeFunctionAndBuiltinAreOneTargetAtATime) {
  Node node;
  Function function;
  function.name = "data.p.f";
  Builtin builtin;
  builtin.name = "count";
  Term t;
  EXPECT_EQ(t.node(), nullptr);
  EXPECT_EQ(t.CallName(), "");
  t.set_node(&node);
  EXPECT_EQ(t.node(), &node);
  EXPECT_EQ(t.function(), nullptr);
  EXPECT_EQ(t.builtin(), nullptr);
  t.set_function(&function);
  EXPECT_EQ(t.node(), nullptr);
  EXPECT_EQ(t.function(), &function);
  EXPECT_EQ(t.builtin(), nullptr);
  EXPECT_EQ(t.CallName(), "data.p.f");
  t.set_builtin(&builtin);
  EXPECT_EQ(t.function(), nullptr);
  EXPECT_EQ(t.builtin(), &builtin);
  EXPECT_EQ(t.CallName(), "count");
  t.set_builtin(nullptr);
  EXPECT_EQ(t.builtin(), nullptr);
  EXPECT_EQ(t.CallName(), "");
}

}  // namespace
}  // namespace policyd::plan
