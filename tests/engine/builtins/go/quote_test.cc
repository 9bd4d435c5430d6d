#include "engine/builtins/go/quote.h"

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(GoQuoteTest, QuotesLikeStrconv) {
  EXPECT_EQ(GoQuote("abc"), "\"abc\"");
  EXPECT_EQ(GoQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(GoQuote("\n\t\a\x01\x7f"), R"("\n\t\a\x01\x7f")");
  EXPECT_EQ(GoQuote("é<>&"), "\"é<>&\"");
  EXPECT_EQ(GoQuote("\xff"), R"("\xff")");
  EXPECT_EQ(GoQuote("\xc2\x85"), R"("\u0085")");
}

}  // namespace
}  // namespace policyd
