#include "engine/value/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace policyd::utf8 {
namespace {

TEST(Utf8Test, AppendEncodesEachLength) {
  std::string out;
  for (char32_t r : {U'a', U'é', U'€', U'😀'}) Append(r, &out);
  EXPECT_EQ(out, "aé€😀");
}

TEST(Utf8Test, AppendReplacesWhatIsNotACodePoint) {
  std::string out;
  Append(0xD800, &out);    // a lone surrogate
  Append(0x110000, &out);  // past the last code point
  EXPECT_EQ(out, "\uFFFD\uFFFD");
}

TEST(Utf8Test, DecodeTakesOneByteOfInvalidInput) {
  std::string s = "\xff" "é";
  char32_t r;
  EXPECT_EQ(Decode(s, 0, &r), 1u);
  EXPECT_EQ(r, kRuneError);
  EXPECT_EQ(Decode(s, 1, &r), 2u);
  EXPECT_EQ(r, U'é');
  EXPECT_EQ(RuneCount(s), 2u);
}

}  // namespace
}  // namespace policyd::utf8
