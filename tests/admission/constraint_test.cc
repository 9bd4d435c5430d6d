#include "admission/constraint.h"

#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

absl::StatusOr<Constraint> Parse(const std::string& spec) {
  return ParseConstraint(
      Object("apiVersion: constraints.gatekeeper.sh/v1beta1\n"
             "kind: K8sRequiredLabels\nmetadata: {name: must-have}\n" + spec),
      "c.yaml");
}

std::vector<Action> Actions(const std::string& spec) {
  absl::StatusOr<Constraint> c = Parse(spec);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? c->actions : std::vector<Action>{};
}

TEST(ConstraintTest, ReadsKindNameMatchAndParameters) {
  absl::StatusOr<Constraint> c = Parse(
      "spec:\n  match: {kinds: [{apiGroups: [''], kinds: [Namespace]}]}\n"
      "  parameters: {labels: [test]}\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->kind, "K8sRequiredLabels");
  EXPECT_EQ(c->name, "must-have");
  EXPECT_EQ(c->file, "c.yaml");
  ASSERT_EQ(c->match.kinds.size(), 1u);
  EXPECT_EQ(c->match.kinds[0].kinds, std::vector<std::string>{"Namespace"});
  EXPECT_EQ(c->parameters, Object("labels: [test]"));
}

TEST(ConstraintTest, ParametersDefaultToAnEmptyObject) {
  absl::StatusOr<Constraint> c = Parse("spec: {}\n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->parameters, Value::Object({}));
  EXPECT_TRUE(Parse("").ok());
}

TEST(ConstraintTest, EachEnforcementAction) {
  EXPECT_EQ(Actions("spec: {}"), std::vector<Action>{Action::kDeny});
  EXPECT_EQ(Actions("spec: {enforcementAction: deny}"),
            std::vector<Action>{Action::kDeny});
  EXPECT_EQ(Actions("spec: {enforcementAction: warn}"),
            std::vector<Action>{Action::kWarn});
  EXPECT_EQ(Actions("spec: {enforcementAction: dryrun}"),
            std::vector<Action>{Action::kDryrun});
}

TEST(ConstraintTest, ScopedActionsKeepThoseOfTheWebhook) {
  EXPECT_EQ(Actions(R"(spec:
  enforcementAction: scoped
  scopedEnforcementActions:
  - action: warn
    enforcementPoints: [{name: validation.gatekeeper.sh}]
  - action: deny
    enforcementPoints: [{name: audit.gatekeeper.sh}]
  - action: dryrun
    enforcementPoints: [{name: "*"}]
)"),
            (std::vector<Action>{Action::kWarn, Action::kDryrun}));
  EXPECT_EQ(Actions(R"(spec:
  enforcementAction: scoped
  scopedEnforcementActions:
  - action: deny
    enforcementPoints: [{name: gator.gatekeeper.sh}]
)"),
            std::vector<Action>{});
}

TEST(ConstraintTest, RefusesBadActionsAndMissingNames) {
  struct Case { std::string spec; const char* error; };
  for (const Case& c : {
           Case{"spec: {enforcementAction: block}",
                "spec.enforcementAction: unknown enforcement action \"block\" "
                "(deny, warn, dryrun, scoped)"},
           Case{"spec: {enforcementAction: scoped}",
                "spec.scopedEnforcementActions: enforcementAction \"scoped\" "
                "needs a non-empty list"},
           Case{"spec: {enforcementAction: scoped, scopedEnforcementActions: "
                "[{action: warn}]}",
                "spec.scopedEnforcementActions[0].enforcementPoints: expected "
                "a list of {name: ...}"},
           Case{"spec: [1]", "spec: expected an object"},
       }) {
    absl::StatusOr<Constraint> parsed = Parse(c.spec);
    ASSERT_FALSE(parsed.ok()) << c.spec;
    EXPECT_EQ(parsed.status().message(), c.error);
  }
  EXPECT_FALSE(ParseConstraint(Object("kind: K\nmetadata: {}"), "f").ok());
}

}  // namespace
}  // namespace policyd::admission
