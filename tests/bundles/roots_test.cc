#include "bundles/roots.h"

#include "engine/value/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd::bundles {
namespace {

TEST(RootsTest, SplitAndText) {
  EXPECT_EQ(SplitRoot("a/b"), (DataPath{"a", "b"}));
  EXPECT_TRUE(SplitRoot("").empty());
  EXPECT_EQ(DataPathText({"a", "b"}), "data.a.b");
  EXPECT_EQ(DataPathText({}), "data");
}

TEST(RootsTest, Overlap) {
  EXPECT_TRUE(RootsOverlap("a", "a/b"));
  EXPECT_TRUE(RootsOverlap("a/b", "a"));
  EXPECT_TRUE(RootsOverlap("", "x"));
  EXPECT_TRUE(RootsOverlap("a", "a"));
  EXPECT_FALSE(RootsOverlap("a", "ab"));
  EXPECT_FALSE(RootsOverlap("a/b", "a/c"));
}

TEST(RootsTest, PathWithinRoots) {
  EXPECT_TRUE(PathWithinRoots({"a", "b"}, {"a"}));
  EXPECT_TRUE(PathWithinRoots({"x"}, {""}));
  EXPECT_FALSE(PathWithinRoots({"a"}, {"a/b"}));
  EXPECT_FALSE(PathWithinRoots({"ab"}, {"a"}));
  EXPECT_FALSE(PathWithinRoots({"a"}, {}));
}

TEST(RootsTest, DataWithinRoots) {
  Value doc = *ParseJson(R"({"a": {"b": {"x": 1}}, "c": 2})");
  EXPECT_TRUE(CheckDataWithinRoots({}, doc, {"a/b", "c"}).ok());
  absl::Status s = CheckDataWithinRoots({}, doc, {"a/b"});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), ::testing::HasSubstr("data.c is outside"));
  // A path leading to a root must hold an object whose keys keep within.
  EXPECT_FALSE(CheckDataWithinRoots({"a"}, Value::Int(1), {"a/b"}).ok());
  EXPECT_TRUE(CheckDataWithinRoots({"a"}, Value::Object({}), {"a/b"}).ok());
  EXPECT_TRUE(CheckDataWithinRoots({"z"}, Value::Int(1), {""}).ok());
}

}  // namespace
}  // namespace policyd::bundles
