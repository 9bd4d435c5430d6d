#include "engine/syntax/parser.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "engine/errors.h"
#include "engine/syntax/printer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd::ast {
namespace {

using ::testing::HasSubstr;

// The query printed back, or the error message.
std::string Q(std::string_view text) {
  absl::StatusOr<Body> body = ParseQuery(text);
  if (!body.ok()) return std::string(body.status().message());
  return BodyString(*body);
}

// The module's rules printed back one per line, or the error message.
std::string M(std::string_view text, RegoVersion version = RegoVersion::kV1) {
  absl::StatusOr<Module> module = ParseModule("x.rego", text, version);
  if (!module.ok()) return std::string(module.status().message());
  std::vector<std::string> rules;
  for (const Rule& r : module->rules) rules.push_back(RuleString(r));
  return absl::StrJoin(rules, "\n");
}

std::string V0(std::string_view text) { return M(text, RegoVersion::kV0); }

std::string Err(std::string_view text, RegoVersion version = RegoVersion::kV1) {
  absl::StatusOr<Module> module = ParseModule("x.rego", text, version);
  if (module.ok()) return "OK";
  EXPECT_EQ(module.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorCode(module.status()), "rego_parse_error");
  return std::string(module.status().message());
}

TEST(ParseModuleTest, PackageIsDataRef) {
  absl::StatusOr<Module> m = ParseModule("a.rego", "package a.b[\"c-d\"]\n");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(TermString(*m->package), "data.a.b[\"c-d\"]");
  ASSERT_EQ(m->package->items.size(), 4u);
  EXPECT_EQ(m->package->items[0]->kind, TermKind::kVar);
  EXPECT_EQ(m->package->items[0]->name, "data");
  EXPECT_EQ(m->package->items[3]->value, Value::String("c-d"));
  EXPECT_EQ(m->package_loc.line, 1);
  EXPECT_EQ(m->package_loc.col, 1);
  EXPECT_EQ(m->filename, "a.rego");
  EXPECT_EQ(m->version, RegoVersion::kV1);
}

TEST(ParseModuleTest, KeepsComments) {
  absl::StatusOr<Module> m =
      ParseModule("x.rego", "# METADATA\n# title: t\npackage a\n\np := 1 # one\n");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->comments.size(), 3u);
  EXPECT_EQ(m->comments[1].text, " title: t");
  EXPECT_EQ(m->comments[1].loc.line, 2);
  EXPECT_EQ(m->comments[2].text, " one");
  EXPECT_EQ(m->comments[2].loc.line, 5);
}

TEST(ParseModuleTest, Imports) {
  absl::StatusOr<Module> m = ParseModule(
      "a.rego",
      "package a\nimport data.x.y as z\nimport input\nimport rego.v1\n"
      "import future.keywords.in\n");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->imports.size(), 4u);
  EXPECT_EQ(TermString(*m->imports[0].path), "data.x.y");
  EXPECT_EQ(m->imports[0].alias, "z");
  EXPECT_EQ(m->imports[0].loc.line, 2);
  EXPECT_EQ(m->imports[1].path->kind, TermKind::kRef);
  EXPECT_EQ(TermString(*m->imports[1].path), "input");
  EXPECT_EQ(m->imports[1].alias, "");
  EXPECT_EQ(TermString(*m->imports[2].path), "rego.v1");
  EXPECT_EQ(TermString(*m->imports[3].path), "future.keywords.in");
  EXPECT_THAT(Err("package a\nimport future.keywords.nope\n"),
              HasSubstr("x.rego:2:1: rego_parse_error:"));
}

TEST(ParseModuleTest, V1RuleForms) {
  EXPECT_EQ(M("package a\np := 1\nq = 2\ndefault r := false\n"),
            "p := 1\nq = 2\ndefault r := false");
  EXPECT_EQ(M("package a\np if {\n  x := 1\n  x > 0; true\n}\n"),
            "p if { x := 1; gt(x, 0); true }");
  EXPECT_EQ(M("package a\np if input.x\n"), "p if { input.x }");
  EXPECT_EQ(M("package a\np := v if { v := 1 }\n"), "p := v if { v := 1 }");
  EXPECT_EQ(M("package a\np contains x if some x in [1]\np contains 3\n"),
            "p contains x if { some x in [1] }\np contains 3");
  EXPECT_EQ(M("package a\np[k] := v if { k := 1; v := 2 }\n"),
            "p[k] := v if { k := 1; v := 2 }");
  EXPECT_EQ(M("package a\na.b[c].d := 1 if c := 2\na.b.c if true\n"),
            "a.b[c].d := 1 if { c := 2 }\na.b.c if { true }");
  EXPECT_EQ(M("package a\nf(x, y) := x if y\ng(x) if x\nh() := 1\n"),
            "f(x, y) := x if { y }\ng(x) if { x }\nh() := 1");
  EXPECT_EQ(M("package a\na[x] if q[x]\n"), "a[x] if { q[x] }");
}

TEST(ParseModuleTest, HeadShapes) {
  absl::StatusOr<Module> m = ParseModule(
      "a.rego", "package a\np contains x if x := 1\nf() := 1\nq.r[s] := 2\n");
  ASSERT_TRUE(m.ok()) << m.status();
  const RuleHead& set = m->rules[0].head;
  EXPECT_EQ(TermString(*set.ref), "p");
  ASSERT_EQ(set.ref->kind, TermKind::kRef);
  ASSERT_EQ(set.ref->items.size(), 1u);
  EXPECT_EQ(TermString(*set.key), "x");
  EXPECT_EQ(set.value, nullptr);
  EXPECT_TRUE(m->rules[1].head.has_args);
  EXPECT_TRUE(m->rules[1].head.args.empty());
  EXPECT_TRUE(m->rules[1].head.assign);
  const RuleHead& obj = m->rules[2].head;
  ASSERT_EQ(obj.ref->items.size(), 3u);
  EXPECT_EQ(obj.ref->items[1]->value, Value::String("r"));
  EXPECT_EQ(obj.ref->items[2]->kind, TermKind::kVar);
  EXPECT_EQ(m->rules[2].loc.line, 4);
  EXPECT_EQ(m->rules[2].text, "q.r[s] := 2");
}

TEST(ParseModuleTest, ElseChains) {
  EXPECT_EQ(M("package a\np := 1 if { false } else := 2 if { true } else := 3\n"),
            "p := 1 if { false } else := 2 if { true } else := 3");
  EXPECT_EQ(M("package a\nf(x) := 1 if x > 1\nelse := 2 if x > 0\n"),
            "f(x) := 1 if { gt(x, 1) } else := 2 if { gt(x, 0) }");
  absl::StatusOr<Module> m = ParseModule(
      "a.rego", "package a\np := 1 if {\n false\n} else := 2\n");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_NE(m->rules[0].else_rule, nullptr);
  EXPECT_EQ(m->rules[0].else_rule->loc.line, 4);
  EXPECT_EQ(TermString(*m->rules[0].else_rule->head.ref), "p");
  EXPECT_EQ(m->rules[0].text, "p := 1 if {\n false\n} else := 2");
}

TEST(ParseModuleTest, V0RuleForms) {
  EXPECT_EQ(V0("package a\np { true }\np[x] { x := 1 }\np[k] = v { k = 1; v = 2 }\n"
               "f(x) = y { y := x }\ndefault d = 1\n"),
            "p if { true }\np contains x if { x := 1 }\np[k] = v if { k = 1; v = 2 }\n"
            "f(x) = y if { y := x }\ndefault d = 1");
  EXPECT_EQ(V0("package a\np = 1 { false } else = 2 { true }\n"),
            "p = 1 if { false } else = 2 if { true }");
  // Several bodies: several rules with the same head.
  EXPECT_EQ(V0("package a\np { a } { b }\n"), "p if { a }\np if { b }");
  // In v0 the future keywords are plain names...
  EXPECT_EQ(V0("package a\np { in := 1; contains(\"ab\", \"a\"); if := 2 }\n"),
            "p if { in := 1; contains(\"ab\", \"a\"); if := 2 }");
  EXPECT_THAT(V0("package a\np { x in [1] }\n"), HasSubstr("unexpected identifier token"));
  // ...until imported.
  EXPECT_EQ(V0("package a\nimport future.keywords.in\np { 1 in [1] }\n"),
            "p if { internal.member_2(1, [1]) }");
  EXPECT_EQ(V0("package a\nimport future.keywords\np contains x if { some x in [1] }\n"),
            "p contains x if { some x in [1] }");
  // With `if`, `p[x]` is p[x] = true, as in OPA.
  EXPECT_EQ(V0("package a\nimport future.keywords.if\np[x] if { x := 1 }\n"),
            "p[x] if { x := 1 }");
  // rego.v1 makes `if` required.
  EXPECT_THAT(V0("package a\nimport rego.v1\np { true }\n"),
              HasSubstr("`if` keyword is required before rule body"));
}

TEST(ParseModuleTest, V1RequiresIfAndContains) {
  EXPECT_EQ(Err("package a\n\np { true }\n"),
            "x.rego:3:1: rego_parse_error: `if` keyword is required before rule body");
  EXPECT_EQ(Err("package a\np[x] { x := 1 }\n"),
            "x.rego:2:1: rego_parse_error: `if` keyword is required before rule body\n"
            "x.rego:2:1: rego_parse_error: `contains` keyword is required for "
            "partial set rules");
  EXPECT_EQ(Err("package a\np[x]\n"),
            "x.rego:2:1: rego_parse_error: `contains` keyword is required for "
            "partial set rules");
  EXPECT_THAT(Err("package a\nf(x) = 1 { true }\n"),
              HasSubstr("`if` keyword is required"));
}

TEST(ParseModuleTest, KeywordsAsRefNames) {
  EXPECT_EQ(M("package foo.not.bar\nnot.foo := 1\nfoo.not(x) := x\n"
              "p if { not.foo == 1; contains(\"a\", \"a\"); input.in }\n"),
            "not.foo := 1\nfoo.not(x) := x\n"
            "p if { equal(not.foo, 1); contains(\"a\", \"a\"); input.in }");
  EXPECT_EQ(M("package a\ndefault.x := 1\ntrue.y := 2\n"), "default.x := 1\ntrue.y := 2");
}

TEST(ParseModuleTest, ElseErrors) {
  EXPECT_EQ(Err("package a\np[x] := 1 if x := 1 else := 2\n"),
            "x.rego:2:21: rego_parse_error: else keyword cannot be used on rules "
            "with variables in head");
  EXPECT_EQ(Err("package a\np contains 1 if true else := 2\n"),
            "x.rego:2:22: rego_parse_error: else keyword cannot be used on "
            "multi-value rules");
  EXPECT_EQ(Err("package a\np := 1 if true else 2\n"),
            "x.rego:2:21: rego_parse_error: unexpected number token: expected else "
            "value term or rule body");
}

TEST(ParseModuleTest, Errors) {
  EXPECT_EQ(Err("p := 1"), "x.rego:1:1: rego_parse_error: package expected");
  EXPECT_EQ(Err("package a\np := [1,\n"),
            "x.rego:3:1: rego_parse_error: unexpected eof token");
  EXPECT_EQ(Err("package a\np := 1 2\n"),
            "x.rego:2:8: rego_parse_error: unexpected number token");
  EXPECT_EQ(Err("package a\np := [1 2]\n"),
            "x.rego:2:9: rego_parse_error: unexpected number token: expected \",\" "
            "or \"]\"");
  EXPECT_EQ(Err("package a\np if { x := 1 == }\n"),
            "x.rego:2:18: rego_parse_error: unexpected } token");
  EXPECT_EQ(Err("package a\np if { true with input }\n"),
            "x.rego:2:24: rego_parse_error: unexpected } token: expected as keyword");
  EXPECT_EQ(Err("package a\np if { true }\nq := true false\n"),
            "x.rego:3:11: rego_parse_error: unexpected false keyword");
  EXPECT_EQ(Err("package a\np if {\n  x := \"abc\n}\n"),
            "x.rego:3:8: rego_parse_error: non-terminated string");
  EXPECT_EQ(Err("package a\np { }\n", RegoVersion::kV0),
            "x.rego:2:5: rego_parse_error: found empty body");
  EXPECT_EQ(Err("package a\np if { x := 1 } { }\n"),
            "x.rego:2:19: rego_parse_error: found empty body");
  // As in OPA, `{}` after `if` is an empty object.
  EXPECT_EQ(M("package a\np if {}\n"), "p if { {} }");
  EXPECT_EQ(Err("package a\nx := y z\n"),
            "x.rego:2:8: rego_parse_error: unexpected identifier token");
  EXPECT_EQ(Err("package a\np if { some 1 }\n"),
            "x.rego:2:13: rego_parse_error: expected var");
  EXPECT_EQ(Err("package a\ndefault p\n"),
            "x.rego:2:1: rego_parse_error: illegal default rule (must have a value)");
  EXPECT_EQ(Err("package a\ndefault p := [x]\n"),
            "x.rego:2:1: rego_parse_error: illegal default rule (value cannot contain var)");
  EXPECT_EQ(Err("package a\ndefault p := {1: input.x}\n"),
            "x.rego:2:1: rego_parse_error: illegal default rule (value cannot contain ref)");
  EXPECT_EQ(Err("package a\ndefault f(x, x) := 1\n"),
            "x.rego:2:1: rego_parse_error: illegal default rule (arguments cannot be "
            "repeated x)");
  EXPECT_EQ(Err("package a\ndefault f(1) := 1\n"),
            "x.rego:2:1: rego_parse_error: illegal default rule (arguments cannot "
            "contain scalar)");
  EXPECT_EQ(M("package a\ndefault f(_, _) := [x | x := 1]\n"),
            "default f(_, _) := [x | x := 1]");
  EXPECT_EQ(Err("package a\ndefault p := 1 if { true }\n"),
            "x.rego:2:16: rego_parse_error: unexpected if keyword");
  EXPECT_EQ(Err("package a\nimport foo.bar\n"),
            "x.rego:2:8: rego_parse_error: unexpected import path, must begin with one "
            "of: {data, future, input, rego}, got: foo");
  EXPECT_EQ(Err("package a\nimport data.x[y]\n"),
            "x.rego:2:15: rego_parse_error: unexpected non-string token: expecting string");
  EXPECT_EQ(Err("package a\np := 007\n"),
            "x.rego:2:6: rego_parse_error: unexpected number token: expected number "
            "without leading zero");
  // Several errors, one per line.
  EXPECT_EQ(Err("package a\np := ]\nq := 1\nr := )\n"),
            "x.rego:2:6: rego_parse_error: unexpected ] token\n"
            "x.rego:4:6: rego_parse_error: unexpected ) token");
}

TEST(ParseQueryTest, Operators) {
  EXPECT_EQ(Q("x = 1 + 2 * 3 - 4 / 2 % 3"),
            "x = minus(plus(1, mul(2, 3)), rem(div(4, 2), 3))");
  // As in OPA, `|` and `&` bind tighter than comparisons.
  EXPECT_EQ(Q("a | b & c == d"), "equal(or(a, and(b, c)), d)");
  EXPECT_EQ(Q("a & b | c"), "or(and(a, b), c)");
  EXPECT_EQ(Q("a != b; a < b; a <= b; a > b; a >= b"),
            "neq(a, b); lt(a, b); lte(a, b); gt(a, b); gte(a, b)");
  EXPECT_EQ(Q("(1 + 2) * 3"), "mul(plus(1, 2), 3)");
  EXPECT_EQ(Q("x := -1; y := -x; z := 1 - -2"),
            "x := -1; y := minus(0, x); z := minus(1, -2)");
  EXPECT_EQ(Q("x == 1 in s"), "internal.member_2(equal(x, 1), s)");
  EXPECT_EQ(Q("x = y in s"), "x = internal.member_2(y, s)");
}

TEST(ParseQueryTest, Membership) {
  EXPECT_EQ(Q("1 in [1]"), "internal.member_2(1, [1])");
  EXPECT_EQ(Q("k, v in {\"a\": 1}"), "internal.member_3(k, v, {\"a\": 1})");
  EXPECT_EQ(Q("1, 2 in [2] in [true]"),
            "internal.member_2(internal.member_3(1, 2, [2]), [true])");
  EXPECT_EQ(Q("x := [(1, 1 in [2])]"), "x := [internal.member_3(1, 1, [2])]");
  EXPECT_EQ(Q("[1, 2 in [2]]"), "[1, internal.member_2(2, [2])]");
}

TEST(ParseQueryTest, SomeEveryNotWith) {
  EXPECT_EQ(Q("some x, y"), "some x, y");
  EXPECT_EQ(Q("some x in xs"), "some x in xs");
  EXPECT_EQ(Q("some k, v in xs"), "some k, v in xs");
  EXPECT_EQ(Q("every x in xs { x > 1 }"), "every x in xs { gt(x, 1) }");
  EXPECT_EQ(Q("every k, v in xs {\n k == v\n v\n}"),
            "every k, v in xs { equal(k, v); v }");
  EXPECT_EQ(Q("not x = 1"), "not x = 1");
  EXPECT_EQ(Q("data.p with input.a as 1 with data.f as g\n  with count as 2"),
            "data.p with input.a as 1 with data.f as g with count as 2");
  absl::StatusOr<Body> body = ParseQuery("some k, v in xs");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)[0].kind, ExprKind::kSomeIn);
  EXPECT_EQ(TermString(*(*body)[0].key), "k");
  body = ParseQuery("some x in xs; every y in x { y }");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)[0].key, nullptr);
  EXPECT_EQ((*body)[1].kind, ExprKind::kEvery);
  ASSERT_NE((*body)[1].body, nullptr);
  EXPECT_EQ((*body)[1].body->size(), 1u);
}

TEST(ParseQueryTest, TermsAndRefs) {
  EXPECT_EQ(Q("a.b[c][\"d\"][_] = [1, 2][0]"), "a.b[c].d[_] = [1, 2][0]");
  EXPECT_EQ(Q("x := f(x).y; a.b.c(1, 2)"), "x := f(x).y; a.b.c(1, 2)");
  EXPECT_EQ(Q("x := {}; y := set(); z := {1, 2}; w := {\"a\": 1, 2: [3]}"),
            "x := {}; y := set(); z := {1, 2}; w := {\"a\": 1, 2: [3]}");
  EXPECT_EQ(Q("[x | x := 1]; {x | x := 1}; {k: v | k := 1; v := 2}"),
            "[x | x := 1]; {x | x := 1}; {k: v | k := 1; v := 2}");
  EXPECT_EQ(Q("x := [y |\n  some y in z\n  y > 1\n]"),
            "x := [y | some y in z; gt(y, 1)]");
  EXPECT_EQ(Q("x := [1,\n 2,\n]"), "x := [1, 2]");
  EXPECT_EQ(Q("x := .5; y := -.25e1; z := 0.1; w := 0e1"),
            "x := 0.5; y := -0.25e1; z := 0.1; w := 0e1");
  EXPECT_EQ(Q("x := null; y := true; z := 1.5e3; w := `raw\\n`"),
            "x := null; y := true; z := 1.5e3; w := \"raw\\\\n\"");

  absl::StatusOr<Body> body = ParseQuery("a.b[c]; x = _; f(1)");
  ASSERT_TRUE(body.ok());
  const Term& ref = *(*body)[0].term;
  ASSERT_EQ(ref.kind, TermKind::kRef);
  ASSERT_EQ(ref.items.size(), 3u);
  EXPECT_EQ(ref.items[0]->name, "a");
  EXPECT_EQ(ref.items[1]->value, Value::String("b"));
  EXPECT_EQ(ref.items[2]->kind, TermKind::kVar);
  EXPECT_EQ((*body)[1].rhs->name, "_");
  const Term& call = *(*body)[2].term;
  ASSERT_EQ(call.kind, TermKind::kCall);
  EXPECT_EQ(call.items[0]->kind, TermKind::kRef);
  EXPECT_EQ(call.items[0]->items[0]->name, "f");
}

TEST(ParseQueryTest, NewlinesSeparateExpressions) {
  absl::StatusOr<Body> body =
      ParseQuery("x := 1\ny := [\n 1 +\n 2]\nx\n[1]\nz := x\n  - 1");
  ASSERT_TRUE(body.ok()) << body.status();
  ASSERT_EQ(body->size(), 5u);
  EXPECT_EQ(ExprString((*body)[1]), "y := [plus(1, 2)]");
  // A ref needs its `[` right after the term...
  EXPECT_EQ(ExprString((*body)[2]), "x");
  EXPECT_EQ(ExprString((*body)[3]), "[1]");
  EXPECT_EQ((*body)[3].loc.line, 6);
  // ...while infix operators continue on the next line, as in OPA.
  EXPECT_EQ(ExprString((*body)[4]), "z := minus(x, 1)");
  EXPECT_EQ((*body)[1].loc.col, 1);
  EXPECT_EQ((*body)[1].rhs->loc.col, 6);
  // An infix call is located at its left operand.
  EXPECT_EQ((*body)[1].rhs->items[0]->loc.line, 3);
  EXPECT_EQ((*body)[1].rhs->items[0]->loc.col, 2);
  EXPECT_EQ(Q("x := 1 y := 2"),
            "1:8: rego_parse_error: unexpected identifier token: expected \\n or ; or eof");
}

TEST(ParseQueryTest, Templates) {
  EXPECT_EQ(Q("x = $\"a {y} b {1 + 2}\""), "x = $\"a {y} b {plus(1, 2)}\"");
  absl::StatusOr<Body> body = ParseQuery("x = $\"{\"s\"}\\{c}\"");
  ASSERT_TRUE(body.ok()) << body.status();
  const Term& t = *(*body)[0].rhs;
  ASSERT_EQ(t.kind, TermKind::kTemplate);
  // Literal pieces at even positions, expressions at odd ones.
  ASSERT_EQ(t.items.size(), 3u);
  EXPECT_EQ(t.items[0]->value, Value::String(""));
  EXPECT_EQ(t.items[1]->value, Value::String("s"));
  EXPECT_EQ(t.items[2]->value, Value::String("{c}"));
  EXPECT_EQ(Q("x = $`multi\n{y}`"), "x = $\"multi\\n{y}\"");
  EXPECT_EQ(Q("x = $\"{{1}} {{\"a\": 1}} {[z | z := 1]}\""),
            "x = $\"{{1}} {{\"a\": 1}} {[z | z := 1]}\"");
  // `with` inside a template: the value under the modifier.
  EXPECT_EQ(Q("x = $\"{a with input as 1}\""),
            "x = $\"{[__localt0__ | __localt0__ = a with input as 1][0]}\"");
  EXPECT_THAT(Q("x = $\"{}\""), HasSubstr("empty template expression"));
  EXPECT_EQ(Q("x = $\"{not y}\""),
            "1:8: rego_parse_error: unexpected negation ('not') in template-string "
            "expression");
  EXPECT_EQ(Q("x = $\"{y := 1}\""),
            "1:8: rego_parse_error: unexpected assignment (':=') in template-string "
            "expression");
  EXPECT_THAT(Q("x = $\"{some y}\""), HasSubstr("unexpected 'some' in template"));
  EXPECT_THAT(Q("x = $\"{1 +}\""), HasSubstr("rego_parse_error"));
}

TEST(ParseQueryTest, StringEscapes) {
  absl::StatusOr<Body> body =
      ParseQuery("x = \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"");
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ((*body)[0].rhs->value,
            Value::String("\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80"));
  EXPECT_THAT(Q("x = \"\\q\""), HasSubstr("illegal escape sequence"));
}

TEST(ParseQueryTest, EmptyAndBadQueries) {
  EXPECT_THAT(Q(""), HasSubstr("rego_parse_error"));
  EXPECT_EQ(Q("x = "), "1:5: rego_parse_error: unexpected eof token");
  EXPECT_EQ(Q("x = 1 @"), "1:7: rego_parse_error: illegal token");
}

TEST(ParseValueTest, GroundTerms) {
  absl::StatusOr<Value> v = ParseValue("{1: {2, 3}, [1]: \"a\", \"k\": -2.5}");
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_TRUE(v->is_object());
  const Value* one = v->Find(Value::Int(1));
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(*one, Value::Set({Value::Int(3), Value::Int(2)}));
  const Value* arr = v->Find(Value::Array({Value::Int(1)}));
  ASSERT_NE(arr, nullptr);
  EXPECT_EQ(*arr, Value::String("a"));
  EXPECT_EQ(v->Find("k")->NumberText(), "-2.5");
  EXPECT_EQ(*ParseValue("set()"), Value::Set({}));
  EXPECT_EQ(*ParseValue("{}"), Value::Object({}));
  EXPECT_EQ(*ParseValue("[null, true, \"x\"]"),
            Value::Array({Value::Null(), Value::Bool(true), Value::String("x")}));
  EXPECT_FALSE(ParseValue("[x]").ok());
  EXPECT_FALSE(ParseValue("1 + 2").ok());
  EXPECT_FALSE(ParseValue("[1").ok());
}

// Random and truncated inputs: errors, never crashes or hangs.
TEST(ParserFuzzTest, GarbageNeverCrashes) {
  const std::string module =
      "package a.b\nimport rego.v1\ndefault p := false\n"
      "p if { some x in input.xs; x.y[_] == \"a\\u00e9\"; not f(x) }\n"
      "q contains {k: v} if { every k, v in {1: 2} { k < v } }\n"
      "f(x) := $\"{x} {[y | y := x[_]]}\" if x with input as {1, 2}\n"
      "r.b := `raw` if { a := -1 * (2 + 3) } else := {1 | true}\n";
  ASSERT_TRUE(ParseModule("f.rego", module).ok());
  for (size_t n = 0; n <= module.size(); ++n) {
    (void)ParseModule("f.rego", module.substr(0, n));
    (void)ParseQuery(std::string_view(module).substr(n));
  }
  std::mt19937 rng(42);
  const std::string alphabet = "{}[]()\"`$\\:=,;.|&+-*/%<>! \n#axin0_9";
  for (int i = 0; i < 3000; ++i) {
    std::string text = "package x\n";
    int len = static_cast<int>(rng() % 60);
    for (int j = 0; j < len; ++j) text.push_back(alphabet[rng() % alphabet.size()]);
    (void)ParseModule("f.rego", text);
    (void)ParseQuery(text.substr(10));
    (void)ParseValue(text.substr(10));
  }
  std::string mutated = module;
  for (int i = 0; i < 2000; ++i) {
    std::string m = mutated;
    m[rng() % m.size()] = alphabet[rng() % alphabet.size()];
    (void)ParseModule("f.rego", m);
  }
  EXPECT_THAT(Q(std::string(100000, '[')), HasSubstr("maximum nesting depth"));
  // A unary minus cannot follow another (`- -x`), so a long chain stops at once.
  EXPECT_THAT(Q(std::string(100000, '-') + "x"), HasSubstr("unexpected minus token"));
  EXPECT_THAT(Q(std::string(100000, '(') + "-x"), HasSubstr("maximum nesting depth"));
}

}  // namespace
}  // namespace policyd::ast
