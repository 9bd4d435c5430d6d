#include <string>

#include "engine/value/value.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

Value Num(std::string_view text) { return *Value::NumberFromText(text); }
Value Str(std::string_view s) { return Value::String(s); }

TEST(FormatTest, JsonIsCompactWithSortedKeys) {
  Value v = Value::Object({{Str("b"), Value::Array({Value::Int(1), Num("2.5")})},
                           {Str("a"), Value::Null()},
                           {Str("c"), Value::Set({Str("y"), Str("x")})}});
  EXPECT_EQ(v.ToJson(), R"({"a":null,"b":[1,2.5],"c":["x","y"]})");
}

TEST(FormatTest, JsonEscapesLikeGo) {
  EXPECT_EQ(Str("<a href=\"x\">&</a>").ToJson(), R"("\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e")");
  EXPECT_EQ(Str("\n\r\t\b\f\x01\x1f\x7f").ToJson(), "\"\\n\\r\\t\\b\\f\\u0001\\u001f\x7f\"");
  EXPECT_EQ(Str("\xe2\x80\xa8\xe2\x80\xa9").ToJson(), R"("\u2028\u2029")");
  EXPECT_EQ(Str("caf\xc3\xa9").ToJson(), "\"caf\xc3\xa9\"");
  EXPECT_EQ(Str("bad\xff").ToJson(), R"("bad\ufffd")");
}

TEST(FormatTest, JsonNonStringKeysBecomeTheirText) {
  Value v = Value::Object({{Value::Int(10), Str("ten")},
                           {Value::Int(2), Str("two")},
                           {Value::Array({Value::Int(1)}), Str("arr")},
                           {Str("a"), Str("s")}});
  EXPECT_EQ(v.ToJson(), R"({"10":"ten","2":"two","[1]":"arr","a":"s"})");
}

TEST(FormatTest, Rego) {
  EXPECT_EQ(Value::Set({}).ToRego(), "set()");
  EXPECT_EQ(Value::Set({Value::Int(2), Value::Int(1)}).ToRego(), "{1, 2}");
  EXPECT_EQ(Value::Set({Str("url"), Str("method")}).ToRego(), R"({"method", "url"})");
  EXPECT_EQ(Value::Object({}).ToRego(), "{}");
  EXPECT_EQ(Value::Object({{Str("a"), Value::Int(1)}, {Value::Int(2), Value::Bool(true)}}).ToRego(),
            R"({2: true, "a": 1})");
  EXPECT_EQ(Value::Array({Value::Null(), Num("1.50"), Str("x")}).ToRego(), R"([null, 1.50, "x"])");
  EXPECT_EQ(Str("a\"b\\c\n\x01<").ToRego(), R"("a\"b\\c\n\x01<")");
  EXPECT_EQ(Str("caf\xc3\xa9").ToRego(), "\"caf\xc3\xa9\"");
}

}  // namespace
}  // namespace policyd
