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


TEST(JsonBuiltinsTest, Marshal) {
  EXPECT_EQ(Eval("json.marshal",
                 {Value::Array({Value::Object(
                     {{S("foo"), Value::Set({I(3), I(1), I(2)})}})})}),
            R"("[{\"foo\":[1,2,3]}]")");
  EXPECT_EQ(EvalString("json.marshal", {S("<a&b>")}), R"("\u003ca\u0026b\u003e")");
  EXPECT_EQ(Eval("json.marshal", {J("1.50")}), R"("1.50")");
}

TEST(JsonBuiltinsTest, MarshalWithOptions) {
  Value arr = J("[1, 2]");
  EXPECT_EQ(Eval("json.marshal_with_options", {arr, J("{}")}), R"("[1,2]")");
  EXPECT_EQ(Eval("json.marshal_with_options", {arr, J(R"({"pretty": true})")}),
            R"("[\n\t1,\n\t2\n]")");
  EXPECT_EQ(Eval("json.marshal_with_options", {arr, J(R"({"indent": "  "})")}),
            R"("[\n  1,\n  2\n]")");
  EXPECT_EQ(Eval("json.marshal_with_options",
                 {arr, J(R"({"pretty": false, "prefix": "x", "indent": "y"})")}),
            R"("[1,2]")");
  EXPECT_EQ(EvalString("json.marshal_with_options",
                {J(R"({"foo": "bar", "bar": "baz"})"), J(R"({"prefix": "> "})")}),
            "> {\n> \t\"bar\": \"baz\",\n> \t\"foo\": \"bar\"\n> }");
  EXPECT_EQ(Eval("json.marshal_with_options",
                 {J("[]"), J(R"({"indent": "    ", "prefix": "---"})")}),
            R"("---[]")");
  EXPECT_EQ(Error("json.marshal_with_options",
                  {arr, J(R"({"indent": " ", "colour": true})")}, kType),
            "json.marshal_with_options: operand 2 object contained unknown "
            "key \"colour\"");
  EXPECT_EQ(Error("json.marshal_with_options", {arr, J(R"({"pretty": 1})")},
                  kType),
            "json.marshal_with_options: operand 2 key \"pretty\" failed cast "
            "to bool");
  EXPECT_EQ(Error("json.marshal_with_options", {arr, J("[]")}, kType),
            "json.marshal_with_options: operand 2 must be object but got "
            "array");
}

TEST(JsonBuiltinsTest, UnmarshalAndIsValid) {
  EXPECT_EQ(Eval("json.unmarshal", {S(R"([{"foo":[1,2,3]}])")}),
            R"([{"foo":[1,2,3]}])");
  EXPECT_EQ(Error("json.unmarshal", {I(1)}, kType),
            "json.unmarshal: operand 1 must be string but got number");
  EXPECT_NE(Error("json.unmarshal", {S("{")}, kBuiltin).find("json.unmarshal: "),
            std::string::npos);
  EXPECT_EQ(Eval("json.is_valid", {S(R"({"json": "ok"})")}), "true");
  EXPECT_EQ(Eval("json.is_valid", {S("{")}), "false");
  EXPECT_EQ(Eval("json.is_valid", {S("plainstring")}), "false");
  EXPECT_EQ(Eval("json.is_valid", {I(1)}), "false");
}

TEST(Base64BuiltinsTest, EncodeDecode) {
  EXPECT_EQ(Eval("base64.encode", {S("hello")}), R"("aGVsbG8=")");
  EXPECT_EQ(Eval("base64.encode", {S("subjects?_d")}), R"("c3ViamVjdHM/X2Q=")");
  EXPECT_EQ(Eval("base64.decode", {S("c3ViamVjdHM/X2Q=")}), R"("subjects?_d")");
  EXPECT_EQ(Error("base64.decode", {S("aGVsbG8")}, kBuiltin),
            "base64.decode: illegal base64 data at input byte 4");
  EXPECT_EQ(Error("base64.encode", {I(1)}, kType),
            "base64.encode: operand 1 must be string but got number");
  EXPECT_EQ(Eval("base64.is_valid", {S("aGVsbG8=")}), "true");
  EXPECT_EQ(Eval("base64.is_valid", {S("{'not':'base64'}")}), "false");
  EXPECT_EQ(Eval("base64.is_valid", {I(1)}), "false");
}

TEST(Base64BuiltinsTest, Url) {
  EXPECT_EQ(Eval("base64url.encode", {S("subjects?_d")}), R"("c3ViamVjdHM_X2Q=")");
  EXPECT_EQ(Eval("base64url.encode_no_pad", {S("hello")}), R"("aGVsbG8")");
  EXPECT_EQ(Eval("base64url.decode", {S("aGVsbG8=")}), R"("hello")");
  EXPECT_EQ(Eval("base64url.decode", {S("aGVsbG8")}), R"("hello")");
  EXPECT_EQ(Error("base64url.decode", {S("aGVsb")}, kBuiltin),
            "base64url.decode: illegal base64url string: aGVsb");
}

TEST(HexBuiltinsTest, EncodeDecode) {
  EXPECT_EQ(Eval("hex.encode", {S("lorem ipsum")}), R"("6c6f72656d20697073756d")");
  EXPECT_EQ(Eval("hex.decode", {S("6c6f72656D20697073756d")}), R"("lorem ipsum")");
  EXPECT_EQ(Error("hex.decode", {S("fghijkl")}, kBuiltin),
            "hex.decode: encoding/hex: invalid byte: U+0067 'g'");
  EXPECT_EQ(Error("hex.decode", {S("abc")}, kBuiltin),
            "hex.decode: encoding/hex: odd length hex string");
  EXPECT_EQ(Error("hex.decode", {S("ab\x01")}, kBuiltin),
            "hex.decode: encoding/hex: invalid byte: U+0001");
  EXPECT_EQ(Error("hex.encode", {J("[]")}, kType),
            "hex.encode: operand 1 must be string but got array");
}

}  // namespace
}  // namespace policyd
