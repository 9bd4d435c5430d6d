#include "engine/compile/compiler.h"

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

absl::Status CompileError(const std::string& module) {
  auto engine = CompileText({module});
  return engine.ok() ? absl::OkStatus() : engine.status();
}

TEST(CompilerTest, ReordersBodiesSoVarsAreBoundBeforeUse) {
  // `x > 1` comes first in the source but needs x from the line after.
  EXPECT_EQ(Eval("package t\np if {\n  x > 1\n  x := input.n\n}", "data.t.p",
                 R"({"n": 5})"),
            "true");
}

TEST(CompilerTest, UnsafeVarIsAnErrorWithItsPosition) {
  absl::Status s = CompileError("package t\np if {\n  x > 1\n}");
  EXPECT_EQ(ErrorCode(s), kRegoUnsafeVarError);
  EXPECT_THAT(s.message(), HasSubstr("test-0.rego:3: rego_unsafe_var_error: var x is unsafe"));
}

TEST(CompilerTest, UnsafeHeadVarIsAnError) {
  absl::Status s = CompileError("package t\np contains x if { true }");
  EXPECT_EQ(ErrorCode(s), kRegoUnsafeVarError);
  EXPECT_THAT(s.message(), HasSubstr("var x is unsafe"));
}

TEST(CompilerTest, NegatedExpressionNeedsItsOuterVarsBound) {
  // As OPA: a negation binds nothing, so even a wildcard in it is unsafe.
  absl::Status s = CompileError("package t\np if {\n  not q[_]\n}\nq contains 1");
  EXPECT_EQ(ErrorCode(s), kRegoUnsafeVarError);
  EXPECT_THAT(s.message(), HasSubstr("var _ is unsafe"));
  EXPECT_EQ(ErrorLocation(s), "test-0.rego:3:3");
  // Variables inside a closure in the negation are the closure's own.
  EXPECT_TRUE(CompileError("package t\np if {\n  not [x | q[x]] == []\n}\nq contains 1").ok());
  s = CompileError("package t\np := x if {\n  not q[x]\n}\nq contains 1");
  EXPECT_EQ(ErrorCode(s), kRegoUnsafeVarError);
}

TEST(CompilerTest, UndefinedFunctionIsATypeError) {
  absl::Status s = CompileError("package t\np := nosuch.fn(1)");
  EXPECT_EQ(ErrorCode(s), kRegoTypeError);
  EXPECT_THAT(s.message(), HasSubstr("undefined function nosuch.fn"));
}

TEST(CompilerTest, BuiltinArityIsChecked) {
  absl::Status s = CompileError("package t\np := count(1, 2, 3)");
  EXPECT_EQ(ErrorCode(s), kRegoTypeError);
  EXPECT_THAT(s.message(), HasSubstr("count: arity mismatch"));
}

TEST(CompilerTest, ConstantArgumentsOfTheWrongKindAreTypeErrors) {
  absl::Status s = CompileError("package t\np := count(1)");
  EXPECT_EQ(ErrorCode(s), kRegoTypeError);
  EXPECT_THAT(s.message(), HasSubstr("count: invalid argument(s): operand 1 cannot be number"));
  s = CompileError("package t\np := concat(\",\", \"ab\")");
  EXPECT_EQ(ErrorCode(s), kRegoTypeError);
  // Arguments known only at evaluation are checked then (eval_type_error).
  EXPECT_TRUE(CompileError("package t\np := count(input.x)").ok());
  EXPECT_TRUE(CompileError("package t\np := concat(\",\", {\"a\"})").ok());
}

TEST(CompilerTest, ExtraArgumentIsTheOutput) {
  EXPECT_EQ(Eval("package t\np := n if count([1, 2], n)", "data.t.p"), "2");
}

TEST(CompilerTest, ConflictingRuleKindsAreAnError) {
  absl::Status s = CompileError("package t\np := 1\np contains 2");
  EXPECT_EQ(ErrorCode(s), kRegoTypeError);
  EXPECT_THAT(s.message(), HasSubstr("conflicting rules data.t.p"));
}

TEST(CompilerTest, ParseErrorsCarryTheParseCode) {
  absl::Status s = CompileError("package t\np if {");
  EXPECT_EQ(ErrorCode(s), kRegoParseError);
  EXPECT_THAT(s.message(), HasSubstr("test-0.rego:"));
}

TEST(CompilerTest, ImportsAndAliasesResolve) {
  auto engine = CompileText({"package lib\nallowed := {\"a\"}\nf(x) := x + 1",
                             "package t\nimport data.lib\nimport input.user as u\n"
                             "p if u in lib.allowed\nq := lib.f(1)"});
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.p", R"({"user": "a"})"), "true");
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.q"), "2");
}

TEST(CompilerTest, V0SyntaxCompiles) {
  auto engine = CompileText({"package t\ndeny[msg] {\n  input.x > 1\n  msg := \"big\"\n}\n"
                             "allow { count(deny) == 0 }"},
                            "{}", ast::RegoVersion::kV0);
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.deny", R"({"x": 2})"), R"(["big"])");
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.allow", R"({"x": 0})"), "true");
}

TEST(CompilerTest, V1RejectsV0RuleBodies) {
  absl::Status s = CompileError("package t\nallow { true }");
  EXPECT_EQ(ErrorCode(s), kRegoParseError);
}

TEST(CompilerTest, QueryNamesAreLocalsOrGlobals) {
  auto engine = CompileText({"package t\np := 7"});
  ASSERT_TRUE(engine.ok());
  auto q = (*engine)->Prepare("x := data.t.p; y := x + 1");
  ASSERT_TRUE(q.ok()) << q.status();
  ResultSet rs = q->Eval({});
  ASSERT_EQ(rs.rows.size(), 1u);
  ASSERT_EQ(rs.rows[0].bindings.size(), 2u);
  EXPECT_EQ(rs.rows[0].bindings[0].first, "x");
  EXPECT_EQ(rs.rows[0].bindings[1].second.ToJson(), "8");
}

}  // namespace
}  // namespace policyd
