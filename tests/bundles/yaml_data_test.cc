#include "bundles/yaml_data.h"

#include "engine/value/json.h"
#include "gtest/gtest.h"

namespace policyd::bundles {
namespace {

TEST(YamlDataTest, CoreSchemaScalars) {
  absl::StatusOr<Value> v = ParseYaml(R"(
users:
  - name: alice
    admin: true
    age: 31
    ratio: 0.5
    nick: ~
    quoted: "true"
    zip: '01234'
  - name: bob
    admin: false
)");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, *ParseJson(R"({"users": [
    {"name": "alice", "admin": true, "age": 31, "ratio": 0.5, "nick": null,
     "quoted": "true", "zip": "01234"},
    {"name": "bob", "admin": false}]})"));
}

TEST(YamlDataTest, EmptyIsNull) { EXPECT_EQ(*ParseYaml(""), Value::Null()); }

TEST(YamlDataTest, SyntaxErrorHasLocation) {
  absl::StatusOr<Value> v = ParseYaml("a: [1, 2\nb: c");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("line "), std::string::npos);
}

}  // namespace
}  // namespace policyd::bundles
