#include "util/hex.h"

#include <string>

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(HexTest, DigitValueOfEitherCase) {
  EXPECT_EQ(HexDigitValue('0'), 0);
  EXPECT_EQ(HexDigitValue('9'), 9);
  EXPECT_EQ(HexDigitValue('a'), 10);
  EXPECT_EQ(HexDigitValue('F'), 15);
}

TEST(HexTest, NonDigitsAreMinusOne) {
  for (char c : std::string("gG/:@`\0 \xff", 10)) {
    EXPECT_EQ(HexDigitValue(c), -1) << static_cast<int>(c);
  }
}

TEST(HexTest, AppendsLowDigitsMostSignificantFirst) {
  std::string out;
  AppendHex(0x1f2e, 4, HexCase::kLower, &out);
  AppendHex(0xABCDEF12, 8, HexCase::kUpper, &out);
  AppendHex(0x12345, 2, HexCase::kLower, &out);  // only the low two digits
  EXPECT_EQ(out, "1f2eABCDEF1245");
}

TEST(HexTest, AppendsBytesInEitherCase) {
  std::string out;
  AppendHexByte(0xAB, HexCase::kLower, &out);
  AppendHexByte(0x0C, HexCase::kUpper, &out);
  EXPECT_EQ(out, "ab0C");
}

TEST(HexTest, EncodesBytesAsGoHexEncodeToString) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x7f\x80\xff" "A", 5)), "007f80ff41");
}

}  // namespace
}  // namespace policyd
