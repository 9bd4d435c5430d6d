#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using core_testing::Eval;

TEST(SetsTest, AndOr) {
  EXPECT_EQ(Eval("and", "{1, 2, 3}", "{2, 3, 4}"), "{2, 3}");
  EXPECT_EQ(Eval("and", "{1}", "{2}"), "set()");
  EXPECT_EQ(Eval("and", "set()", "{2}"), "set()");
  EXPECT_EQ(Eval("or", "{1, 3}", "{2, 3}"), "{1, 2, 3}");
  EXPECT_EQ(Eval("or", "set()", "{\"a\"}"), "{\"a\"}");
  EXPECT_EQ(Eval("and", "[1]", "{1}"), "type error: and: operand 1 must be set but got array");
  EXPECT_EQ(Eval("or", "{1}", "1"), "type error: or: operand 2 must be set but got number");
}

TEST(SetsTest, SetDiff) {
  EXPECT_EQ(Eval("set_diff", "{1, 2, 3}", "{2}"), "{1, 3}");
  EXPECT_EQ(Eval("set_diff", "{1}", "[1]"),
            "type error: set_diff: operand 2 must be set but got array");
}

TEST(SetsTest, Intersection) {
  EXPECT_EQ(Eval("intersection", "set()"), "set()");
  EXPECT_EQ(Eval("intersection", "{set(), {1, 2}}"), "set()");
  EXPECT_EQ(Eval("intersection", "{{1, 2, 3}, {2}}"), "{2}");
  EXPECT_EQ(Eval("intersection", "{{\"a\", \"b\", \"c\", \"d\"}, {\"b\", \"c\", \"d\"}, {\"d\"}}"),
            "{\"d\"}");
  EXPECT_EQ(Eval("intersection", "[{1}]"),
            "type error: intersection: operand 1 must be set but got array");
  EXPECT_EQ(Eval("intersection", "{{1}, 1}"),
            "type error: intersection: operand 1 must be set but got number");
}

TEST(SetsTest, Union) {
  EXPECT_EQ(Eval("union", "set()"), "set()");
  EXPECT_EQ(Eval("union", "{set(), {1, 2}}"), "{1, 2}");
  EXPECT_EQ(Eval("union", "{{1, 2, 3}, {2, 3, 4}, {4, 5, 6}}"), "{1, 2, 3, 4, 5, 6}");
  EXPECT_EQ(Eval("union", "{{1}, \"a\"}"),
            "type error: union: operand 1 must be set but got string");
}

}  // namespace
}  // namespace policyd
