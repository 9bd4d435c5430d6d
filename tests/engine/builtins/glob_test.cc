#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::EvalString;
using ::policyd::testing::J;
using ::policyd::testing::S;

std::string M(std::string_view glob, std::string_view delims_json,
              std::string_view text) {
  return Eval("glob.match", {S(glob), J(delims_json), S(text)});
}

TEST(GlobTest, Delimiters) {
  EXPECT_EQ(M("*.github.com", R"(["."])", "api.github.com"), "true");
  EXPECT_EQ(M("*.github.com", R"(["."])", "api.not-github.com"), "false");
  EXPECT_EQ(M("*.github.com", R"(["."])", "a.b.github.com"), "false");
  EXPECT_EQ(M("api.**.com", R"(["."])", "api.github.com"), "true");
  EXPECT_EQ(M("api.**.com", R"(["."])", "api.cdn.github.com"), "true");
  EXPECT_EQ(M("*:github:com", R"([":"])", "api:github:com"), "true");
  EXPECT_EQ(M("*", R"(["."])", "foo"), "true");
  EXPECT_EQ(M("*", "[]", "foo.bar"), "false");  // [] means ["."]
  EXPECT_EQ(M("*", "null", "foo.bar"), "true");  // null means none
  EXPECT_EQ(M("foo*", "null", "foo.bar"), "true");
  EXPECT_EQ(M("?at", R"(["f"])", "bat"), "true");
  EXPECT_EQ(M("?at", R"(["f"])", "fat"), "false");
  EXPECT_EQ(M("a*b", R"(["/", "."])", "a/b"), "false");
}

TEST(GlobTest, ClassesAndAlternatives) {
  EXPECT_EQ(M("[abc]at", "[]", "cat"), "true");
  EXPECT_EQ(M("[abc]at", "[]", "fat"), "false");
  EXPECT_EQ(M("[!abc]at", "[]", "fat"), "true");
  EXPECT_EQ(M("[!abc]at", "[]", "cat"), "false");
  EXPECT_EQ(M("[a-c]at", "[]", "bat"), "true");
  EXPECT_EQ(M("[!a-c]at", "[]", "bat"), "false");
  EXPECT_EQ(M("[!a-c]at", "[]", "fat"), "true");
  EXPECT_EQ(M("?at", "[]", "at"), "false");
  EXPECT_EQ(M("{cat,bat,[fr]at}", "[]", "rat"), "true");
  EXPECT_EQ(M("{cat,bat,[fr]at}", "[]", "at"), "false");
  EXPECT_EQ(M("{a,{b,c}d}x", "[]", "cdx"), "true");
  EXPECT_EQ(M("å?ö", "[]", "åäö"), "true");
  EXPECT_EQ(M(R"(\*.com)", "[]", "*.com"), "true");
  EXPECT_EQ(M(R"(\*.com)", "[]", "a.com"), "false");
  EXPECT_EQ(M("a.(b)+", "[]", "a.(b)+"), "true");
}

TEST(GlobTest, Errors) {
  EXPECT_EQ(Error("glob.match", {S("[abc"), J("[]"), S("a")},
                  absl::StatusCode::kUnknown)
                .rfind("glob.match: unclosed character class", 0),
            0u);
  EXPECT_EQ(Error("glob.match", {S("a"), J("1"), S("a")},
                  absl::StatusCode::kInvalidArgument),
            "glob.match: operand 2 must be one of {array, null} but got number");
  EXPECT_EQ(Error("glob.match", {S("a"), J(R"(["ab"])"), S("a")},
                  absl::StatusCode::kInvalidArgument),
            "glob.match: operand 2 must be array of runes but got array "
            "containing string");
}

TEST(GlobTest, DeepNestingIsAnErrorNotACrash) {
  std::string glob(100000, '{');
  EXPECT_EQ(Error("glob.match", {S(glob), J("[]"), S("a")},
                  absl::StatusCode::kUnknown)
                .rfind("glob.match: alternatives nested too deeply", 0),
            0u);
}

TEST(GlobTest, QuoteMeta) {
  EXPECT_EQ(EvalString("glob.quote_meta", {S("*.github.com")}),
            R"(\*.github.com)");
  EXPECT_EQ(EvalString("glob.quote_meta", {S("[a]{b,c}?\\")}),
            R"(\[a\]\{b,c\}\?\\)");
}

}  // namespace
}  // namespace policyd
