#include "service/decider.h"

#include <regex>

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(DeciderTest, QueryForPath) {
  EXPECT_EQ(*QueryForPath("envoy/authz/allow"), "data.envoy.authz.allow");
  EXPECT_EQ(*QueryForPath("/envoy/authz/allow/"), "data.envoy.authz.allow");
  EXPECT_EQ(*QueryForPath("data.envoy.authz.allow"), "data.envoy.authz.allow");
  EXPECT_EQ(*QueryForPath(""), "data");
  EXPECT_EQ(*QueryForPath("/"), "data");
  EXPECT_EQ(*QueryForPath("x/a-b/1"), "data.x[\"a-b\"][\"1\"]");
  EXPECT_EQ(*QueryForPath("x/\"q\""), "data.x[\"\\\"q\\\"\"]");
}

TEST(DeciderTest, QueryForPathErrors) {
  for (const char* bad : {"a//b", "data.a-b", "data.", "data..x"}) {
    absl::StatusOr<std::string> q = QueryForPath(bad);
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(q.status().message().find("unknown path syntax"),
              absl::string_view::npos);
  }
}

TEST(DeciderTest, DecisionIdsAreVersion4Uuids) {
  const std::regex uuid(
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::string a = NewDecisionId();
  std::string b = NewDecisionId();
  EXPECT_TRUE(std::regex_match(a, uuid)) << a;
  EXPECT_NE(a, b);
}

TEST(DeciderTest, Classify) {
  Decision d;
  EXPECT_EQ(ClassifyDecision(d), Outcome::kUndefined);
  d.result = Value::Bool(true);
  EXPECT_EQ(ClassifyDecision(d), Outcome::kAllow);
  d.result = Value::Bool(false);
  EXPECT_EQ(ClassifyDecision(d), Outcome::kDeny);
  d.result = Value::Object({{Value::String("allowed"), Value::Bool(false)}});
  EXPECT_EQ(ClassifyDecision(d), Outcome::kDeny);
  d.result = Value::String("anything");
  EXPECT_EQ(ClassifyDecision(d), Outcome::kAllow);
  d.status = absl::AbortedError("boom");
  EXPECT_EQ(ClassifyDecision(d), Outcome::kError);
}

}  // namespace
}  // namespace policyd
