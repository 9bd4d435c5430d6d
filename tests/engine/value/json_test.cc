#include "engine/value/json.h"

#include <string>

#include "gmock/gmock.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;

Value MustParse(std::string_view text) {
  absl::StatusOr<Value> v = ParseJson(text);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status();
  return v.ok() ? *v : Value();
}

TEST(JsonTest, Scalars) {
  EXPECT_EQ(MustParse("null"), Value::Null());
  EXPECT_EQ(MustParse(" true "), Value::Bool(true));
  EXPECT_EQ(MustParse("false"), Value::Bool(false));
  EXPECT_EQ(MustParse("-12"), Value::Int(-12));
  EXPECT_EQ(MustParse("\"hi\""), Value::String("hi"));
}

TEST(JsonTest, NumbersKeepTheirText) {
  for (const char* text : {"1.0", "1e400", "-0", "0.10", "123456789012345678901234567890",
                           "1E+2", "-1.5e-3"}) {
    Value v = MustParse(text);
    ASSERT_TRUE(v.is_number()) << text;
    EXPECT_EQ(v.NumberText(), text);
    EXPECT_EQ(v.ToJson(), text);
  }
  EXPECT_EQ(MustParse("1.0"), Value::Int(1));
}

TEST(JsonTest, RoundTrips) {
  for (const char* text : {
           R"({"a":[1,2.50,{"b":null}],"c":"x\ny","d":true})",
           R"([])",
           R"({})",
           R"([[[]],{"":{}}])",
           R"("\u003cb\u003e \u0026 é \u2028")",
       }) {
    EXPECT_EQ(MustParse(text).ToJson(), text);
  }
}

TEST(JsonTest, ObjectKeysSortedAndLastDuplicateWins) {
  Value v = MustParse(R"({"b":1,"a":2,"b":3})");
  EXPECT_EQ(v.ToJson(), R"({"a":2,"b":3})");
}

TEST(JsonTest, Escapes) {
  Value v = MustParse(R"("\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00")");
  EXPECT_EQ(v.string(), "\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
  // A lone surrogate becomes U+FFFD, as in Go.
  EXPECT_EQ(MustParse(R"("\ud83d")").string(), "\xef\xbf\xbd");
  EXPECT_EQ(MustParse(R"("\ude00x")").string(), "\xef\xbf\xbdx");
}

TEST(JsonTest, ErrorsNamePosition) {
  absl::StatusOr<Value> v = ParseJson("{\n  \"a\": tru\n}");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("line 2, column 8"));
  EXPECT_THAT(v.status().message(), HasSubstr("offset 9"));
}

TEST(JsonTest, RejectsMalformedInput) {
  for (const char* text : {
           "", " ", "{", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "01", "1.",
           ".5", "+1", "1e", "-", "\"abc", "\"a\x01\"", "\"\\x\"", "\"\\u12g4\"", "nul",
           "true false", "[1]]", "\"\xff\"", "\"\xc3\"", "\"\xed\xa0\x80\"", "\"\xc0\xaf\"",
           "NaN", "Infinity", "'a'", "1e999999999",
       }) {
    EXPECT_FALSE(ParseJson(text).ok()) << "accepted: " << text;
  }
}

TEST(JsonTest, DeepNestingIsRefused) {
  std::string deep(20000, '[');
  deep.append(20000, ']');
  EXPECT_FALSE(ParseJson(deep).ok());
  std::string ok(500, '[');
  ok.append(500, ']');
  EXPECT_TRUE(ParseJson(ok).ok());
}

TEST(JsonTest, LargeObjectLookups) {
  std::string text = "{";
  for (int i = 0; i < 100; ++i) {
    if (i) text += ",";
    absl::StrAppend(&text, "\"k", i, "\":", i);
  }
  text += "}";
  Value v = MustParse(text);
  ASSERT_EQ(v.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(*v.Find(absl::StrCat("k", i)), Value::Int(i));
}

}  // namespace
}  // namespace policyd
