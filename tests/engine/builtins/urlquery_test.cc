#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::EvalString;
using ::policyd::testing::kBuiltin;
using ::policyd::testing::I;
using ::policyd::testing::J;
using ::policyd::testing::kType;
using ::policyd::testing::S;


TEST(UrlQueryTest, EncodeDecode) {
  EXPECT_EQ(Eval("urlquery.encode", {S("a=b+1")}), R"("a%3Db%2B1")");
  EXPECT_EQ(Eval("urlquery.encode", {S("x y/~._-é")}), R"("x+y%2F~._-%C3%A9")");
  EXPECT_EQ(Eval("urlquery.encode", {S("")}), R"("")");
  EXPECT_EQ(Eval("urlquery.decode", {S("a%3Db%2B1+c")}), R"("a=b+1 c")");
  EXPECT_EQ(Error("urlquery.decode", {S("a%zzb")}, kBuiltin),
            "urlquery.decode: invalid URL escape \"%zz\"");
  EXPECT_EQ(Error("urlquery.decode", {S("a%4")}, kBuiltin),
            "urlquery.decode: invalid URL escape \"%4\"");
  EXPECT_EQ(Error("urlquery.encode", {I(1)}, kType),
            "urlquery.encode: operand 1 must be string but got number");
}

TEST(UrlQueryTest, EncodeObject) {
  EXPECT_EQ(Eval("urlquery.encode_object", {J("{}")}), R"("")");
  EXPECT_EQ(EvalString("urlquery.encode_object", {J(R"({"c": "d", "a": "b"})")}),
            "a=b&c=d");
  EXPECT_EQ(EvalString("urlquery.encode_object", {J(R"({"a": ["b+1", "c+2"]})")}),
            "a=b%2B1&a=c%2B2");
  EXPECT_EQ(Eval("urlquery.encode_object",
                 {Value::Object({{S("a"), Value::Set({S("b+1")})}})}),
            R"("a=b%2B1")");
  EXPECT_EQ(Error("urlquery.encode_object", {J(R"({"a": 1})")}, kType),
            "urlquery.encode_object: operand 1 values must be string, "
            "array[string], or set[string]");
  EXPECT_EQ(Error("urlquery.encode_object", {J(R"({"a": [1]})")}, kType),
            "urlquery.encode_object: operand 1 values must be string, "
            "array[string], or set[string]");
}

TEST(UrlQueryTest, DecodeObject) {
  EXPECT_EQ(Eval("urlquery.decode_object", {S("a=value_a1&b=value_b&a=value_a2")}),
            R"({"a":["value_a1","value_a2"],"b":["value_b"]})");
  EXPECT_EQ(Eval("urlquery.decode_object", {S("a=value_a1&b&&c=%41+")}),
            R"({"a":["value_a1"],"b":[""],"c":["A "]})");
  EXPECT_EQ(Eval("urlquery.decode_object", {S("")}), "{}");
  EXPECT_EQ(Error("urlquery.decode_object", {S("a=1;b=2")}, kBuiltin),
            "urlquery.decode_object: invalid semicolon separator in query");
  EXPECT_EQ(Error("urlquery.decode_object", {S("a=%x")}, kBuiltin),
            "urlquery.decode_object: invalid URL escape \"%x\"");
}

}  // namespace
}  // namespace policyd
