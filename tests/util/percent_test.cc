#include "util/percent.h"

#include <string>

#include "gtest/gtest.h"

namespace policyd {
namespace {

constexpr size_t kNone = std::string_view::npos;

TEST(PercentTest, DecodesEscapesOfEitherCase) {
  EXPECT_EQ(PercentDecode("a%2Fb%2fc%41", PercentMode::kPath), "a/b/cA");
  EXPECT_EQ(PercentDecode("%00%ff", PercentMode::kPath), std::string("\0\xff", 2));
}

TEST(PercentTest, PlusIsASpaceOnlyInQueries) {
  EXPECT_EQ(PercentDecode("a+b%2B", PercentMode::kQuery), "a b+");
  EXPECT_EQ(PercentDecode("a+b%2B", PercentMode::kPath), "a+b+");
}

TEST(PercentTest, LenientKeepsMalformedEscapesAsWritten) {
  EXPECT_EQ(PercentDecode("100%zz%4", PercentMode::kPath), "100%zz%4");
  EXPECT_EQ(PercentDecode("%", PercentMode::kQuery), "%");
  EXPECT_EQ(PercentDecode("%%41+", PercentMode::kQuery), "%A ");
}

TEST(PercentTest, StrictStopsAtTheFirstMalformedEscape) {
  size_t bad = 0;
  EXPECT_EQ(PercentDecode("a+%41%zz%41", PercentMode::kQuery, &bad), "a A");
  EXPECT_EQ(bad, 5u);
  EXPECT_EQ(PercentDecode("ab%4", PercentMode::kPath, &bad), "ab");
  EXPECT_EQ(bad, 2u);
  EXPECT_EQ(PercentDecode("x%", PercentMode::kPath, &bad), "x");
  EXPECT_EQ(bad, 1u);
}

TEST(PercentTest, StrictReportsNoneWhenAllEscapesAreWellFormed) {
  size_t bad = 0;
  EXPECT_EQ(PercentDecode("a%20b+", PercentMode::kPath, &bad), "a b+");
  EXPECT_EQ(bad, kNone);
  EXPECT_EQ(PercentDecode("", PercentMode::kQuery, &bad), "");
  EXPECT_EQ(bad, kNone);
}

}  // namespace
}  // namespace policyd
