#include "engine/builtins/base64.h"

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(Base64Test, EncodesAllAlphabetsAndPaddings) {
  EXPECT_EQ(Base64Encode("", Base64Alphabet::kStd, true), "");
  EXPECT_EQ(Base64Encode("f", Base64Alphabet::kStd, true), "Zg==");
  EXPECT_EQ(Base64Encode("fo", Base64Alphabet::kStd, true), "Zm8=");
  EXPECT_EQ(Base64Encode("foo", Base64Alphabet::kStd, true), "Zm9v");
  EXPECT_EQ(Base64Encode("f", Base64Alphabet::kUrl, false), "Zg");
  EXPECT_EQ(Base64Encode("\xfb\xff", Base64Alphabet::kStd, true), "+/8=");
  EXPECT_EQ(Base64Encode("\xfb\xff", Base64Alphabet::kUrl, false), "-_8");
}

TEST(Base64Test, DecodesPaddedAndSkipsNewlines) {
  EXPECT_EQ(*Base64Decode("Zm9vYg==", Base64Alphabet::kStd, true), "foob");
  EXPECT_EQ(*Base64Decode("Zm9v\r\nYmE=\n", Base64Alphabet::kStd, true), "fooba");
  EXPECT_EQ(*Base64Decode("", Base64Alphabet::kStd, true), "");
  EXPECT_EQ(*Base64Decode("-_8", Base64Alphabet::kUrl, false), "\xfb\xff");
}

TEST(Base64Test, ReportsGoErrorOffsets) {
  // A bad symbol is reported at its own offset.
  EXPECT_EQ(Base64Decode("Zm9v^mE=", Base64Alphabet::kStd, true).status().message(),
            "illegal base64 data at input byte 4");
  // Missing padding: the offset of the incomplete quantum.
  EXPECT_EQ(Base64Decode("foobar", Base64Alphabet::kStd, true).status().message(),
            "illegal base64 data at input byte 4");
  // A raw decoder refuses padding; a lone symbol is never valid.
  EXPECT_EQ(Base64Decode("Zg==", Base64Alphabet::kStd, false).status().message(),
            "illegal base64 data at input byte 2");
  EXPECT_EQ(Base64Decode("Zm9vY", Base64Alphabet::kStd, false).status().message(),
            "illegal base64 data at input byte 4");
  // Trailing garbage after the padding.
  EXPECT_EQ(Base64Decode("Zg==Zg==", Base64Alphabet::kStd, true).status().message(),
            "illegal base64 data at input byte 4");
  // The URL alphabet has no '/'.
  EXPECT_FALSE(Base64Decode("ab/d", Base64Alphabet::kUrl, true).ok());
}

TEST(Base64Test, LenientUrlDecodingAddsPadding) {
  EXPECT_EQ(*Base64UrlDecodeLenient("Zg"), "f");
  EXPECT_EQ(*Base64UrlDecodeLenient("Zm8"), "fo");
  EXPECT_EQ(*Base64UrlDecodeLenient("Zm8="), "fo");
  EXPECT_EQ(*Base64UrlDecodeLenient(""), "");
  EXPECT_EQ(Base64UrlDecodeLenient("Zm9vY").status().message(),
            "illegal base64url string: Zm9vY");
}

}  // namespace
}  // namespace policyd
