#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using core_testing::Eval;

TEST(BitsTest, Bitwise) {
  EXPECT_EQ(Eval("bits.and", "7", "9"), "1");
  EXPECT_EQ(Eval("bits.and", "50", "0"), "0");
  EXPECT_EQ(Eval("bits.or", "5", "3"), "7");
  EXPECT_EQ(Eval("bits.xor", "5", "3"), "6");
  EXPECT_EQ(Eval("bits.and", "-1", "12"), "12");
  EXPECT_EQ(Eval("bits.negate", "42"), "-43");
  EXPECT_EQ(Eval("bits.negate", "-1"), "0");
}

TEST(BitsTest, BigIntegersUseTwosComplement) {
  EXPECT_EQ(Eval("bits.or", "18446744073709551616", "1"), "18446744073709551617");
  EXPECT_EQ(Eval("bits.and", "18446744073709551617", "-1"), "18446744073709551617");
  EXPECT_EQ(Eval("bits.xor", "1e20", "1e20"), "0");
  EXPECT_EQ(Eval("bits.negate", "18446744073709551616"), "-18446744073709551617");
  EXPECT_EQ(Eval("bits.and", "1.0e19", "255"), "0");
}

TEST(BitsTest, Shifts) {
  EXPECT_EQ(Eval("bits.lsh", "1", "3"), "8");
  EXPECT_EQ(Eval("bits.lsh", "2147483647", "1"), "4294967294");
  EXPECT_EQ(Eval("bits.lsh", "9223372036854775807", "1"), "18446744073709551614");
  EXPECT_EQ(Eval("bits.lsh", "-1", "64"), "-18446744073709551616");
  EXPECT_EQ(Eval("bits.lsh", "0", "100000000000"), "0");
  EXPECT_EQ(Eval("bits.rsh", "8", "3"), "1");
  EXPECT_EQ(Eval("bits.rsh", "-8", "1"), "-4");
  EXPECT_EQ(Eval("bits.rsh", "-1", "100"), "-1");
  EXPECT_EQ(Eval("bits.rsh", "5", "64"), "0");
  EXPECT_EQ(Eval("bits.rsh", "18446744073709551616", "63"), "2");
  EXPECT_EQ(Eval("bits.lsh", "1", "100000000000"),
            "builtin error: bits.lsh: shift count too large");
}

TEST(BitsTest, Errors) {
  EXPECT_EQ(Eval("bits.and", "7.2", "42"),
            "type error: bits.and: operand 1 must be integer number but got floating-point "
            "number");
  EXPECT_EQ(Eval("bits.negate", "7.2"),
            "type error: bits.negate: operand 1 must be integer number but got "
            "floating-point number");
  EXPECT_EQ(Eval("bits.xor", "1", "\"a\""),
            "type error: bits.xor: operand 2 must be integer but got string");
  EXPECT_EQ(Eval("bits.lsh", "7", "-1"),
            "type error: bits.lsh: operand 2 must be an unsigned integer number but got a "
            "negative integer");
  EXPECT_EQ(Eval("bits.rsh", "7", "-1"),
            "type error: bits.rsh: operand 2 must be an unsigned integer number but got a "
            "negative integer");
}

}  // namespace
}  // namespace policyd
