#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using core_testing::Eval;

TEST(NumbersTest, Arithmetic) {
  EXPECT_EQ(Eval("plus", "1", "2"), "3");
  EXPECT_EQ(Eval("plus", "1.5", "1"), "2.5");
  EXPECT_EQ(Eval("plus", "9223372036854775807", "1"), "9223372036854775808");
  EXPECT_EQ(Eval("minus", "1", "3"), "-2");
  EXPECT_EQ(Eval("mul", "6", "7"), "42");
  EXPECT_EQ(Eval("div", "10", "4"), "2.5");
  EXPECT_EQ(Eval("div", "10", "5"), "2");
  EXPECT_EQ(Eval("rem", "7", "3"), "1");
  EXPECT_EQ(Eval("rem", "-7", "3"), "-1");
}

TEST(NumbersTest, OperandTypeErrors) {
  EXPECT_EQ(Eval("plus", "\"a\"", "1"),
            "type error: plus: operand 1 must be number but got string");
  EXPECT_EQ(Eval("mul", "1", "null"),
            "type error: mul: operand 2 must be number but got null");
  EXPECT_EQ(Eval("div", "[]", "1"), "type error: div: operand 1 must be number but got array");
  EXPECT_EQ(Eval("abs", "true"), "type error: abs: operand 1 must be number but got boolean");
}

TEST(NumbersTest, DivisionAndRemainderErrors) {
  EXPECT_EQ(Eval("div", "1", "0"), "builtin error: div: divide by zero");
  EXPECT_EQ(Eval("div", "1", "0.0"), "builtin error: div: divide by zero");
  EXPECT_EQ(Eval("rem", "7", "0"), "builtin error: rem: modulo by zero");
  EXPECT_EQ(Eval("rem", "1.1", "1"), "builtin error: rem: modulo on floating-point number");
}

TEST(NumbersTest, MinusIsAlsoSetDifference) {
  EXPECT_EQ(Eval("minus", "{1, 2, 3, 4}", "{1, 3}"), "{2, 4}");
  EXPECT_EQ(Eval("minus", "{1, 2}", "{1, 2}"), "set()");
  EXPECT_EQ(Eval("minus", "{1}", "set()"), "{1}");
  EXPECT_EQ(Eval("minus", "{1}", "1"), "type error: minus: operand 2 must be set but got number");
  EXPECT_EQ(Eval("minus", "1", "{1}"), "type error: minus: operand 2 must be number but got set");
  EXPECT_EQ(Eval("minus", "\"a\"", "1"),
            "type error: minus: operand 1 must be one of {number, set} but got string");
}

TEST(NumbersTest, Rounding) {
  EXPECT_EQ(Eval("abs", "-3"), "3");
  EXPECT_EQ(Eval("abs", "-3.5"), "3.5");
  EXPECT_EQ(Eval("round", "2.5"), "3");
  EXPECT_EQ(Eval("round", "-2.5"), "-3");
  EXPECT_EQ(Eval("round", "2.4"), "2");
  EXPECT_EQ(Eval("ceil", "1.1"), "2");
  EXPECT_EQ(Eval("ceil", "-1.9"), "-1");
  EXPECT_EQ(Eval("floor", "1.9"), "1");
  EXPECT_EQ(Eval("floor", "-1.1"), "-2");
  EXPECT_EQ(Eval("floor", "7"), "7");
}

TEST(NumbersTest, Range) {
  EXPECT_EQ(Eval("numbers.range", "0", "0"), "[0]");
  EXPECT_EQ(Eval("numbers.range", "-2", "3"), "[-2, -1, 0, 1, 2, 3]");
  EXPECT_EQ(Eval("numbers.range", "2", "-3"), "[2, 1, 0, -1, -2, -3]");
  EXPECT_EQ(Eval("numbers.range", "49649733057", "49649733059"),
            "[49649733057, 49649733058, 49649733059]");
  EXPECT_EQ(Eval("numbers.range", "18446744073709551616", "18446744073709551617"),
            "[18446744073709551616, 18446744073709551617]");
  EXPECT_EQ(Eval("numbers.range", "1e1", "11"), "[10, 11]");
  EXPECT_EQ(Eval("numbers.range", "3.14", "4"),
            "type error: numbers.range: operand 1 must be integer number but got "
            "floating-point number");
  EXPECT_EQ(Eval("numbers.range", "3", "3.14"),
            "type error: numbers.range: operand 2 must be integer number but got "
            "floating-point number");
  EXPECT_EQ(Eval("numbers.range", "\"a\"", "3"),
            "type error: numbers.range: operand 1 must be integer but got string");
  EXPECT_EQ(Eval("numbers.range", "0", "100000000000"),
            "builtin error: numbers.range: range longer than 10000000 numbers");
}

TEST(NumbersTest, RangeStep) {
  EXPECT_EQ(Eval("numbers.range_step", "0", "10", "2"), "[0, 2, 4, 6, 8, 10]");
  EXPECT_EQ(Eval("numbers.range_step", "0", "-10", "2"), "[0, -2, -4, -6, -8, -10]");
  EXPECT_EQ(Eval("numbers.range_step", "10", "3", "2"), "[10, 8, 6, 4]");
  EXPECT_EQ(Eval("numbers.range_step", "2", "5", "2"), "[2, 4]");
  EXPECT_EQ(Eval("numbers.range_step", "2", "2", "2"), "[2]");
  EXPECT_EQ(Eval("numbers.range_step", "0", "10", "99999999999999999999"), "[0]");
  EXPECT_EQ(Eval("numbers.range_step", "0", "10", "-2"),
            "builtin error: numbers.range_step: step must be a positive integer");
  EXPECT_EQ(Eval("numbers.range_step", "0", "10", "0"),
            "builtin error: numbers.range_step: step must be a positive integer");
  EXPECT_EQ(Eval("numbers.range_step", "-9223372036854775808", "9223372036854775807",
                "9223372036854775807"),
            "[-9223372036854775808, -1, 9223372036854775806]");
}

TEST(NumbersTest, ToNumber) {
  EXPECT_EQ(Eval("to_number", "\"-42.0\""), "-42.0");
  EXPECT_EQ(Eval("to_number", "\"3\""), "3");
  EXPECT_EQ(Eval("to_number", "false"), "0");
  EXPECT_EQ(Eval("to_number", "true"), "1");
  EXPECT_EQ(Eval("to_number", "null"), "0");
  EXPECT_EQ(Eval("to_number", "100.1"), "100.1");
  EXPECT_EQ(Eval("to_number", "\"+1\""), "1");
  EXPECT_EQ(Eval("to_number", "\".5\""), "0.5");
  EXPECT_EQ(Eval("to_number", "\"0x10p0\""), "16");
  EXPECT_EQ(Eval("to_number", "\"broken\""),
            "builtin error: to_number: strconv.ParseFloat: parsing \"broken\": invalid syntax");
  EXPECT_EQ(Eval("to_number", "\"0x10\""),
            "builtin error: to_number: strconv.ParseFloat: parsing \"0x10\": invalid syntax");
  EXPECT_EQ(Eval("to_number", "\"1e400\""),
            "builtin error: to_number: strconv.ParseFloat: parsing \"1e400\": value out of "
            "range");
  for (const char* s : {"\"nan\"", "\"-NaN\"", "\"inf\"", "\"-Infinity\"", "\"iNf\""}) {
    EXPECT_EQ(Eval("to_number", s),
              "type error: to_number: operand 1 must be valid number string but got string")
        << s;
  }
  EXPECT_EQ(Eval("to_number", "[]"),
            "type error: to_number: operand 1 must be one of {null, boolean, number, string} "
            "but got array");
}

}  // namespace
}  // namespace policyd
