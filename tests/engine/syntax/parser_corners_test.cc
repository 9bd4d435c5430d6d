// OPA's grammar corners that third-party policies rely on, and the
// strictness OPA shows where policyd was lenient (issue 11).
#include <string>

#include "engine/errors.h"
#include "engine/syntax/parser.h"
#include "engine/syntax/printer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd::ast {
namespace {

using ::testing::HasSubstr;

std::string Q(std::string_view text) {
  absl::StatusOr<Body> body = ParseQuery(text);
  if (!body.ok()) return std::string(body.status().message());
  return BodyString(*body);
}

// The rules printed back, or the error code and message.
std::string M(std::string_view text, RegoVersion version = RegoVersion::kV1) {
  absl::StatusOr<Module> module = ParseModule("x.rego", text, version);
  if (!module.ok()) {
    return ErrorCode(module.status()) + ": " + std::string(module.status().message());
  }
  std::string out;
  for (const Rule& r : module->rules) out += RuleString(r) + "\n";
  return out;
}

TEST(ParserCornersTest, FunctionHeadWithoutBodyIsTrueForItsArguments) {
  for (RegoVersion v : {RegoVersion::kV0, RegoVersion::kV1}) {
    std::string out = M("package k\nallowed_kind(\"Pod\")\nf(x, \"y\")\ng(_)\n", v);
    EXPECT_THAT(out, HasSubstr("allowed_kind(\"Pod\")")) << out;
    EXPECT_THAT(out, HasSubstr("f(x, \"y\")")) << out;
    EXPECT_THAT(out, ::testing::Not(HasSubstr("error"))) << out;
  }
  // A bare name is still no rule.
  EXPECT_THAT(M("package k\np\n"), HasSubstr("rego_parse_error: x.rego:2:1"));
}

TEST(ParserCornersTest, KeywordsAreFieldNamesAfterADot) {
  for (const char* kw : {"package", "import", "default", "else", "some", "in", "every",
                         "contains", "if", "not", "with", "as"}) {
    std::string q = std::string("x.") + kw + " == input." + kw;
    EXPECT_EQ(Q(q), std::string("equal(x.") + kw + ", input." + kw + ")") << kw;
  }
  EXPECT_THAT(M("package k\np if input.else.some\n"), HasSubstr("input.else.some"));
}

TEST(ParserCornersTest, BarBeforeAListIsSetUnionNotAComprehension) {
  EXPECT_EQ(Q("[a | b, c]"), "[or(a, b), c]");
  EXPECT_EQ(Q("{a | b, a & b}"), "{or(a, b), and(a, b)}");
  // Bodies with commas of their own stay comprehensions.
  EXPECT_EQ(Q("[x | some x, y in z]"), "[x | some x, y in z]");
  EXPECT_EQ(Q("[k | k, v in z]"), "[k | internal.member_3(k, v, z)]");
  EXPECT_EQ(Q("[a | b]"), "[a | b]");
  EXPECT_EQ(Q("[a | f(b, c)]"), "[a | f(b, c)]");
}

TEST(ParserCornersTest, DoubleUnaryMinusIsRefused) {
  EXPECT_THAT(Q("x := - -1"), HasSubstr("rego_parse_error: unexpected minus token"));
  EXPECT_THAT(Q("x := --1"), HasSubstr("rego_parse_error"));
  EXPECT_EQ(Q("x := -(-1)"), "x := minus(0, -1)");
  EXPECT_EQ(Q("x := 1 - -1"), "x := minus(1, -1)");
}

TEST(ParserCornersTest, ReferenceCannotBreakAfterItsDot) {
  EXPECT_THAT(M("package k\np := input.\n  in\n"),
              HasSubstr("rego_parse_error: x.rego:3:3: rego_parse_error: unexpected in keyword"));
  EXPECT_THAT(Q("input. a"), HasSubstr("rego_parse_error"));
}

}  // namespace
}  // namespace policyd::ast
