#include "admission/fields.h"

#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

TEST(GlobMatchesTest, PrefixSuffixSubstringAndExact) {
  EXPECT_TRUE(GlobMatches("kube-*", "kube-system"));
  EXPECT_FALSE(GlobMatches("kube-*", "my-kube"));
  EXPECT_TRUE(GlobMatches("*-system", "gatekeeper-system"));
  EXPECT_FALSE(GlobMatches("*-system", "system-x"));
  EXPECT_TRUE(GlobMatches("*prod*", "eu-prod-1"));
  EXPECT_TRUE(GlobMatches("*", "anything"));
  EXPECT_TRUE(GlobMatches("default", "default"));
  EXPECT_FALSE(GlobMatches("default", "default2"));
}

TEST(FieldsTest, ReadsNestedStringsAndLists) {
  Value v = Object("metadata: {name: a, labels: {x: y}}\nlist: [a, b]\nbad: [1]\n");
  EXPECT_EQ(StringAt(v, {"metadata", "name"}), "a");
  EXPECT_EQ(StringAt(v, {"metadata", "missing"}), "");
  EXPECT_EQ(FieldAt(v, {"metadata", "name", "deeper"}), nullptr);
  EXPECT_EQ(*StringList(v.Find("list"), "list"),
            (std::vector<std::string>{"a", "b"}));
  absl::StatusOr<std::vector<std::string>> bad = StringList(v.Find("bad"), "bad");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "bad: expected a list of strings");
}

}  // namespace
}  // namespace policyd::admission
