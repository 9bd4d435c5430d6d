#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using core_testing::Eval;

TEST(ArraysTest, Concat) {
  EXPECT_EQ(Eval("array.concat", "[1, 2]", "[3, 4]"), "[1, 2, 3, 4]");
  EXPECT_EQ(Eval("array.concat", "[]", "[3]"), "[3]");
  EXPECT_EQ(Eval("array.concat", "[1]", "[]"), "[1]");
  EXPECT_EQ(Eval("array.concat", "{\"a\": 1}", "[3, 4]"),
            "type error: array.concat: operand 1 must be array but got object");
  EXPECT_EQ(Eval("array.concat", "[1, 2]", "{1}"),
            "type error: array.concat: operand 2 must be array but got set");
}

TEST(ArraysTest, SliceClampsIndices) {
  EXPECT_EQ(Eval("array.slice", "[1, 2, 3, 4, 5]", "1", "3"), "[2, 3]");
  EXPECT_EQ(Eval("array.slice", "[1, 2, 3]", "0", "0"), "[]");
  EXPECT_EQ(Eval("array.slice", "[1, 2, 3, 4, 5]", "-4", "-1"), "[]");
  EXPECT_EQ(Eval("array.slice", "[1, 2, 3, 4, 5]", "4", "1"), "[]");
  EXPECT_EQ(Eval("array.slice", "[1, 2, 3, 4, 5]", "-1", "2"), "[1, 2]");
  EXPECT_EQ(Eval("array.slice", "[1, 2, 3, 4, 5]", "3", "6"), "[4, 5]");
  EXPECT_EQ(Eval("array.slice", "[1, 2, 3]", "1000", "2000"), "[]");
  EXPECT_EQ(Eval("array.slice", "[1, 2, 3]", "0", "3"), "[1, 2, 3]");
  EXPECT_EQ(Eval("array.slice", "[1, 2, 3]", "0.5", "3"),
            "type error: array.slice: operand 2 must be integer number but got "
            "floating-point number");
  EXPECT_EQ(Eval("array.slice", "[1, 2, 3]", "0", "\"3\""),
            "type error: array.slice: operand 3 must be number but got string");
}

TEST(ArraysTest, Reverse) {
  EXPECT_EQ(Eval("array.reverse", "[1, 2, 3]"), "[3, 2, 1]");
  EXPECT_EQ(Eval("array.reverse", "[]"), "[]");
  EXPECT_EQ(Eval("array.reverse", "{\"bar\": 1}"),
            "type error: array.reverse: operand 1 must be array but got object");
}

TEST(ArraysTest, FlattenOneLevel) {
  EXPECT_EQ(Eval("array.flatten", "[]"), "[]");
  EXPECT_EQ(Eval("array.flatten", "[[1, 2], [3, 4], [5]]"), "[1, 2, 3, 4, 5]");
  EXPECT_EQ(Eval("array.flatten", "[[[1], [2, 3, []]], [[4, 5]]]"), "[[1], [2, 3, []], [4, 5]]");
  EXPECT_EQ(Eval("array.flatten", "[[1, 2], \"s\", [3, {\"a\": \"b\"}], 4.5, [6, [7, 8]]]"),
            "[1, 2, \"s\", 3, {\"a\": \"b\"}, 4.5, 6, [7, 8]]");
  EXPECT_EQ(Eval("array.flatten", "42"),
            "type error: array.flatten: operand 1 must be array but got number");
}

}  // namespace
}  // namespace policyd
