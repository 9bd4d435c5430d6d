#include "service/yaml.h"

#include "engine/value/json.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

Value Json(const char* text) { return *ParseJson(text); }

TEST(YamlTest, ScalarsFollowTheCoreSchema) {
  absl::StatusOr<Value> value = ParseYaml(
      "a: 1\nb: 2.5\nc: true\nd: ~\ne: hello\nf: \"1\"\ng: 'true'\nh: null\n");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, Json(R"({"a": 1, "b": 2.5, "c": true, "d": null,
                             "e": "hello", "f": "1", "g": "true", "h": null})"));
}

TEST(YamlTest, NestedCollections) {
  absl::StatusOr<Value> value =
      ParseYaml("roles:\n  - name: admin\n    grants: [read, write]\n");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, Json(R"({"roles": [{"name": "admin",
                                        "grants": ["read", "write"]}]})"));
}

TEST(YamlTest, EmptyTextIsNull) {
  absl::StatusOr<Value> value = ParseYaml("");
  ASSERT_TRUE(value.ok());
  EXPECT_TRUE(value->is_null());
}

TEST(YamlTest, SyntaxErrorIsReported) {
  absl::StatusOr<Value> value = ParseYaml("a: [1, 2\n");
  EXPECT_FALSE(value.ok());
}

}  // namespace
}  // namespace policyd
