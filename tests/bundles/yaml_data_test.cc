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

TEST(YamlDataTest, DocumentsOfAStream) {
  absl::StatusOr<std::vector<Value>> docs =
      ParseYamlDocuments("a: 1\n---\n---\n- x\n...\n");
  ASSERT_TRUE(docs.ok()) << docs.status();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0], *ParseJson(R"({"a": 1})"));
  EXPECT_EQ((*docs)[1], *ParseJson(R"(["x"])"));
  absl::StatusOr<std::vector<Value>> bad = ParseYamlDocuments("a: 1\n---\nb: [\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 4"), std::string::npos) << bad.status();
}

}  // namespace
}  // namespace policyd::bundles
