#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::EvalString;
using ::policyd::testing::I;
using ::policyd::testing::S;
using ::policyd::testing::kType;
using ::policyd::testing::kBuiltin;

TEST(RegexTest, Match) {
  EXPECT_EQ(Eval("regex.match", {S(R"(^[a-z]+\[[0-9]+\]$)"), S("foo[1]")}),
            "true");
  EXPECT_EQ(Eval("regex.match", {S("^$"), S("")}), "true");
  EXPECT_EQ(Eval("regex.match", {S(""), S("x")}), "true");
  EXPECT_EQ(Eval("regex.match", {S("^$"), S("something")}), "false");
  EXPECT_EQ(Eval("regex.match", {S("b+"), S("abbc")}), "true");
  EXPECT_EQ(Eval("regex.match", {S("^å.ö$"), S("åäö")}), "true");
  EXPECT_EQ(Eval("re_match", {S("^a"), S("abc")}), "true");
  EXPECT_EQ(Error("regex.match", {S("$^[[["), S("x")}, kBuiltin),
            "regex.match: error parsing regexp: missing closing ]: `[[[`");
  EXPECT_EQ(Error("regex.match", {I(1), S("x")}, kType),
            "regex.match: operand 1 must be string but got number");
}

TEST(RegexTest, IsValid) {
  EXPECT_EQ(Eval("regex.is_valid", {S(".+")}), "true");
  EXPECT_EQ(Eval("regex.is_valid", {S("++")}), "false");
  EXPECT_EQ(Eval("regex.is_valid", {I(10)}), "false");
}

TEST(RegexTest, FindN) {
  EXPECT_EQ(Eval("regex.find_n", {S("a."), S("paranormal"), I(-1)}),
            R"(["ar","an","al"])");
  EXPECT_EQ(Eval("regex.find_n", {S("a."), S("paranormal"), I(2)}),
            R"(["ar","an"])");
  EXPECT_EQ(Eval("regex.find_n", {S("a."), S("paranormal"), I(0)}), "[]");
  EXPECT_EQ(Eval("regex.find_n", {S("^a."), S("abacadaeaf"), I(-1)}),
            R"(["ab"])");
  EXPECT_EQ(Eval("regex.find_n", {S(".$"), S("abacadaeaf"), I(-1)}),
            R"(["f"])");
  EXPECT_EQ(Eval("regex.find_n", {S("[abcdef]{2}"), S("abacadaeaf"), I(-1)}),
            R"(["ab","ac","ad","ae","af"])");
  EXPECT_EQ(Eval("regex.find_n", {S("bork"), S("paranormal"), I(-1)}), "[]");
  // Empty matches: none right after a match, one per rune otherwise.
  EXPECT_EQ(Eval("regex.find_n", {S("a*"), S("baaab"), I(-1)}),
            R"(["","aaa",""])");
  EXPECT_EQ(Eval("regex.find_n", {S(""), S("åb"), I(-1)}), R"(["","",""])");
}

TEST(RegexTest, FindAllStringSubmatchN) {
  EXPECT_EQ(Eval("regex.find_all_string_submatch_n",
                 {S("a(x*)b"), S("-"), I(-1)}),
            "[]");
  EXPECT_EQ(Eval("regex.find_all_string_submatch_n",
                 {S("a(x*)b"), S("-ab-axb-"), I(-1)}),
            R"([["ab",""],["axb","x"]])");
  EXPECT_EQ(Eval("regex.find_all_string_submatch_n",
                 {S("[^aouiye]([aouiye])([^aouiye])?"), S("somestri"), I(-1)}),
            R"([["som","o","m"],["ri","i",""]])");
  EXPECT_EQ(Eval("regex.find_all_string_submatch_n",
                 {S("[^aouiye]([aouiye])([^aouiye])?"), S("somestri"), I(1)}),
            R"([["som","o","m"]])");
  std::string long_input(70, 'a');
  EXPECT_EQ(Eval("regex.find_all_string_submatch_n",
                 {S("^.*$"), S(long_input), I(-1)}),
            "[[\"" + long_input + "\"]]");
}

TEST(RegexTest, Split) {
  EXPECT_EQ(Eval("regex.split", {S(R"(^[a-z]+\[[0-9]+\]$)"), S("")}),
            R"([""])");
  EXPECT_EQ(Eval("regex.split", {S("^[a-z]+"), S("foobar baz")}),
            R"([""," baz"])");
  EXPECT_EQ(Eval("regex.split", {S("[a-z]+$"), S("foobar baz")}),
            R"(["foobar ",""])");
  EXPECT_EQ(Eval("regex.split", {S("^[a-z]+$"), S("foobar baz")}),
            R"(["foobar baz"])");
  EXPECT_EQ(Eval("regex.split", {S("^[a-z ]+$"), S("foobar baz")}),
            R"(["",""])");
  EXPECT_EQ(Eval("regex.split", {S("a"), S("banana")}), R"(["b","n","n",""])");
  EXPECT_EQ(Eval("regex.split", {S("z+"), S("pizza")}), R"(["pi","a"])");
}

TEST(RegexTest, Replace) {
  EXPECT_EQ(EvalString("regex.replace", {S("-wy-wxxy-"), S("w(x*)y"), S("0")}),
            "-0-0-");
  EXPECT_EQ(EvalString("regex.replace", {S("foo"), S("(foo)"), S("$1$1")}),
            "foofoo");
  EXPECT_EQ(EvalString("regex.replace", {S("foo"), S("(foo)"), S("${1}x $1x")}),
            "foox ");
  EXPECT_EQ(
      EvalString("regex.replace", {S("ab"), S("(?P<first>a)"), S("[$first]$$")}),
      "[a]$b");
  EXPECT_EQ(EvalString("regex.replace", {S("foo"), S("^[a-z]"), S("F")}),
            "Foo");
  EXPECT_EQ(EvalString("regex.replace", {S("foo"), S("^[a-z]$"), S("F")}),
            "foo");
  EXPECT_EQ(EvalString("regex.replace", {S("foo bar"), S("[a-z]"), S("_")}),
            "___ ___");
  EXPECT_EQ(EvalString("regex.replace", {S("foo barx"), S("[a-z]{2}"), S("_")}),
            "_o __");
  EXPECT_EQ(EvalString("regex.replace", {S("baaab"), S("a*"), S("-")}),
            "-b-b-");
  EXPECT_EQ(Error("regex.replace", {S("foo"), S("["), S("$1")}, kBuiltin),
            "regex.replace: error parsing regexp: missing closing ]: `[`");
}

TEST(RegexTest, TemplateMatch) {
  EXPECT_EQ(Eval("regex.template_match",
                 {S("urn:foo:{.*}"), S("urn:foo:bar:baz"), S("{"), S("}")}),
            "true");
  EXPECT_EQ(Eval("regex.template_match",
                 {S("urn:foo:<.*>"), S("urn:foo:bar:baz"), S("<"), S(">")}),
            "true");
  EXPECT_EQ(Eval("regex.template_match",
                 {S("urn:foo.{[a-z]+}"), S("urn:fooxbar"), S("{"), S("}")}),
            "false");
  EXPECT_EQ(Eval("regex.template_match",
                 {S("urn:{[0-9]+}:x"), S("urn:123:x"), S("{"), S("}")}),
            "true");
  EXPECT_EQ(Error("regex.template_match",
                  {S("urn:{.*"), S("urn:x"), S("{"), S("}")}, kBuiltin),
            R"(regex.template_match: unbalanced braces in ""urn:{.*"")");
  EXPECT_EQ(Error("regex.template_match",
                  {S("a"), S("a"), S("{{"), S("}")}, kBuiltin),
            "regex.template_match: start delimiter has to be exactly one "
            "character long but is 2 long");
}

TEST(RegexTest, GlobsMatch) {
  EXPECT_EQ(Eval("regex.globs_match",
                 {S("a.a.[0-9]+z"), S(".b.b2359825792*594823z")}),
            "true");
  EXPECT_EQ(Eval("regex.globs_match", {S("[a-z]+"), S("[0-9]*")}), "false");
  EXPECT_EQ(Eval("regex.globs_match", {S("b.*"), S("bar")}), "true");
  EXPECT_EQ(Eval("regex.globs_match",
                 {S(R"([a-z]+\[[0-9]+\])"), S(R"(foo\[1\])")}),
            "true");
  EXPECT_EQ(Eval("regex.globs_match",
                 {S(R"([a-z]+\[[0-9]+\])"), S(R"(foo["bar"])")}),
            "false");
  EXPECT_EQ(Eval("regex.globs_match", {S("a*"), S("")}), "true");
  EXPECT_EQ(Eval("regex.globs_match", {S("a+"), S("")}), "false");
  std::string huge(20000, 'a');
  EXPECT_EQ(Error("regex.globs_match", {S(huge), S(huge)}, kBuiltin),
            "regex.globs_match: globs too long");
  EXPECT_EQ(Error("regex.globs_match", {S("pqrs]"), S("[a-b]+")}, kBuiltin),
            "regex.globs_match: input:pqrs], pos:5, set-close ']' with no "
            "preceding '[': the input provided is invalid");
  EXPECT_EQ(Error("regex.globs_match", {S("*a"), S("a")}, kBuiltin),
            "regex.globs_match: input:*a, pos:1, flag '*' must be preceded by "
            "a non-flag: the input provided is invalid");
  EXPECT_EQ(Error("regex.globs_match", {S("[ab"), S("a")}, kBuiltin),
            "regex.globs_match: input:[ab, pos:3, found [ without matching ]: "
            "the input provided is invalid");
}

}  // namespace
}  // namespace policyd
