#include "engine/builtins/go/template.h"

#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::J;

std::string R(std::string_view templ, std::string_view data_json) {
  auto out = RenderGoTemplate(templ, J(data_json));
  if (!out.ok()) return "error: " + std::string(out.status().message());
  return *out;
}

TEST(GoTemplateTest, FieldsAndValues) {
  EXPECT_EQ(R("{{.test}}", R"({"test": "hello world"})"), "hello world");
  EXPECT_EQ(R("{{.test}}", R"({"test": 2023})"), "2023");
  EXPECT_EQ(R("a {{.x.y}} b", R"({"x": {"y": true}})"), "a true b");
  EXPECT_EQ(R("{{.missing}}", "{}"), "<no value>");
  EXPECT_EQ(R("{{.}}", R"({"a": [1, "x", null], "b": {"c": 1.5}})"),
            "map[a:[1 x <nil>] b:map[c:1.5]]");
  EXPECT_EQ(R(R"({{"lit"}} {{`raw`}} {{3}} {{true}})", "{}"), "lit raw 3 true");
}

TEST(GoTemplateTest, RangeIfWith) {
  EXPECT_EQ(R("{{range $i, $name := .names}}{{if $i}},{{end}}hello {{$name}}"
              "{{end}}",
              R"({"names": ["rohan", "john doe"]})"),
            "hello rohan,hello john doe");
  EXPECT_EQ(R("{{range .xs}}[{{.}}]{{else}}none{{end}}", R"({"xs": []})"),
            "none");
  EXPECT_EQ(R("{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}",
              R"({"m": {"b": 2, "a": 1}})"),
            "a=1;b=2;");
  EXPECT_EQ(R("{{if .a}}A{{else if .b}}B{{else}}C{{end}}", R"({"b": 1})"), "B");
  EXPECT_EQ(R("{{with .u}}{{.name}}{{else}}anon{{end}}",
              R"({"u": {"name": "ann"}})"),
            "ann");
  EXPECT_EQ(R("{{$x := .a}}{{$x}}{{$x = 2}}{{$x}}", R"({"a": 1})"), "12");
}

TEST(GoTemplateTest, FunctionsAndPipes) {
  EXPECT_EQ(R("{{len .xs}} {{index .xs 1}} {{index .m \"k\"}}",
              R"({"xs": [5, 6], "m": {"k": "v"}})"),
            "2 6 v");
  EXPECT_EQ(R("{{if and .a (not .b)}}yes{{end}}", R"({"a": 1, "b": false})"),
            "yes");
  EXPECT_EQ(R("{{if eq .a 1 2}}y{{end}}{{if lt .a 0}}n{{end}}", R"({"a": 2})"),
            "y");
  EXPECT_EQ(R("{{.a | len}}", R"({"a": "abc"})"), "3");
  EXPECT_EQ(R("{{print 1 2 \"x\"}}", "{}"), "1 2x");
}

TEST(GoTemplateTest, TrimAndComments) {
  EXPECT_EQ(R("a  {{- .x -}}  b{{/* note */}}", R"({"x": "X"})"), "aXb");
}

TEST(GoTemplateTest, Errors) {
  EXPECT_EQ(R("{{if .a}}x", "{}"), "error: template: template:1: unexpected EOF");
  EXPECT_EQ(R("{{.a.b}}", R"({"a": "s"})"),
            "error: template: template:1: can't evaluate field b in type "
            "string");
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "{{if 1}}";
  EXPECT_EQ(R(deep, "{}"), "error: template: template:1: nested too deeply");
  EXPECT_EQ(R("{{" + std::string(10000, '(') + "1}}", "{}"),
            "error: template: template:1: nested too deeply");
  EXPECT_EQ(R("{{nope 1}}", "{}"),
            "error: template: template:1: function \"nope\" not defined");
}

}  // namespace
}  // namespace policyd
