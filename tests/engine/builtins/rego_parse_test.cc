#include <string>
#include <string_view>

#include "engine/value/json.h"
#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using ::policyd::core_testing::Call;

// The module's tree as JSON, or the error text.
std::string Parse(std::string_view text) {
  std::string out = Call("rego.parse_module", {Value::String("x.rego"), Value::String(text)});
  if (out.find("error: ") != std::string::npos) return out;
  absl::StatusOr<Value> v = ast::ParseValue(out);
  return v.ok() ? v->ToJson() : out;
}

TEST(RegoParseTest, PackageImportsAndRules) {
  EXPECT_EQ(
      Parse("package foo.bar\n\nimport data.a as b\n\np if { a = true }\n"),
      R"({"imports":[{"alias":"b","path":{"type":"ref","value":[{"type":"var","value":"data"},)"
      R"({"type":"string","value":"a"}]}}],)"
      R"("package":{"path":[{"type":"var","value":"data"},{"type":"string","value":"foo"},)"
      R"({"type":"string","value":"bar"}]},)"
      R"("rules":[{"body":[{"index":0,"terms":[{"type":"ref","value":[{"type":"var","value":"eq"}]},)"
      R"({"type":"var","value":"a"},{"type":"boolean","value":true}]}],)"
      R"("head":{"name":"p","ref":[{"type":"var","value":"p"}],)"
      R"("value":{"type":"boolean","value":true}}}]})");
}

TEST(RegoParseTest, RuleKinds) {
  // A constant rule gets the body `true`; := is recorded.
  EXPECT_EQ(Parse("package p\nx := 1\n"),
            R"({"package":{"path":[{"type":"var","value":"data"},{"type":"string","value":"p"}]},)"
            R"("rules":[{"body":[{"index":0,"terms":{"type":"boolean","value":true}}],)"
            R"("head":{"assign":true,"name":"x","ref":[{"type":"var","value":"x"}],)"
            R"("value":{"type":"number","value":1}}}]})");
  std::string set_rule = Parse("package p\ns contains x if { some x in [1]; not x == 2 }\n");
  EXPECT_NE(set_rule.find(R"("key":{"type":"var","value":"x"})"), std::string::npos) << set_rule;
  EXPECT_NE(set_rule.find(R"("symbols":[{"type":"call","value":[{"type":"ref","value":)"
                          R"([{"type":"var","value":"internal"},{"type":"string","value":"member_2"}]})"),
            std::string::npos)
      << set_rule;
  EXPECT_NE(set_rule.find(R"("negated":true)"), std::string::npos) << set_rule;
  std::string fn = Parse("package p\nf(_, y) := y\ndefault d := false\n");
  EXPECT_NE(fn.find(R"("args":[{"type":"var","value":"$0"},{"type":"var","value":"y"}])"),
            std::string::npos)
      << fn;
  EXPECT_NE(fn.find(R"("default":true)"), std::string::npos) << fn;
  std::string every = Parse("package p\nq if { every v in [1] { v > 0 } }\n");
  EXPECT_NE(every.find(R"("terms":{"body":[{"index":0,"terms":[{"type":"ref","value":[{"type":"var","value":"gt"}]},)"),
            std::string::npos)
      << every;
  EXPECT_NE(every.find(R"("key":null,"value":{"type":"var","value":"v"}})"), std::string::npos) << every;
}

TEST(RegoParseTest, ErrorsReadAsOpas) {
  // The parser's own words follow; the frame (count, file:line, no column)
  // is OPA's.
  EXPECT_EQ(Call("rego.parse_module", {Value::String("x.rego"), Value::String("package foo.")})
                .rfind("builtin error: rego.parse_module: 1 error occurred: x.rego:1: "
                       "rego_parse_error: unexpected eof token",
                       0),
            0u);
  std::string two = Call("rego.parse_module",
                         {Value::String("y.rego"), Value::String("package p\nx := := 1\ny := := 2\n")});
  EXPECT_EQ(two.rfind("builtin error: rego.parse_module: 2 errors occurred:\ny.rego:2: rego_parse_error: ", 0),
            0u)
      << two;
  EXPECT_NE(two.find("\ny.rego:3: rego_parse_error: "), std::string::npos) << two;
  EXPECT_EQ(Call("rego.parse_module", {Value::String("x.rego"), Value::Int(1)}),
            "type error: rego.parse_module: operand 2 must be string but got number");
}

// A 100 KB request whose text is a long operator chain crashed the server
// while the module was turned into a value; 10x that is refused by the
// parser's depth limit.
TEST(RegoParseTest, LongOperatorChainsAreAParseError) {
  std::string text = "package p\nx := 1";
  while (text.size() < 1000000) text += "+1";
  EXPECT_NE(Parse(text).find("maximum nesting depth exceeded"), std::string::npos)
      << Parse(text).substr(0, 200);
}

}  // namespace
}  // namespace policyd
