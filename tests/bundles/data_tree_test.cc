#include "bundles/data_tree.h"

#include "engine/value/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd::bundles {
namespace {

Value Json(const char* text) { return *ParseJson(text); }

TEST(DataTreeTest, EmptyIsEmptyObject) {
  EXPECT_EQ(DataTree().Build(), Value::Object({}));
}

TEST(DataTreeTest, DocumentsAtPaths) {
  DataTree tree;
  ASSERT_TRUE(tree.Insert({"a", "b"}, Json(R"({"x": 1})"), "f1").ok());
  ASSERT_TRUE(tree.Insert({"c"}, Json("[1, 2]"), "f2").ok());
  EXPECT_EQ(tree.Build(), Json(R"({"a": {"b": {"x": 1}}, "c": [1, 2]})"));
}

TEST(DataTreeTest, ObjectsMergeKeyByKey) {
  DataTree tree;
  ASSERT_TRUE(tree.Insert({}, Json(R"({"a": {"x": 1}, "k": true})"), "root").ok());
  ASSERT_TRUE(tree.Insert({"a"}, Json(R"({"y": 2})"), "a/data.json").ok());
  ASSERT_TRUE(tree.Insert({"a", "z"}, Json("3"), "a/z/data.json").ok());
  EXPECT_EQ(tree.Build(),
            Json(R"({"a": {"x": 1, "y": 2, "z": 3}, "k": true})"));
}

TEST(DataTreeTest, ConflictNamesBothSources) {
  DataTree tree;
  ASSERT_TRUE(tree.Insert({}, Json(R"({"a": {"x": 1}})"), "one/data.json").ok());
  absl::Status s = tree.Insert({"a", "x"}, Json("2"), "two/a/x/data.json");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), ::testing::HasSubstr("conflicting data at data.a.x"));
  EXPECT_THAT(s.message(), ::testing::HasSubstr("one/data.json"));
  EXPECT_THAT(s.message(), ::testing::HasSubstr("two/a/x/data.json"));
  // Below a scalar.
  EXPECT_FALSE(tree.Insert({"a", "x", "deeper"}, Json("1"), "three").ok());
  // A scalar over an object.
  EXPECT_FALSE(tree.Insert({"a"}, Json("1"), "four").ok());
}

TEST(DataTreeTest, TopMustBeObject) {
  DataTree tree;
  EXPECT_FALSE(tree.Insert({}, Json("[1]"), "data.json").ok());
}

}  // namespace
}  // namespace policyd::bundles
