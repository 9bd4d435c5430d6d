#include "engine/compile/var_use.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/compile/pass_test_util.h"

namespace policyd::compile {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::Parsed;

// The use of expression `i` of the body of the last rule (p) of `rego`.
VarUse UseOf(const std::string& rego, size_t i, const NameSet& outer = {}) {
  Parsed p({rego});
  p.BuildTree();
  VarAnalysis vars(p.envs[0], p.root.get());
  Scope scope;
  NameSet others;
  const ast::Body& body = p.modules[0].rules.back().body;  // rule p
  for (size_t j = 0; j < body.size(); ++j) {
    if (j != i) vars.ShallowExprVars(body[j], scope, &others);
  }
  return vars.ExprUse(body[i], scope, outer, others);
}

TEST(VarUseTest, RefKeysAreOutputsAndRefHeadsInputs) {
  // `x := xs[i]`: x is bound by the pattern, i by iterating, xs is needed.
  VarUse use = UseOf("package t\np if {\n  xs := [1]\n  x := xs[i]\n}", 1);
  EXPECT_THAT(use.inputs, ElementsAre("xs"));
  EXPECT_THAT(use.pattern_outputs, ElementsAre("x"));
  EXPECT_THAT(use.ref_outputs, ElementsAre("i"));
}

TEST(VarUseTest, GlobalsAreNotVariables) {
  // input, data, rules of the package and imports are never locals.
  VarUse use = UseOf("package t\nimport data.lib\nq := 1\np if {\n  x := input.a[q][lib.b]\n}", 0);
  EXPECT_THAT(use.inputs, IsEmpty());
  EXPECT_THAT(use.ref_outputs, IsEmpty());
  EXPECT_THAT(use.pattern_outputs, ElementsAre("x"));
}

TEST(VarUseTest, CallArgumentsThatIterateBindForTheOthers) {
  // startswith(xs[i], p): i is bound by the first argument, so only xs and
  // p are needed before.
  VarUse use = UseOf("package t\np if {\n  startswith(xs[i], s)\n  xs := [\"a\"]\n  s := \"a\"\n}", 0);
  EXPECT_THAT(use.inputs, ElementsAre("s", "xs"));
  EXPECT_THAT(use.ref_outputs, ElementsAre("i"));
}

TEST(VarUseTest, NegationNeedsAllItsVariablesBound) {
  // `not x == y[_]`: a negation binds nothing (as in OPA), so all its
  // variables, wildcards included, must be bound before it.
  VarUse use = UseOf("package t\np if {\n  x := 1\n  not x == y[_]\n}", 1);
  EXPECT_THAT(use.inputs, ElementsAre("_", "x", "y"));
  EXPECT_THAT(use.pattern_outputs, IsEmpty());
  EXPECT_THAT(use.ref_outputs, IsEmpty());
  // Those of a closure in it are the closure's own.
  use = UseOf("package t\np if {\n  not [z | z := 1] == []\n}", 0);
  EXPECT_THAT(use.inputs, IsEmpty());
}

TEST(VarUseTest, ComprehensionsNeedTheOuterNamesTheyMention) {
  VarUse use = UseOf("package t\np if {\n  n := 2\n  ys := [y | some y in [1, 2]; y < n]\n}", 1,
                     {"n", "ys"});
  EXPECT_THAT(use.inputs, ElementsAre("n"));
  EXPECT_THAT(use.pattern_outputs, ElementsAre("ys"));
}

TEST(VarUseTest, DeclaredNamesAreThoseOfSomeAssignAndSomeIn) {
  Parsed p({"package t\np if {\n  some a\n  b := 1\n  [c, d] := [1, 2]\n  some e, f in {1: 2}\n  g = 1\n}"});
  EXPECT_THAT(VarAnalysis::DeclaredNames(p.Body()),
              ElementsAre("a", "b", "c", "d", "e", "f"));
}

}  // namespace
}  // namespace policyd::compile
