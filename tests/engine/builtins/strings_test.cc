#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::EvalString;
using ::policyd::testing::I;
using ::policyd::testing::J;
using ::policyd::testing::S;
using ::policyd::testing::kType;

TEST(StringsTest, Concat) {
  EXPECT_EQ(Eval("concat", {S("/"), J(R"(["", "foo", "bar", "0", "baz"])")}),
            R"("/foo/bar/0/baz")");
  EXPECT_EQ(Eval("concat", {S(","), J("[]")}), R"("")");
  EXPECT_EQ(Eval("concat", {S(", "), Value::Set({S("b"), S("a")})}),
            R"("a, b")");
  EXPECT_EQ(Error("concat", {S(","), I(1)}, kType),
            "concat: operand 2 must be one of {set, array} but got number");
  EXPECT_EQ(Error("concat", {S(","), J(R"(["a", 1])")}, kType),
            "concat: operand 2 must be array of strings but got array "
            "containing number");
  EXPECT_EQ(Error("concat", {I(1), J("[]")}, kType),
            "concat: operand 1 must be string but got number");
}

TEST(StringsTest, ContainsStartsEnds) {
  EXPECT_EQ(Eval("contains", {S("abcdefgh"), S("defg")}), "true");
  EXPECT_EQ(Eval("contains", {S("abcdefgh"), S("ac")}), "false");
  EXPECT_EQ(Eval("contains", {S("abc"), S("")}), "true");
  EXPECT_EQ(Eval("startswith", {S("abcdefgh"), S("abcd")}), "true");
  EXPECT_EQ(Eval("startswith", {S("abcdefgh"), S("bcd")}), "false");
  EXPECT_EQ(Eval("endswith", {S("abcdefgh"), S("fgh")}), "true");
  EXPECT_EQ(Eval("endswith", {S("abcdefgh"), S("fg")}), "false");
  EXPECT_EQ(Error("startswith", {S("a"), I(1)}, kType),
            "startswith: operand 2 must be string but got number");
}

TEST(StringsTest, AnyPrefixSuffixMatch) {
  EXPECT_EQ(Eval("strings.any_prefix_match",
                 {J(R"(["a/b/c", "e/f/g"])"), J(R"(["x/", "e/f"])")}),
            "true");
  EXPECT_EQ(Eval("strings.any_prefix_match", {S("a/b/c"), S("b")}), "false");
  EXPECT_EQ(Eval("strings.any_prefix_match", {J("[]"), J("[]")}), "false");
  EXPECT_EQ(Eval("strings.any_suffix_match",
                 {Value::Set({S("a/b/c")}), Value::Set({S("/c")})}),
            "true");
  EXPECT_EQ(Error("strings.any_prefix_match", {J("[1, 2]"), J("[]")}, kType),
            "strings.any_prefix_match: operand 1 must be array of strings but "
            "got array containing number");
  EXPECT_EQ(Error("strings.any_suffix_match", {S("a"), I(1)}, kType),
            "strings.any_suffix_match: operand 2 must be one of {string, set, "
            "array} but got number");
}

TEST(StringsTest, FormatInt) {
  EXPECT_EQ(Eval("format_int", {J("15.5"), I(16)}), R"("f")");
  EXPECT_EQ(Eval("format_int", {J("-15.9"), I(10)}), R"("-15")");
  EXPECT_EQ(Eval("format_int", {J("-0.5"), I(10)}), R"("0")");
  EXPECT_EQ(Eval("format_int", {I(5), I(2)}), R"("101")");
  EXPECT_EQ(Eval("format_int", {I(8), I(8)}), R"("10")");
  EXPECT_EQ(Eval("format_int", {J("1e3"), I(10)}), R"("1000")");
  EXPECT_EQ(Eval("format_int", {J("123456789012345678901234567890"), I(16)}),
            R"("18ee90ff6c373e0ee4e3f0ad2")");
  EXPECT_EQ(Error("format_int", {J("4.1"), I(199)}, kType),
            "format_int: operand 2 must be one of {2, 8, 10, 16}");
  EXPECT_EQ(Error("format_int", {S("1"), I(10)}, kType),
            "format_int: operand 1 must be number but got string");
}

TEST(StringsTest, IndexOf) {
  EXPECT_EQ(Eval("indexof", {S("abcdefgh"), S("cde")}), "2");
  EXPECT_EQ(Eval("indexof", {S("abcabcabcdefgh"), S("cde")}), "8");
  EXPECT_EQ(Eval("indexof", {S("abcdefgh"), S("xyz")}), "-1");
  EXPECT_EQ(Eval("indexof", {S("μx"), S("x")}), "1");
  EXPECT_EQ(Eval("indexof", {S("μ"), S("μμ")}), "-1");
  EXPECT_EQ(Eval("indexof", {S("skön var våren"), S("vår")}), "9");
  EXPECT_EQ(Eval("indexof", {S("🍧🍨🧁🍰🍮"), S("🍮")}), "4");
  EXPECT_EQ(Error("indexof", {S("a"), S("")}, absl::StatusCode::kUnknown),
            "indexof: empty search character");
}

TEST(StringsTest, IndexOfN) {
  EXPECT_EQ(Eval("indexof_n", {S("dogcatdogcat"), S("cat")}), "[3,9]");
  EXPECT_EQ(Eval("indexof_n", {S("dogcat"), S("rabbit")}), "[]");
  EXPECT_EQ(Eval("indexof_n", {S("😇😀😇😀😇😀"), S("😀")}), "[1,3,5]");
  EXPECT_EQ(Eval("indexof_n", {S("aaa"), S("aa")}), "[0,1]");
  EXPECT_EQ(Error("indexof_n", {S("a"), S("")}, absl::StatusCode::kUnknown),
            "indexof_n: empty search character");
}

TEST(StringsTest, Substring) {
  EXPECT_EQ(Eval("substring", {S("abcdefgh"), I(2), I(3)}), R"("cde")");
  EXPECT_EQ(Eval("substring", {S("åäö"), I(0), I(2)}), R"("åä")");
  EXPECT_EQ(Eval("substring", {S("aåäö"), I(2), I(-1)}), R"("äö")");
  EXPECT_EQ(Eval("substring", {S("abcdefghåäö"), I(2), I(10000)}),
            R"("cdefghåäö")");
  EXPECT_EQ(Eval("substring", {S("åäö"), I(3), I(-1)}), R"("")");
  EXPECT_EQ(Eval("substring", {S("aaa"), I(4), I(-1)}), R"("")");
  EXPECT_EQ(Eval("substring", {S("aaa"), I(1), I(0)}), R"("")");
  EXPECT_EQ(Error("substring", {S("aaa"), I(-1), I(-1)},
                  absl::StatusCode::kUnknown),
            "substring: negative offset");
  EXPECT_EQ(Error("substring", {S("aaa"), J("1.5"), I(1)}, kType),
            "substring: operand 2 must be integer number but got "
            "floating-point number");
}

TEST(StringsTest, LowerUpper) {
  EXPECT_EQ(Eval("lower", {S("AbCdEf")}), R"("abcdef")");
  EXPECT_EQ(Eval("upper", {S("AbCdEf")}), R"("ABCDEF")");
  EXPECT_EQ(Eval("lower", {S("already lower 1")}), R"("already lower 1")");
  EXPECT_EQ(Eval("upper", {S("")}), R"("")");
  EXPECT_EQ(Eval("upper", {S("straße åäö")}), R"("STRAßE ÅÄÖ")");
  EXPECT_EQ(Eval("lower", {S("ÅÄÖ ΣΑΣ")}), R"("åäö σασ")");
  EXPECT_EQ(Error("lower", {I(1)}, kType),
            "lower: operand 1 must be string but got number");
}

TEST(StringsTest, Replace) {
  EXPECT_EQ(Eval("replace", {S(""), S("hi"), S("bye")}), R"("")");
  EXPECT_EQ(Eval("replace", {S("foo.bar.baz"), S("."), S(",")}),
            R"("foo,bar,baz")");
  EXPECT_EQ(Eval("replace", {S("foo...bar"), S(".."), S(",,")}),
            R"("foo,,.bar")");
  EXPECT_EQ(Eval("replace", {S("aä"), S(""), S("-")}), R"("-a-ä-")");
}

TEST(StringsTest, ReplaceN) {
  EXPECT_EQ(EvalString("strings.replace_n", {J(R"({"<": "&lt;", ">": "&gt;"})"),
                                            S("This is <b>HTML</b>!")}),
            "This is &lt;b&gt;HTML&lt;/b&gt;!");
  EXPECT_EQ(Eval("strings.replace_n",
                 {J(R"({"f": "x", "foo": "xxx"})"), S("foobar")}),
            R"("xoobar")");
  EXPECT_EQ(Eval("strings.replace_n", {J(R"({"ab": "x", "b": "y"})"), S("abb")}),
            R"("xy")");
  EXPECT_EQ(Eval("strings.replace_n", {J("{}"), S("abc")}), R"("abc")");
  EXPECT_EQ(Error("strings.replace_n", {J(R"({"f": 100})"), S("foo")}, kType),
            "strings.replace_n: operand 1 non-string value found in pattern "
            "object");
  EXPECT_EQ(Error("strings.replace_n",
                  {Value::Object({{I(2), S("x")}}), S("foo")}, kType),
            "strings.replace_n: operand 1 non-string key found in pattern "
            "object");
  EXPECT_EQ(Error("strings.replace_n", {J(R"({"foo": "baz"})"), I(100)}, kType),
            "strings.replace_n: operand 2 must be string but got number");
}

TEST(StringsTest, Split) {
  EXPECT_EQ(Eval("split", {S(""), S(".")}), R"([""])");
  EXPECT_EQ(Eval("split", {S("test"), S("")}), R"(["t","e","s","t"])");
  EXPECT_EQ(Eval("split", {S(""), S("")}), "[]");
  EXPECT_EQ(Eval("split", {S("foo.bar.baz"), S(".")}),
            R"(["foo","bar","baz"])");
  EXPECT_EQ(Eval("split", {S("a..b."), S(".")}), R"(["a","","b",""])");
  EXPECT_EQ(Eval("split", {S("åä"), S("")}), R"(["å","ä"])");
}

TEST(StringsTest, Trim) {
  EXPECT_EQ(Eval("trim", {S(""), S(".")}), R"("")");
  EXPECT_EQ(Eval("trim", {S("...foo.bar..."), S(".")}), R"("foo.bar")");
  EXPECT_EQ(Eval("trim", {S("...foo.bar..."), S(".fr")}), R"("oo.ba")");
  EXPECT_EQ(Eval("trim", {S("¡¡¡foo, bar!!!"), S("!¡")}), R"("foo, bar")");
  EXPECT_EQ(Eval("trim", {S("¡¡¡foo, bar!!!"), S("i")}),
            R"("¡¡¡foo, bar!!!")");
  EXPECT_EQ(Eval("trim", {S("..."), S(".")}), R"("")");
  EXPECT_EQ(Eval("trim_left", {S("¡¡¡foo, bar!!!"), S("!¡")}),
            R"("foo, bar!!!")");
  EXPECT_EQ(Eval("trim_right", {S("¡¡¡foo, bar!!!"), S("!¡")}),
            R"("¡¡¡foo, bar")");
  EXPECT_EQ(Eval("trim_prefix", {S("¡¡¡foo, bar!!!"), S("¡¡¡foo")}),
            R"(", bar!!!")");
  EXPECT_EQ(Eval("trim_prefix", {S("foo"), S("bar")}), R"("foo")");
  EXPECT_EQ(Eval("trim_suffix", {S("¡¡¡foo, bar!!!"), S(", bar!!!")}),
            R"("¡¡¡foo")");
  EXPECT_EQ(Eval("trim_space", {S(" \t\n foo, bar \n\t\r\n")}),
            R"("foo, bar")");
  EXPECT_EQ(Eval("trim_space", {S("\u3000x\u00a0")}), R"("x")");
  EXPECT_EQ(Error("trim", {S("a"), I(1)}, kType),
            "trim: operand 2 must be string but got number");
}

TEST(StringsTest, ReverseAndCount) {
  EXPECT_EQ(Eval("strings.reverse", {S("bar")}), R"("rab")");
  EXPECT_EQ(Eval("strings.reverse", {S("1😀𝛾")}), R"("𝛾😀1")");
  EXPECT_EQ(Eval("strings.reverse", {S("")}), R"("")");
  EXPECT_EQ(Error("strings.reverse", {J(R"({"a": 1})")}, kType),
            "strings.reverse: operand 1 must be string but got object");
  EXPECT_EQ(Eval("strings.count", {S("cheese"), S("e")}), "3");
  EXPECT_EQ(Eval("strings.count", {S("dummy"), S("")}), "6");
  EXPECT_EQ(Eval("strings.count", {S(""), S("")}), "1");
  EXPECT_EQ(Eval("strings.count", {S("11111"), S("11")}), "2");
  EXPECT_EQ(Eval("strings.count", {S("åäö"), S("")}), "4");
}

TEST(StringsTest, TemplateString) {
  auto one = [](Value v) { return Value::Set({std::move(v)}); };
  EXPECT_EQ(Eval("internal.template_string", {Value::Array({})}), R"("")");
  EXPECT_EQ(EvalString("internal.template_string",
                 {Value::Array({S("a "), one(S("x")), S(" "), Value::Set({}),
                                S(" "), one(J("13.37")), S(" "), one(Value()),
                                S(" "), one(J(R"([1, "a"])")), S(" "),
                                one(Value::Set({})), S(" "),
                                one(J(R"({"a": "b"})"))})}),
            R"(a x <undefined> 13.37 null [1, "a"] set() {"a": "b"})");
  EXPECT_EQ(Error("internal.template_string",
                  {Value::Array({Value::Set({I(1), I(2)})})},
                  absl::StatusCode::kUnknown),
            "internal.template_string: template-strings must not produce "
            "multiple outputs");
}

}  // namespace
}  // namespace policyd

namespace policyd {
namespace {

TEST(StringsTest, RenderTemplate) {
  using ::policyd::testing::EvalString;
  using ::policyd::testing::J;
  using ::policyd::testing::S;
  EXPECT_EQ(EvalString("strings.render_template",
                       {S("test {{.foo}} {{.baz}}"), J(R"({"baz": 1})")}),
            "test <undefined> 1");
  EXPECT_EQ(EvalString("strings.render_template",
                       {S("{{if}}"), J("{}")}).rfind(
                "error: strings.render_template: template:", 0),
            0u);
}

}  // namespace
}  // namespace policyd
