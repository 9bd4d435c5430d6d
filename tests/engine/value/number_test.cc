#include "engine/value/number.h"

#include <cmath>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace policyd {
namespace {

Value Num(std::string_view text) {
  std::optional<Value> v = Value::NumberFromText(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v ? *v : Value();
}

TEST(NumberTest, LiteralsParse) {
  EXPECT_EQ(Num("0"), Value::Int(0));
  EXPECT_EQ(Num("-0"), Value::Int(0));
  EXPECT_EQ(Num("1.0"), Value::Int(1));
  EXPECT_EQ(Num("1e2"), Value::Int(100));
  EXPECT_EQ(Num("1E+2"), Value::Int(100));
  EXPECT_EQ(Num("25e-1"), Num("2.5"));
  EXPECT_EQ(Num("9223372036854775807"), Value::Int(INT64_MAX));
  EXPECT_EQ(Num("-9223372036854775808"), Value::Int(INT64_MIN));
  for (const char* bad : {"", "-", "01", "1.", ".1", "1e", "+1", "1x", "0x10", " 1", "--1"}) {
    EXPECT_FALSE(Value::NumberFromText(bad).has_value()) << bad;
  }
}

TEST(NumberTest, DecimalResultsAreTheNumberTheyPrint) {
  // OPA's numbers are their text: a rounded result that prints as 0.3 is 0.3.
  Value sum = number::Add(Num("0.1"), Num("0.2"));
  EXPECT_EQ(sum.ToJson(), "0.3");
  EXPECT_EQ(sum, Num("0.3"));
  EXPECT_EQ(ValueHash()(sum), ValueHash()(Num("0.3")));
  absl::StatusOr<Value> q = number::Divide(Value::Int(7), Value::Int(10));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, Num("0.7"));
  EXPECT_EQ(number::Multiply(Num("3"), Num("0.1")), Num("0.3"));
  // The rounding itself stays Go's: 0.3 - 0.1 is not 0.2.
  EXPECT_EQ(number::Subtract(Num("0.3"), Num("0.1")).ToJson(), "0.20000000000000000002");
}

TEST(NumberTest, BigIntegersAreExact) {
  Value a = Num("28857836529306024611913");
  Value b = Num("28857836529306024611912");
  EXPECT_NE(a, b);
  EXPECT_LT(b, a);
  EXPECT_NE(a.Hash(), b.Hash());
  EXPECT_TRUE(a.IsInteger());
  int64_t i;
  EXPECT_FALSE(a.AsInt64(&i));
  EXPECT_EQ(number::Subtract(a, b), Value::Int(1));
  EXPECT_EQ(number::Add(Value::Int(INT64_MAX), Value::Int(1)).NumberText(), "9223372036854775808");
  EXPECT_EQ(number::Multiply(a, Value::Int(10)).NumberText(), "288578365293060246119130");
  EXPECT_EQ(number::Negate(Value::Int(INT64_MIN)).NumberText(), "9223372036854775808");
}

TEST(NumberTest, HugeAndTinyExponents) {
  Value big = Num("1e400");
  EXPECT_LT(Num("9e399"), big);
  EXPECT_LT(big, Num("1.0000000000000000000001e400"));
  EXPECT_TRUE(std::isinf(big.AsDouble()));
  EXPECT_EQ(big.NumberText(), "1e400");
  EXPECT_LT(Value::Int(0), Num("1e-400"));
  EXPECT_LT(Num("1e-400"), Num("1e-399"));
}

TEST(NumberTest, IntegerChecks) {
  int64_t i = 0;
  EXPECT_TRUE(Num("3.000").AsInt64(&i));
  EXPECT_EQ(i, 3);
  EXPECT_TRUE(Num("3.000").IsInteger());
  EXPECT_FALSE(Num("3.5").IsInteger());
  EXPECT_FALSE(Num("3.5").AsInt64(&i));
  EXPECT_DOUBLE_EQ(Num("3.5").AsDouble(), 3.5);
  EXPECT_DOUBLE_EQ(Num("0.1").AsDouble(), 0.1);
}

TEST(NumberTest, DoubleConstructor) {
  EXPECT_EQ(*Value::Double(2.0), Value::Int(2));
  EXPECT_EQ(*Value::Double(0.5), Num("0.5"));
  EXPECT_FALSE(Value::Double(NAN).has_value());
  EXPECT_FALSE(Value::Double(INFINITY).has_value());
}

TEST(NumberTest, ParsedDecimalsAreSafeToShareAcrossThreads) {
  // The exact value of a parsed literal is computed on first use; threads
  // may race to that first use.
  for (int round = 0; round < 20; ++round) {
    Value shared = Num("12345678901234567890.125");
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        if (Value::Int(1) < shared && !shared.IsInteger() &&
            shared.Hash() == Num("12345678901234567890.1250").Hash()) {
          ok.fetch_add(1);
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 4);
  }
}

TEST(NumberTest, ArithmeticText) {
  EXPECT_EQ(number::Add(Num("0.5"), Num("0.25")).NumberText(), "0.75");
  EXPECT_EQ(number::Add(Num("1.5"), Num("1.5")).NumberText(), "3");
  EXPECT_EQ(number::Multiply(Num("2.5"), Value::Int(2)), Value::Int(5));
  EXPECT_EQ(number::Divide(Value::Int(5), Value::Int(2))->NumberText(), "2.5");
  EXPECT_EQ(*number::Divide(Value::Int(6), Value::Int(3)), Value::Int(2));
}

TEST(NumberTest, DecimalResultsPrintAsOpaDoes) {
  // Non-integer arithmetic runs on 64-bit big.Floats and prints the
  // shortest text that reads back as the same value.
  EXPECT_EQ(number::Add(Num("0.1"), Num("0.2")).NumberText(), "0.3");
  EXPECT_EQ(number::Divide(Value::Int(1), Value::Int(3))->NumberText(), "0.33333333333333333334");
  EXPECT_EQ(number::Divide(Value::Int(2469135), Value::Int(2))->NumberText(), "1.2345675e+06");
  EXPECT_EQ(number::Multiply(Num("1.1"), Value::Int(1024)).NumberText(), "1126.4");
  EXPECT_EQ(number::Abs(Num("-1.50")).NumberText(), "1.5");
  EXPECT_EQ(number::Negate(Num("1.50")).NumberText(), "-1.50");
  // Integral results of decimal arithmetic are plain integers.
  Value three = number::Multiply(Num("1.5"), Value::Int(2));
  EXPECT_EQ(three.rep(), nullptr);
  EXPECT_EQ(three, Value::Int(3));
  // As in OPA, a zero dividend divides as a float and keeps the sign.
  Value minus_zero = *number::Divide(Value::Int(0), Value::Int(-5));
  EXPECT_EQ(minus_zero.NumberText(), "-0");
  EXPECT_EQ(minus_zero, Value::Int(0));
  EXPECT_EQ(minus_zero.Hash(), Value::Int(0).Hash());
  EXPECT_EQ(number::Divide(Value::Int(0), Value::Int(5))->NumberText(), "0");
  // Integers that divide exactly stay exact, however large.
  EXPECT_EQ(number::Divide(Num("1e109"), Num("1e100"))->NumberText(), "1000000000");
  EXPECT_EQ(number::Multiply(Num("1e6"), Value::Int(2)).NumberText(), "2000000");
}

TEST(NumberTest, DoubleTextIsGoShortestG) {
  EXPECT_EQ(Value::Double(1234567.5)->NumberText(), "1.2345675e+06");
  EXPECT_EQ(Value::Double(0.1)->NumberText(), "0.1");
  EXPECT_EQ(Value::Double(-2.5e-7)->NumberText(), "-2.5e-07");
  EXPECT_EQ(Value::Double(1e22)->NumberText(), "1e+22");
  EXPECT_EQ(*Value::Double(1e22), Num("10000000000000000000000"));
}

TEST(NumberTest, Errors) {
  EXPECT_EQ(number::Divide(Value::Int(1), Value::Int(0)).status().message(), "divide by zero");
  EXPECT_EQ(number::Divide(Value::Int(1), Num("0.0")).status().message(), "divide by zero");
  EXPECT_EQ(number::Remainder(Value::Int(7), Value::Int(0)).status().message(), "modulo by zero");
  EXPECT_EQ(number::Remainder(Num("1.1"), Value::Int(1)).status().message(),
            "modulo on floating-point number");
  EXPECT_EQ(number::Remainder(Value::Int(1), Num("1.5")).status().message(),
            "modulo on floating-point number");
}

TEST(NumberTest, RemainderTakesSignOfDividend) {
  EXPECT_EQ(*number::Remainder(Value::Int(7), Value::Int(4)), Value::Int(3));
  EXPECT_EQ(*number::Remainder(Value::Int(-7), Value::Int(4)), Value::Int(-3));
  EXPECT_EQ(*number::Remainder(Value::Int(7), Value::Int(-4)), Value::Int(3));
  EXPECT_EQ(*number::Remainder(Value::Int(INT64_MIN), Value::Int(-1)), Value::Int(0));
  EXPECT_EQ(*number::Remainder(Num("7.0"), Value::Int(4)), Value::Int(3));
  EXPECT_EQ(*number::Remainder(Num("100000000000000000000001"), Value::Int(10)), Value::Int(1));
}

TEST(NumberTest, Rounding) {
  EXPECT_EQ(number::Round(Num("2.5")), Value::Int(3));
  EXPECT_EQ(number::Round(Num("-2.5")), Value::Int(-3));
  EXPECT_EQ(number::Round(Num("2.4")), Value::Int(2));
  EXPECT_EQ(number::Ceil(Num("1.01")), Value::Int(2));
  EXPECT_EQ(number::Ceil(Num("-1.99999")), Value::Int(-1));
  EXPECT_EQ(number::Floor(Num("-1.001")), Value::Int(-2));
  EXPECT_EQ(number::Floor(Num("99.99999")), Value::Int(99));
  EXPECT_EQ(number::Floor(Value::Int(7)), Value::Int(7));
  EXPECT_EQ(number::Abs(Value::Int(-10)), Value::Int(10));
  EXPECT_EQ(number::Abs(Num("-1.5")), Num("1.5"));
  EXPECT_EQ(number::Negate(Num("1.5")), Num("-1.5"));
}

}  // namespace
}  // namespace policyd
