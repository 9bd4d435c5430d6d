#include "engine/compile/type_check.h"

#include <string>

#include "engine/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/eval_test_util.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;
using testing::CompileText;

// "ok", or the error code, location and message of compiling `rules`
// (a v1 module of package t).
std::string Check(const std::string& rules) {
  auto engine = CompileText({"package t\n" + rules});
  if (engine.ok()) return "ok";
  return ErrorCode(engine.status()) + " @" + ErrorLocation(engine.status()) + ": " +
         std::string(engine.status().message());
}

// Per builtin family: a call OPA refuses and calls it accepts.
struct FamilyCase {
  const char* family;
  const char* refused;
  const char* accepted;
};

TEST(TypeCheckTest, ArgumentsOutsideTheDeclaredKindsAreRefusedPerFamily) {
  const FamilyCase cases[] = {
      {"arithmetic", "p := 1 + \"a\"", "p := 1 + input.n"},
      {"arithmetic", "p := abs(\"a\")", "p := abs(-1)"},
      {"aggregates", "p := count(5)", "p := count(\"abc\")"},
      {"aggregates", "p := sum({\"a\": 1})", "p := sum({1, 2})"},
      {"strings", "p := lower(5)", "p := lower(input.s)"},
      {"strings", "p := concat(\",\", \"ab\")", "p := concat(\",\", {\"a\"})"},
      {"strings", "p := sprintf(\"%v\", 1)", "p := sprintf(\"%v\", [1])"},
      {"regex", "p := regex.match(1, \"a\")", "p := regex.match(\"a\", \"a\")"},
      {"objects", "p := object.keys([1])", "p := object.keys({\"a\": 1})"},
      {"objects", "p := object.remove({}, \"a\")", "p := object.remove({}, [\"a\"])"},
      {"arrays", "p := array.concat({1}, [2])", "p := array.concat([1], [2])"},
      {"sets", "p := union([1])", "p := union({{1}})"},
      {"encoding", "p := base64.encode(1)", "p := base64.encode(\"a\")"},
      {"encoding", "p := json.unmarshal(1)", "p := json.unmarshal(\"1\")"},
      {"time", "p := time.parse_rfc3339_ns(1)", "p := time.parse_rfc3339_ns(input.t)"},
      {"net", "p := net.cidr_contains(1, \"a\")", "p := net.cidr_contains(\"10.0.0.0/8\", input.ip)"},
      {"units", "p := units.parse(5)", "p := units.parse(\"5k\")"},
      {"semver", "p := semver.compare(1, \"1.0.0\")", "p := semver.compare(\"1.0.0\", \"1.0.0\")"},
      {"glob", "p := glob.match(\"*\", \"x\", \"a\")", "p := glob.match(\"*\", null, \"a\")"},
      {"crypto", "p := crypto.sha256(1)", "p := crypto.sha256(\"a\")"},
  };
  for (const FamilyCase& c : cases) {
    EXPECT_THAT(Check(c.refused), HasSubstr("rego_type_error @test-0.rego:2:"))
        << c.family << ": " << c.refused;
    EXPECT_THAT(Check(c.refused), HasSubstr("invalid argument(s)")) << c.refused;
    EXPECT_EQ(Check(c.accepted), "ok") << c.family << ": " << c.accepted;
  }
}

TEST(TypeCheckTest, InferredTypesOfVariablesRulesAndFunctionsAreChecked) {
  EXPECT_EQ(Check("p if {\n  x := count([1])\n  lower(x)\n}"),
            "rego_type_error @test-0.rego:4:3: test-0.rego:4: rego_type_error: lower: "
            "invalid argument(s): operand 1 cannot be number");
  EXPECT_THAT(Check("n := 5\np := count(n)"), HasSubstr("count: invalid argument(s)"));
  EXPECT_THAT(Check("f(x) := x + 1\np := upper(f(1))"), HasSubstr("upper: invalid argument(s)"));
  EXPECT_THAT(Check("b := true\np := count(b)"), HasSubstr("cannot be boolean"));
  // A rule that may be a string or a number fits a string operand.
  EXPECT_EQ(Check("default n := 1\nn := \"a\" if input.x\np := lower(n)"), "ok");
}

TEST(TypeCheckTest, UnknownTypesAreAny) {
  EXPECT_EQ(Check("p if {\n  x := input.a\n  count(x) > 0\n  lower(x)\n}"), "ok");
  EXPECT_EQ(Check("p := count(data.base.x)"), "ok");
  EXPECT_EQ(Check("f(x) := x\np := count(f(1))"), "ok");  // the result is its argument
  // A cycle is a recursion error, not a type error.
  EXPECT_THAT(Check("p := lower(q)\nq := r\nr := q"), HasSubstr("rego_recursion_error"));
}

TEST(TypeCheckTest, IterationOverAScalarIsRefused) {
  EXPECT_THAT(Check("p if { some x in 5 }"), HasSubstr("rego_type_error @test-0.rego:2:18"));
  EXPECT_EQ(Check("p if { some x in input.xs }"), "ok");
  // `every` over a scalar is undefined, not an error (OPA).
  EXPECT_EQ(Check("p if { every x in 5 { x } }"), "ok");
}

TEST(TypeCheckTest, ReferencesIntoAScalarRuleAreRefused) {
  EXPECT_EQ(Check("count_rule := 5\np := data.t.count_rule.field"),
            "rego_type_error @test-0.rego:3:6: test-0.rego:3: rego_type_error: undefined ref: "
            "data.t.count_rule is number, it has no field \"field\"");
  EXPECT_THAT(Check("n := 5\np := n.field"), HasSubstr("rego_type_error"));
  EXPECT_EQ(Check("o := {\"a\": 1}\np := data.t.o.a"), "ok");
  EXPECT_EQ(Check("n := 5 if input.x\nn := {\"a\": 1} if input.y\np := n.a"), "ok");
}

TEST(TypeCheckTest, QueriesAreChecked) {
  auto engine = CompileText({"package t\nn := 1"});
  ASSERT_TRUE(engine.ok());
  auto q = (*engine)->Prepare("x := count(data.t.n)");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(ErrorCode(q.status()), kRegoTypeError);
  EXPECT_TRUE((*engine)->Prepare("x := data.t.n + 1").ok());
}

}  // namespace
}  // namespace policyd
