#include "engine/builtins/go/json.h"

#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::I;
using ::policyd::testing::J;
using ::policyd::testing::S;

TEST(GoJsonTest, EscapesLikeGo) {
  std::string out;
  AppendGoJsonString("a\"b\\c\n\t\b\f\x01<>&\xe2\x80\xa8\xff\xc3\xa9", &out);
  EXPECT_EQ(out,
            R"("a\"b\\c\n\t\b\f\u0001\u003c\u003e\u0026\u2028\ufffdé")");
}

TEST(GoJsonTest, SetsAndNonStringKeys) {
  Value v = Value::Object({{I(10), S("a")},
                           {I(2), S("b")},
                           {S("1"), Value::Set({S("y"), S("x")})}});
  // Keys sort by their text: "1" < "10" < "2".
  EXPECT_EQ(GoJsonMarshal(v), R"({"1":["x","y"],"10":"a","2":"b"})");
  EXPECT_EQ(GoJsonKey(J("[1,\"a\"]")), R"([1,"a"])");
  EXPECT_EQ(GoJsonKey(S("k")), "k");
}

TEST(GoJsonTest, Indent) {
  EXPECT_EQ(GoJsonMarshalIndent(J(R"({"a": [1, {}], "b": []})"), "P", "  "),
            "{\nP  \"a\": [\nP    1,\nP    {}\nP  ],\nP  \"b\": []\nP}");
  EXPECT_EQ(GoJsonMarshalIndent(J("[[[]]]"), "", "\t"), "[\n\t[\n\t\t[]\n\t]\n]");
  EXPECT_EQ(GoJsonMarshalIndent(J("3"), "x", "\t"), "3");
}

}  // namespace
}  // namespace policyd
