#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using core_testing::Call;
using core_testing::Eval;

TEST(AggregatesTest, Count) {
  EXPECT_EQ(Eval("count", "[1, 2, 3, 4]"), "4");
  EXPECT_EQ(Eval("count", "{\"a\": 1, \"b\": 2}"), "2");
  EXPECT_EQ(Eval("count", "{1, 2, 3}"), "3");
  EXPECT_EQ(Eval("count", "\"abcde\""), "5");
  EXPECT_EQ(Eval("count", "\"\u00e5\u00e4\u00f6\""), "3");
  EXPECT_EQ(Eval("count", "null"),
            "type error: count: operand 1 must be one of {array, object, set, string} but "
            "got null");
}

TEST(AggregatesTest, CountInvalidUtf8AsGoRunes) {
  // Every byte of an invalid sequence counts once; a valid 3-byte sequence
  // counts once.
  std::string bytes = "a\xff\x80\xe2\x82\xac\xe2\x82z";
  EXPECT_EQ(Call("count", {Value::String(bytes)}), "7");
}

TEST(AggregatesTest, SumAndProduct) {
  EXPECT_EQ(Eval("sum", "[1, 2, 3, 4]"), "10");
  EXPECT_EQ(Eval("sum", "{1, 2, 3, 4}"), "10");
  EXPECT_EQ(Eval("sum", "[]"), "0");
  EXPECT_EQ(Eval("sum", "[49649733057, 1]"), "49649733058");
  EXPECT_EQ(Eval("sum", "[9223372036854775807, 1, 1]"), "9223372036854775809");
  EXPECT_EQ(Eval("sum", "[1.5, 2.5]"), "4");
  EXPECT_EQ(Eval("product", "[1, 2, 3, 4]"), "24");
  EXPECT_EQ(Eval("product", "{1, 2, 3, 4}"), "24");
  EXPECT_EQ(Eval("product", "[]"), "1");
  EXPECT_EQ(Eval("sum", "[1, \"a\"]"),
            "type error: sum: operand 1 must be array of numbers but got array containing "
            "string");
  EXPECT_EQ(Eval("product", "{1, \"a\"}"),
            "type error: product: operand 1 must be set of numbers but got set containing "
            "string");
  EXPECT_EQ(Eval("sum", "{\"a\": 1}"),
            "type error: sum: operand 1 must be one of {set, array} but got object");
}

TEST(AggregatesTest, MaxMin) {
  EXPECT_EQ(Eval("max", "[1, 2, 3, 4]"), "4");
  EXPECT_EQ(Eval("max", "{1, 2, 3, 4}"), "4");
  EXPECT_EQ(Eval("max", "[1, \"a\", null]"), "\"a\"");
  EXPECT_EQ(Eval("min", "[3, 2, 1, 4, 6, -7, 10]"), "-7");
  EXPECT_EQ(Eval("min", "{1, 2, 3, 4}"), "1");
  EXPECT_EQ(Eval("max", "[]"), "undefined");
  EXPECT_EQ(Eval("min", "set()"), "undefined");
  EXPECT_EQ(Eval("max", "1"), "type error: max: operand 1 must be one of {set, array} but got number");
}

TEST(AggregatesTest, Sort) {
  EXPECT_EQ(Eval("sort", "[4, 3, 2, 1]"), "[1, 2, 3, 4]");
  EXPECT_EQ(Eval("sort", "{1, 2, 3, 4}"), "[1, 2, 3, 4]");
  EXPECT_EQ(Eval("sort", "[[1], \"b\", null, {}, 1]"), "[null, 1, \"b\", [1], {}]");
  EXPECT_EQ(Eval("sort", "\"a\""), "type error: sort: operand 1 must be one of {set, array} but got string");
}

TEST(AggregatesTest, AllAny) {
  EXPECT_EQ(Eval("all", "[true, true]"), "true");
  EXPECT_EQ(Eval("all", "[true, 1]"), "false");
  EXPECT_EQ(Eval("all", "[]"), "true");
  EXPECT_EQ(Eval("any", "{false, true}"), "true");
  EXPECT_EQ(Eval("any", "[false]"), "false");
  EXPECT_EQ(Eval("any", "set()"), "false");
  EXPECT_EQ(Eval("any", "1"), "type error: any: operand 1 must be one of {array, set} but got number");
}

TEST(AggregatesTest, Member) {
  EXPECT_EQ(Eval("internal.member_2", "1", "{1}"), "true");
  EXPECT_EQ(Eval("internal.member_2", "1", "[2, 1.0]"), "true");
  EXPECT_EQ(Eval("internal.member_2", "1", "{\"foo\": 1}"), "true");
  EXPECT_EQ(Eval("internal.member_2", "\"foo\"", "{\"foo\": 1}"), "false");
  EXPECT_EQ(Eval("internal.member_2", "{1, 2}", "[{1, 2}]"), "true");
  EXPECT_EQ(Eval("internal.member_2", "1", "\"foo\""), "false");
  EXPECT_EQ(Eval("internal.member_2", "\"foo\"", "1"), "false");
}

TEST(AggregatesTest, MemberWithKey) {
  EXPECT_EQ(Eval("internal.member_3", "\"foo\"", "1", "{\"foo\": 1}"), "true");
  EXPECT_EQ(Eval("internal.member_3", "\"foo\"", "2", "{\"foo\": 1}"), "false");
  EXPECT_EQ(Eval("internal.member_3", "1", "\"two\"", "[\"one\", \"two\"]"), "true");
  EXPECT_EQ(Eval("internal.member_3", "1.0", "\"two\"", "[\"one\", \"two\"]"), "true");
  EXPECT_EQ(Eval("internal.member_3", "2", "\"two\"", "[\"one\", \"two\"]"), "false");
  EXPECT_EQ(Eval("internal.member_3", "\"1\"", "\"two\"", "[\"one\", \"two\"]"), "false");
  EXPECT_EQ(Eval("internal.member_3", "1", "1", "{1}"), "true");
  EXPECT_EQ(Eval("internal.member_3", "1", "2", "{1}"), "false");
  EXPECT_EQ(Eval("internal.member_3", "1", "\"foo\"", "1"), "false");
}

}  // namespace
}  // namespace policyd
