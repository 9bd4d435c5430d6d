#include "engine/syntax/printer.h"

#include "engine/syntax/parser.h"
#include "gtest/gtest.h"

namespace policyd::ast {
namespace {

TEST(PrinterTest, RoundTripsRules) {
  absl::StatusOr<Module> m = ParseModule(
      "a.rego",
      "package a\ndefault p := 1\nq contains x if { some x in [1, 2] }\n"
      "f(a, b) = c if { c := $\"{a}\\{b}\" }\nr[\"a-b\"].c := set()\n");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->rules.size(), 4u);
  EXPECT_EQ(RuleString(m->rules[0]), "default p := 1");
  EXPECT_EQ(RuleString(m->rules[1]), "q contains x if { some x in [1, 2] }");
  EXPECT_EQ(RuleString(m->rules[2]), "f(a, b) = c if { c := $\"{a}\\{b}\" }");
  EXPECT_EQ(RuleString(m->rules[3]), "r[\"a-b\"].c := set()");
}

TEST(PrinterTest, Expressions) {
  absl::StatusOr<Body> body = ParseQuery(
      "not x = {1: [2]} with input.a as {\"k\": 1}; every v in s { v }; some a, b");
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(ExprString((*body)[0]),
            "not x = {1: [2]} with input.a as {\"k\": 1}");
  EXPECT_EQ(ExprString((*body)[1]), "every v in s { v }");
  EXPECT_EQ(BodyString(*body),
            "not x = {1: [2]} with input.a as {\"k\": 1}; every v in s { v }; "
            "some a, b");
}

}  // namespace
}  // namespace policyd::ast
