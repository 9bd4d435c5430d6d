// Policies OPA compiles and answers that policyd refused, answered
// differently or accepted wrongly (issue 11), by class, with OPA's answer or
// error code.
#include <string>

#include "engine/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/eval_test_util.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;
using testing::CompileText;
using testing::Eval;
using testing::EvalJson;

// The error code of compiling `module` (v1), or "ok".
std::string CompileCode(const std::string& module,
                        ast::RegoVersion version = ast::RegoVersion::kV1) {
  auto engine = CompileText({module}, "{}", version);
  return engine.ok() ? "ok" : ErrorCode(engine.status()) + ": " +
                                  std::string(engine.status().message());
}

// ---- valid Rego refused ----

TEST(ValidRegoTest, FunctionsWithConstantArgumentsAndNoBody) {
  const char* v1 =
      "package k\nallowed_kind(\"Pod\")\nallowed_kind(\"Deployment\")\n"
      "f(x, \"y\") if x > 1\ng(_)\n"
      "p if allowed_kind(\"Pod\")\nq if allowed_kind(\"Job\")\n"
      "r if f(2, \"y\")\ns if g(3)\n";
  EXPECT_EQ(Eval(v1, "data.k"),
            R"({"p":true,"r":true,"s":true})");
  auto v0 = CompileText({"package k\nallowed_kind(\"Pod\")\ng(_)\n"
                         "p { allowed_kind(\"Pod\") }\nq { allowed_kind(\"Job\") }\n"
                         "s { g(1) }"},
                        "{}", ast::RegoVersion::kV0);
  ASSERT_TRUE(v0.ok()) << v0.status();
  EXPECT_EQ(EvalJson(*v0, "data.k"), R"({"p":true,"s":true})");
}

TEST(ValidRegoTest, KeyBoundByARefIsUsableInANegationOfTheComprehension) {
  EXPECT_EQ(Eval("package t\np := r if {\n  obj := {\"a\": 1, \"_b\": 2}\n"
                 "  r := [v | v := obj[k]; not startswith(k, \"_\")]\n}",
                 "data.t.p"),
            "[1]");
  EXPECT_EQ(Eval("package t\nobj := {\"a\": 1, \"_b\": 2}\n"
                 "p := {k | obj[k]; not startswith(k, \"_\")}",
                 "data.t.p"),
            R"(["a"])");
}

TEST(ValidRegoTest, ComprehensionsInAComprehensionHeadSeeItsBodyVariables) {
  EXPECT_EQ(Eval("package t\nxs := [1, 2, 3]\n"
                 "p := [{y | some y in xs; y > x} | some x in xs]",
                 "data.t.p"),
            "[[2,3],[3],[]]");
  EXPECT_EQ(Eval("package t\nxs := [1, 2]\n"
                 "p := {x: [y | some y in xs; y > x + lim] | some x in xs; lim := 0}",
                 "data.t.p"),
            R"({"1":[2],"2":[]})");
}

TEST(ValidRegoTest, ComprehensionsInARuleHeadSeeTheBodyVariables) {
  EXPECT_EQ(Eval("package t\nxs := [1, 2, 3]\n"
                 "p := [y | some y in xs; y > x] if x := 1",
                 "data.t.p"),
            "[2,3]");
  EXPECT_EQ(Eval("package t\nxs := [1, 2]\n"
                 "p contains [y | some y in xs; y > x] if some x in xs",
                 "data.t.p"),
            "[[],[2]]");
}

TEST(ValidRegoTest, UnificationWithABoundVariableInsideComprehensions) {
  EXPECT_EQ(Eval("package t\np := ys if {\n  x := 1\n  ys := [y | y = x]\n}", "data.t.p"),
            "[1]");
  EXPECT_EQ(Eval("package t\np := ys if {\n  x := [1, 2]\n  ys := [m | [m, n] = x]\n}",
                 "data.t.p"),
            "[1]");
  EXPECT_EQ(Eval("package t\nf(x) := [y | x = y]\np := f(2)", "data.t.p"), "[2]");
}

TEST(ValidRegoTest, KeywordsAfterADotAndUnionInACollection) {
  EXPECT_EQ(Eval("package t\np := [input.in, input.else, input.package]", "data.t.p",
                 R"({"in": 1, "else": 2, "package": 3})"),
            "[1,2,3]");
  EXPECT_EQ(Eval("package t\na := {1}\nb := {2}\np := [a | b, a & b]", "data.t.p"),
            "[[1,2],[]]");
}

}  // namespace
}  // namespace policyd
