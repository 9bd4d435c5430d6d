#include "engine/compile/rule_tree.h"

#include "engine/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/compile/pass_test_util.h"

namespace policyd::compile {
namespace {

using ::testing::HasSubstr;
using testing::Parsed;

TEST(RuleTreeTest, RulesBecomeNodesOfTheirKind) {
  Parsed p({"package a\np := 1\ns contains 2\no[k] := 3 if k := \"x\"\n"
            "b.c.d := 4\nf(x) := x"});
  std::vector<PlacedRule> placed = p.BuildTree();
  ASSERT_EQ(placed.size(), 5u);
  const plan::Node* a = FindNode(*p.root, {"a"});
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->is_package);
  EXPECT_TRUE(a->has_rules_below);
  EXPECT_EQ(FindNode(*p.root, {"a", "p"})->rules->kind, plan::RuleSet::kComplete);
  EXPECT_EQ(FindNode(*p.root, {"a", "s"})->rules->kind, plan::RuleSet::kPartialSet);
  EXPECT_EQ(FindNode(*p.root, {"a", "o"})->rules->kind, plan::RuleSet::kObject);
  EXPECT_EQ(placed[2].key_start, 1u);  // o[k]: the key path starts at k
  const plan::Node* d = FindNode(*p.root, {"a", "b", "c", "d"});
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->path, "data.a.b.c.d");
  EXPECT_EQ(FindNode(*p.root, {"a", "f"})->function->arity, 1);
  EXPECT_EQ(FindNode(*p.root, {"a", "nothing"}), nullptr);
}

TEST(RuleTreeTest, TwoKindsOfRuleAtOnePathAreATypeError) {
  Parsed p({"package t\np := 1\np contains 2"});
  auto placed = BuildRuleTree(p.modules, p.envs, p.root.get(), p.arena);
  ASSERT_FALSE(placed.ok());
  EXPECT_EQ(ErrorCode(placed.status()), kRegoTypeError);
  EXPECT_THAT(placed.status().message(), HasSubstr("conflicting rules data.t.p found"));
  EXPECT_EQ(ErrorLocation(placed.status()), "m0.rego:3:1");
}

TEST(RuleTreeTest, CallsResolveToFunctionsOrBuiltinsWithTheirArity) {
  Parsed p({"package t\nimport data.lib\nf(x, y) := x + y\np := f(1, 2)",
            "package lib\ng(x) := x"});
  p.BuildTree();
  const ast::Term& call = *p.modules[0].rules[1].head.value;  // f(1, 2)
  const plan::Function* f =
      ResolveFunction(p.envs[0], *p.root, *call.items[0]);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->name, "data.t.f");
  EXPECT_EQ(CallArity(p.envs[0], *p.root, call), 2);

  Parsed q({"package t\nimport data.lib\np := lib.g(1)\nq := count([])",
            "package lib\ng(x) := x"});
  q.BuildTree();
  const ast::Term& g = *q.modules[0].rules[0].head.value;
  EXPECT_EQ(ResolveFunction(q.envs[0], *q.root, *g.items[0])->name, "data.lib.g");
  const ast::Term& count = *q.modules[0].rules[1].head.value;
  EXPECT_EQ(ResolveFunction(q.envs[0], *q.root, *count.items[0]), nullptr);
  EXPECT_EQ(CallArity(q.envs[0], *q.root, count), 1);  // the builtin
}

}  // namespace
}  // namespace policyd::compile
