#include "engine/builtins/jose/pem.h"

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(PemTest, DecodesBlockAndReturnsRest) {
  std::string_view rest;
  auto block = PemDecode(
      "junk before\n-----BEGIN THING-----\nZm9v\nYmFy\n-----END THING-----\nafter", &rest);
  ASSERT_TRUE(block.has_value());
  EXPECT_EQ(block->type, "THING");
  EXPECT_EQ(block->bytes, "foobar");
  EXPECT_EQ(rest, "after");
}

TEST(PemTest, ReadsHeadersAndCrLf) {
  std::string_view rest;
  auto block = PemDecode(
      "-----BEGIN X-----\r\nProc-Type: 4,ENCRYPTED\r\n\r\nZm9v\r\n-----END X-----\r\n", &rest);
  ASSERT_TRUE(block.has_value());
  EXPECT_EQ(block->headers.at("Proc-Type"), "4,ENCRYPTED");
  EXPECT_EQ(block->bytes, "foo");
  EXPECT_EQ(rest, "");
}

TEST(PemTest, NoBlock) {
  std::string_view rest;
  EXPECT_FALSE(PemDecode("nothing here", &rest).has_value());
  EXPECT_EQ(rest, "nothing here");
  // Mismatched END type, and broken base64, are not blocks.
  EXPECT_FALSE(PemDecode("-----BEGIN A-----\nZm9v\n-----END B-----\n", &rest).has_value());
  EXPECT_FALSE(PemDecode("-----BEGIN A-----\nZm9v!\n-----END A-----\n", &rest).has_value());
}

TEST(PemTest, SkipsBrokenBlockToTheNextOne) {
  std::string_view rest;
  auto block = PemDecode(
      "-----BEGIN A-----\n%%%\n-----END A-----\n-----BEGIN B-----\nZm9v\n-----END B-----\n",
      &rest);
  ASSERT_TRUE(block.has_value());
  EXPECT_EQ(block->type, "B");
}

}  // namespace
}  // namespace policyd
