#include "admission/label_selector.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

bool Selects(const std::string& selector, const std::string& labels) {
  absl::StatusOr<LabelSelector> s = ParseLabelSelector(Object(selector), "sel");
  EXPECT_TRUE(s.ok()) << s.status();
  Value l = Object(labels);
  return s.ok() && SelectorMatches(*s, &l);
}

TEST(LabelSelectorTest, MatchLabels) {
  EXPECT_TRUE(Selects("matchLabels: {app: web}", "{app: web, tier: a}"));
  EXPECT_FALSE(Selects("matchLabels: {app: web}", "{app: db}"));
  EXPECT_FALSE(Selects("matchLabels: {app: web}", "{}"));
}

TEST(LabelSelectorTest, EachOperator) {
  const std::string in = "matchExpressions: [{key: env, operator: In, values: [prod, stage]}]";
  EXPECT_TRUE(Selects(in, "{env: prod}"));
  EXPECT_FALSE(Selects(in, "{env: dev}"));
  EXPECT_FALSE(Selects(in, "{}"));
  const std::string not_in = "matchExpressions: [{key: env, operator: NotIn, values: [prod]}]";
  EXPECT_TRUE(Selects(not_in, "{env: dev}"));
  EXPECT_TRUE(Selects(not_in, "{}"));  // as Kubernetes: absent is not in
  EXPECT_FALSE(Selects(not_in, "{env: prod}"));
  const std::string exists = "matchExpressions: [{key: env, operator: Exists}]";
  EXPECT_TRUE(Selects(exists, "{env: x}"));
  EXPECT_FALSE(Selects(exists, "{other: x}"));
  const std::string absent = "matchExpressions: [{key: env, operator: DoesNotExist}]";
  EXPECT_FALSE(Selects(absent, "{env: x}"));
  EXPECT_TRUE(Selects(absent, "{other: x}"));
}

TEST(LabelSelectorTest, AllRequirementsMustHold) {
  const std::string both =
      "matchLabels: {app: web}\nmatchExpressions: [{key: env, operator: Exists}]";
  EXPECT_TRUE(Selects(both, "{app: web, env: a}"));
  EXPECT_FALSE(Selects(both, "{app: web}"));
  EXPECT_TRUE(Selects("{}", "{}"));
  LabelSelector empty;
  EXPECT_TRUE(SelectorMatches(empty, nullptr));
}

TEST(LabelSelectorTest, RefusesMalformedSelectors) {
  for (const char* bad : {
           "matchExpressions: [{key: env, operator: Like, values: [a]}]",
           "matchExpressions: [{key: env, operator: In}]",
           "matchExpressions: [{key: env, operator: Exists, values: [a]}]",
           "matchExpressions: [{operator: Exists}]",
           "matchLabels: {app: [x]}",
       }) {
    absl::StatusOr<LabelSelector> s = ParseLabelSelector(Object(bad), "sel");
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_TRUE(absl::StartsWith(s.status().message(), "sel.")) << s.status();
  }
}

}  // namespace
}  // namespace policyd::admission
