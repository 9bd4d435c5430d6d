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


// ---- answered differently ----

TEST(AnsweredLikeOpaTest, NegatedFunctionCallNeedsItsReferenceArguments) {
  const char* policy =
      "package t\nf(x) if x == 1\nhelper if input.nothing\n"
      "a if not f(input.missing)\nb if not helper\nc if not f(2)\n"
      "d if not startswith(input.missing, \"x\")";
  EXPECT_EQ(Eval(policy, "data.t"), R"({"b":true,"c":true,"d":true})");
  EXPECT_EQ(Eval(policy, "data.t.a", R"({"missing": 2})"), "true");
}

TEST(AnsweredLikeOpaTest, ArithmeticResultsEqualTheirDecimalLiterals) {
  EXPECT_EQ(Eval("package t\np := [0.1 + 0.2 == 0.3, 7 / 10 == 0.7, 3 * 0.1 == 0.3, "
                 "1 / 3 * 3 == 1, 0.3 - 0.1 == 0.2]",
                 "data.t.p"),
            "[true,true,true,true,false]");
  // Sums are rounded to 64-bit big.Float values first, as in OPA: 0.3 - 0.1
  // prints (and is) 0.20000000000000000002.
  EXPECT_EQ(Eval("package t\np := [0.1 + 0.2, 0.3 - 0.1]", "data.t.p"),
            "[0.3,0.20000000000000000002]");
  EXPECT_EQ(Eval("package t\np := {0.1 + 0.2: 1}[0.3]", "data.t.p"), "1");
}

TEST(AnsweredLikeOpaTest, ElseChainFallsThroughAnUndefinedValue) {
  EXPECT_EQ(Eval("package t\np := input.missing if true else := 2\n"
                 "q := input.missing if { true } else := input.gone if { true } else := 3\n"
                 "f(x) := input.missing if x > 0 else := 4\nr := f(1)",
                 "data.t"),
            R"({"p":2,"q":3,"r":4})");
}

TEST(AnsweredLikeOpaTest, ZeroArgumentFunctionsAreRulesOfTheirPath) {
  EXPECT_EQ(Eval("package t\nz() := 5\ny := z()", "data.t"), R"({"y":5,"z":5})");
  EXPECT_EQ(Eval("package t\nz() := 5", "data.t.z"), "5");
  EXPECT_EQ(Eval("package t\ndefault z() := 1\nz() := 2 if input.x", "data.t.z"), "1");
}

TEST(AnsweredLikeOpaTest, DefaultOnRulesWithReferenceHeads) {
  const char* policy =
      "package t\ndefault a.b.c := false\na.b.c if input.x\na.b.d := 1";
  EXPECT_EQ(Eval(policy, "data.t.a", "{}"), R"({"b":{"c":false,"d":1}})");
  EXPECT_EQ(Eval(policy, "data.t.a.b.c", R"({"x": true})"), "true");
}

TEST(AnsweredLikeOpaTest, WithTargetsThroughImportAliases) {
  auto engine = CompileText(
      {"package t\nimport data.lib\nimport input.user as u\nimport data.lib.f as g\n"
       "h(y) := y + 100\n"
       "p := x if x := lib.v with lib.v as 10\n"
       "q := x if x := u with u as \"bob\"\n"
       "r := x if x := g(1) with g as 8\n"
       "s := x if x := g(1) with g as h\n",
       "package lib\nv := 1\nf(x) := x"});
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ(EvalJson(*engine, "data.t"), R"({"p":10,"q":"bob","r":8,"s":101})");
}


// ---- invalid Rego accepted ----

TEST(InvalidRegoTest, UnsafeConstructs) {
  EXPECT_THAT(CompileCode("package t\nq contains 1\np if not q[_]"),
              HasSubstr("rego_unsafe_var_error: test-0.rego:3: rego_unsafe_var_error: var _ is unsafe"));
  EXPECT_THAT(CompileCode("package t\nq contains 1\np if { not q[x] }"),
              HasSubstr("rego_unsafe_var_error: test-0.rego:3: rego_unsafe_var_error: var x is unsafe"));
  EXPECT_EQ(CompileCode("package t\nq contains 1\np if { x := 1; not q[x] }"), "ok");
  EXPECT_THAT(CompileCode("package t\np if { every x in [1] { true } }"),
              HasSubstr("rego_compile_error: test-0.rego:2: rego_compile_error: declared var x unused"));
  EXPECT_THAT(CompileCode("package t\np if { every k, v in [1] { v > 0 } }"),
              HasSubstr("declared var k unused"));
  EXPECT_EQ(CompileCode("package t\np if { every k, v in [1] { k >= 0; v > 0 } }"), "ok");
  EXPECT_THAT(CompileCode("package t\np if { [a, b] = [1] }"),
              HasSubstr("rego_unsafe_var_error: test-0.rego:2: rego_unsafe_var_error: var a is unsafe"));
  EXPECT_EQ(CompileCode("package t\np if { [a, b] = [1, 2] }"), "ok");
  EXPECT_THAT(CompileCode("package t\np if {\n  x := 1\n  x := 2\n}"),
              HasSubstr("rego_compile_error: test-0.rego:4: rego_compile_error: var x assigned above"));
  EXPECT_THAT(CompileCode("package t\np if {\n  some x\n  x := 2\n}"),
              HasSubstr("var x assigned above"));
  // A closure has a scope of its own.
  EXPECT_EQ(CompileCode("package t\np if {\n  x := 1\n  y := [x | x := 2]\n  y[0] == x\n}"),
            "ok");
}

TEST(InvalidRegoTest, Conflicts) {
  EXPECT_THAT(CompileCode("package t\na.b := 1\na.b.c := 2"),
              HasSubstr("rego_type_error: test-0.rego:2: rego_type_error: rule data.t.a.b "
                        "conflicts with [data.t.a.b.c]"));
  EXPECT_EQ(CompileCode("package t\na.b[x] := 1 if some x in [\"d\"]\na.b.c := 2"), "ok");
  auto packages = CompileText({"package a\nb := 1", "package a.b\nc := 2"});
  ASSERT_FALSE(packages.ok());
  EXPECT_EQ(ErrorCode(packages.status()), kRegoTypeError);
  EXPECT_THAT(CompileCode("package t\ninput := 1"),
              HasSubstr("rego_compile_error: test-0.rego:2: rego_compile_error: rules must not "
                        "shadow input (use a different rule name)"));
  EXPECT_THAT(CompileCode("package t\ndata.x := 1"), HasSubstr("rules must not shadow data"));
  EXPECT_THAT(CompileCode("package t\nimport future.keywords.in\nimport rego.v1\np := 1",
                          ast::RegoVersion::kV0),
              HasSubstr("rego_parse_error: test-0.rego:3:1: rego_parse_error: the `rego.v1` "
                        "import implies `future.keywords`, these are therefore mutually exclusive"));
  EXPECT_EQ(CompileCode("package t\nimport rego.v1\np := 1", ast::RegoVersion::kV0), "ok");
  EXPECT_THAT(CompileCode("package t\np if any([true])"),
              HasSubstr("rego_type_error: test-0.rego:2: rego_type_error: deprecated built-in "
                        "function calls in expression: any"));
  EXPECT_THAT(CompileCode("package t\nimport rego.v1\np := re_match(\"a\", \"a\")",
                          ast::RegoVersion::kV0),
              HasSubstr("deprecated built-in function calls in expression: re_match"));
  EXPECT_EQ(CompileCode("package t\np := re_match(\"a\", \"a\")", ast::RegoVersion::kV0),
            "ok");
}

TEST(InvalidRegoTest, FunctionsGivingTwoValuesConflictAtEvaluation) {
  std::string out = Eval("package t\nf(x) := 1\nf(x) := 2\np := f(1)", "data.t.p");
  EXPECT_THAT(out, HasSubstr("eval_conflict_error: functions must not produce multiple outputs"));
  out = Eval("package t\nz() := 1\nz() := 2\np := z()", "data.t.p");
  EXPECT_THAT(out, HasSubstr("eval_conflict_error"));
  EXPECT_EQ(Eval("package t\nf(1) := 1\nf(2) := 2\np := f(1)", "data.t.p"), "1");
}

TEST(InvalidRegoTest, LexerStrictness) {
  EXPECT_THAT(CompileCode("package t\np := - -1"), HasSubstr("rego_parse_error"));
  EXPECT_THAT(CompileCode("package t\np := input.\n  x"), HasSubstr("rego_parse_error"));
}

}  // namespace
}  // namespace policyd
