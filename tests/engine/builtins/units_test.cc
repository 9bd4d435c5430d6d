#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::S;
using ::policyd::testing::kBuiltin;

std::string P(std::string_view s) { return Eval("units.parse", {S(s)}); }
std::string B(std::string_view s) { return Eval("units.parse_bytes", {S(s)}); }

TEST(UnitsTest, ParseDecimalAndBinary) {
  EXPECT_EQ(P("0"), "0");
  EXPECT_EQ(P(".0"), "0");
  EXPECT_EQ(P("12345"), "12345");
  EXPECT_EQ(P("10K"), "10000");
  EXPECT_EQ(P("10k"), "10000");
  EXPECT_EQ(P("10KI"), "10240");
  EXPECT_EQ(P("10Ki"), "10240");
  EXPECT_EQ(P("200M"), "200000000");
  EXPECT_EQ(P("100mi"), "104857600");
  EXPECT_EQ(P("1G"), "1000000000");
  EXPECT_EQ(P("300Gi"), "322122547200");
  EXPECT_EQ(P("10E"), "10000000000000000000");
  EXPECT_EQ(P("10Ei"), "11529215046068469760");
  EXPECT_EQ(P("\"100TI\""), "109951162777600");
}

TEST(UnitsTest, ParseIsExact) {
  EXPECT_EQ(P("500m"), "0.5");
  EXPECT_EQ(P("100m"), "0.1");
  EXPECT_EQ(P("0.0005K"), "0.5");
  EXPECT_EQ(P("0.0000005M"), "0.5");
  EXPECT_EQ(P("1.1K"), "1100");
  EXPECT_EQ(P("1.1Ki"), "1126.4");
  EXPECT_EQ(P(".5K"), "500");
  EXPECT_EQ(P("1e10"), "10000000000");
  EXPECT_EQ(P("3.2E4"), "32000");
  EXPECT_EQ(P("2.5e3K"), "2500000");
  EXPECT_EQ(P("5e1Gi"), "53687091200");
  EXPECT_EQ(P("1e-2"), "0.01");
  EXPECT_EQ(P("7.8E-1"), "0.78");
  EXPECT_EQ(P("-3.5E2m"), "-0.35");
  EXPECT_EQ(P("5E"), "5000000000000000000");  // 5 exa, not 5e<nothing>
}

TEST(UnitsTest, ParseErrors) {
  EXPECT_EQ(Error("units.parse", {S("")}, kBuiltin),
            "units.parse: no amount provided");
  EXPECT_EQ(Error("units.parse", {S("foo")}, kBuiltin),
            "units.parse: no amount provided");
  EXPECT_EQ(Error("units.parse", {S("0.0.0")}, kBuiltin),
            "units.parse: could not parse amount to a number");
  EXPECT_EQ(Error("units.parse", {S(".5.2")}, kBuiltin),
            "units.parse: could not parse amount to a number");
  EXPECT_EQ(Error("units.parse", {S(" 327Mi ")}, kBuiltin),
            "units.parse: spaces not allowed in resource strings");
  EXPECT_EQ(Error("units.parse", {S("5Kb")}, kBuiltin),
            "units.parse: unit Kb not recognized");
  EXPECT_EQ(Error("units.parse", {Value::Int(1)},
                  absl::StatusCode::kInvalidArgument),
            "units.parse: operand 1 must be string but got number");
}

TEST(UnitsTest, ParseBytes) {
  EXPECT_EQ(B("0"), "0");
  EXPECT_EQ(B("0.0"), "0");
  EXPECT_EQ(B("12345"), "12345");
  EXPECT_EQ(B("10KB"), "10000");
  EXPECT_EQ(B("10KIB"), "10240");
  EXPECT_EQ(B("10Kib"), "10240");
  EXPECT_EQ(B("200mb"), "200000000");
  EXPECT_EQ(B("100m"), "100000000");
  EXPECT_EQ(B("1.1KB"), "1100");
  EXPECT_EQ(B("1.1KiB"), "1126");
  EXPECT_EQ(B(".5KB"), "500");
  EXPECT_EQ(B("10eib"), "11529215046068469760");
  EXPECT_EQ(B("\"100TIB\""), "109951162777600");
  EXPECT_EQ(B("1e3KB"), "1000000");
  EXPECT_EQ(B("3.2E2MiB"), "335544320");
  EXPECT_EQ(B("1e-2KB"), "10");
  EXPECT_EQ(B("7.5e1TiB"), "82463372083200");
}

TEST(UnitsTest, ParseBytesErrors) {
  EXPECT_EQ(Error("units.parse_bytes", {S("GB")}, kBuiltin),
            "units.parse_bytes: no byte amount provided");
  EXPECT_EQ(Error("units.parse_bytes", {S("0.0.0")}, kBuiltin),
            "units.parse_bytes: could not parse byte amount to a number");
  EXPECT_EQ(Error("units.parse_bytes", {S("100 kb")}, kBuiltin),
            "units.parse_bytes: spaces not allowed in resource strings");
  EXPECT_EQ(Error("units.parse_bytes", {S("5xb")}, kBuiltin),
            "units.parse_bytes: byte unit xb not recognized");
}

}  // namespace
}  // namespace policyd
