#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using core_testing::Eval;

TEST(TypesTest, IsKind) {
  EXPECT_EQ(Eval("is_number", "-42.0"), "true");
  EXPECT_EQ(Eval("is_number", "null"), "false");
  EXPECT_EQ(Eval("is_string", "\"x\""), "true");
  EXPECT_EQ(Eval("is_string", "false"), "false");
  EXPECT_EQ(Eval("is_boolean", "false"), "true");
  EXPECT_EQ(Eval("is_boolean", "\"true\""), "false");
  EXPECT_EQ(Eval("is_array", "[1]"), "true");
  EXPECT_EQ(Eval("is_array", "{1}"), "false");
  EXPECT_EQ(Eval("is_set", "set()"), "true");
  EXPECT_EQ(Eval("is_set", "[]"), "false");
  EXPECT_EQ(Eval("is_object", "{}"), "true");
  EXPECT_EQ(Eval("is_object", "\"foo\""), "false");
  EXPECT_EQ(Eval("is_null", "null"), "true");
  EXPECT_EQ(Eval("is_null", "true"), "false");
}

TEST(TypesTest, TypeName) {
  EXPECT_EQ(Eval("type_name", "null"), "\"null\"");
  EXPECT_EQ(Eval("type_name", "true"), "\"boolean\"");
  EXPECT_EQ(Eval("type_name", "100"), "\"number\"");
  EXPECT_EQ(Eval("type_name", "\"Hello\""), "\"string\"");
  EXPECT_EQ(Eval("type_name", "[1, 2]"), "\"array\"");
  EXPECT_EQ(Eval("type_name", "{1, 2}"), "\"set\"");
  EXPECT_EQ(Eval("type_name", "{\"foo\": 1}"), "\"object\"");
}

TEST(TypesTest, DeprecatedCasts) {
  EXPECT_EQ(Eval("cast_array", "{2, 1}"), "[1, 2]");
  EXPECT_EQ(Eval("cast_array", "[2, 1]"), "[2, 1]");
  EXPECT_EQ(Eval("cast_set", "[2, 1, 2]"), "{1, 2}");
  EXPECT_EQ(Eval("cast_string", "\"a\""), "\"a\"");
  EXPECT_EQ(Eval("cast_boolean", "true"), "true");
  EXPECT_EQ(Eval("cast_null", "null"), "null");
  EXPECT_EQ(Eval("cast_object", "{\"a\": 1}"), "{\"a\": 1}");
  EXPECT_EQ(Eval("cast_array", "1"),
            "type error: cast_array: operand 1 must be one of {array, set} but got number");
  EXPECT_EQ(Eval("cast_string", "1"),
            "type error: cast_string: operand 1 must be string but got number");
  EXPECT_EQ(Eval("cast_null", "false"),
            "type error: cast_null: operand 1 must be null but got boolean");
}

}  // namespace
}  // namespace policyd
