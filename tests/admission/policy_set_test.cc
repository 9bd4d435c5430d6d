#include "admission/policy_set.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "admission/admission_review.h"
#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

std::string Constraint(const std::string& name, const std::string& spec) {
  return "---\napiVersion: constraints.gatekeeper.sh/v1beta1\n"
         "kind: K8sRequiredLabels\nmetadata: {name: " + name + "}\nspec:\n" + spec;
}

const char kNamespaceMatch[] =
    "  match: {kinds: [{apiGroups: [''], kinds: [Namespace]}]}\n"
    "  parameters: {labels: [test]}\n";

Value NamespaceRequest(const std::string& labels) {
  return RequestForObject(
      Object("apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: " +
             labels + "}"),
      "CREATE");
}

std::shared_ptr<const PolicySet> Build(const std::string& yaml,
                                       const Value& inventory = Value()) {
  absl::StatusOr<std::shared_ptr<const PolicySet>> set =
      PolicySet::Build(Objects(yaml), inventory);
  EXPECT_TRUE(set.ok()) << set.status();
  return set.ok() ? *set : nullptr;
}

TEST(PolicySetTest, DenyRefusesAndNamesTheConstraint) {
  auto set = Build(std::string(kRequiredLabelsTemplate) +
                   Constraint("ns-must-have-test", kNamespaceMatch));
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->template_count(), 1u);
  EXPECT_EQ(set->constraint_count(), 1u);
  Decision bad = set->Review(NamespaceRequest("{}"), EvalOptions{});
  EXPECT_FALSE(bad.allowed);
  EXPECT_EQ(ResultMessages(bad.deny),
            std::vector<std::string>{
                "[ns-must-have-test] you must provide labels: {\"test\"}"});
  Decision good = set->Review(NamespaceRequest("{test: 'yes'}"), EvalOptions{});
  EXPECT_TRUE(good.allowed);
  EXPECT_TRUE(good.deny.empty());
}

TEST(PolicySetTest, WarnAndDryrunDoNotBlock) {
  auto set = Build(std::string(kRequiredLabelsTemplate) +
                   Constraint("warn-only", std::string(kNamespaceMatch) +
                                               "  enforcementAction: warn\n") +
                   Constraint("dry", std::string(kNamespaceMatch) +
                                         "  enforcementAction: dryrun\n"));
  ASSERT_NE(set, nullptr);
  Decision d = set->Review(NamespaceRequest("{}"), EvalOptions{});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(ResultMessages(d.warn),
            std::vector<std::string>{"[warn-only] you must provide labels: {\"test\"}"});
  ASSERT_EQ(d.dryrun.size(), 1u);
  EXPECT_EQ(d.dryrun[0].constraint->name, "dry");
  // Audit (verify) counts every violation, whatever the action.
  EXPECT_EQ(set->Audit(NamespaceRequest("{}"), EvalOptions{}).size(), 2u);
}

TEST(PolicySetTest, UnmatchedConstraintsAreNotEvaluated) {
  auto set = Build(std::string(kRequiredLabelsTemplate) +
                   Constraint("pods-only",
                              "  match: {kinds: [{apiGroups: [''], kinds: [Pod]}]}\n"
                              "  parameters: {labels: [test]}\n"));
  ASSERT_NE(set, nullptr);
  EXPECT_TRUE(set->Review(NamespaceRequest("{}"), EvalOptions{}).allowed);
}

TEST(PolicySetTest, EvaluationErrorsFailClosed) {
  auto set = Build(R"(
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8sslow}
spec:
  crd: {spec: {names: {kind: K8sSlow}}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package slow
      violation[{"msg": "never"}] { x := numbers.range(1, 100000)[_]; x < 0 }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sSlow
metadata: {name: slow}
)");
  ASSERT_NE(set, nullptr);
  EvalOptions options;
  options.max_steps = 1000;
  Decision d = set->Review(NamespaceRequest("{}"), options);
  EXPECT_FALSE(d.allowed);
  ASSERT_EQ(d.deny.size(), 1u);
  EXPECT_TRUE(d.deny[0].error);
}

TEST(PolicySetTest, NamespaceSelectorUsesTheInventory) {
  Value inventory = Object(
      "cluster: {v1: {Namespace: {prod: {metadata: {name: prod, labels: {env: prod}}}}}}");
  auto set = Build(std::string(kRequiredLabelsTemplate) +
                   Constraint("prod-pods",
                              "  match:\n    kinds: [{apiGroups: [''], kinds: [Pod]}]\n"
                              "    namespaceSelector: {matchLabels: {env: prod}}\n"
                              "  parameters: {labels: [owner]}\n"),
                   inventory);
  ASSERT_NE(set, nullptr);
  auto pod = [](const std::string& ns) {
    return RequestForObject(
        Object("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: " + ns + "}"),
        "CREATE");
  };
  EXPECT_FALSE(set->Review(pod("prod"), EvalOptions{}).allowed);
  Decision unknown = set->Review(pod("elsewhere"), EvalOptions{});
  EXPECT_FALSE(unknown.allowed);  // not in the inventory: fail closed
  ASSERT_EQ(unknown.deny.size(), 1u);
  EXPECT_TRUE(unknown.deny[0].error);
}

TEST(PolicySetTest, TemplatesAreIsolatedFromEachOther) {
  // Two templates with the same package and a rule of the same name.
  std::string yaml;
  for (const char* kind : {"K8sOne", "K8sTwo"}) {
    std::string lower = absl::AsciiStrToLower(kind);
    yaml += absl::StrCat(R"(---
apiVersion: templates.gatekeeper.sh/v1beta1
kind: ConstraintTemplate
metadata: {name: )", lower, R"(}
spec:
  crd: {spec: {names: {kind: )", kind, R"(}}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package same
      who := ")", kind, R"("
      violation[{"msg": who}] { true }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: )", kind, R"(
metadata: {name: )", lower, "-c}\n");
  }
  auto set = Build(yaml);
  ASSERT_NE(set, nullptr);
  Decision d = set->Review(NamespaceRequest("{}"), EvalOptions{});
  EXPECT_EQ(ResultMessages(d.deny),
            (std::vector<std::string>{"[k8sone-c] K8sOne", "[k8stwo-c] K8sTwo"}));
}

TEST(PolicySetTest, ErrorsNameTheFileTheObjectAndTheReason) {
  struct Case { std::string yaml; const char* error; };
  for (const Case& c : {
           Case{std::string(kRequiredLabelsTemplate) +
                    Constraint("bad-params", "  parameters: {labels: test}\n"),
                "test.yaml: K8sRequiredLabels bad-params: parameters do not match "
                "the template's schema: labels: Invalid type. Expected: array, "
                "given: string"},
           Case{Constraint("orphan", "  parameters: {}\n"),
                "test.yaml: K8sRequiredLabels orphan: no ConstraintTemplate "
                "defines kind K8sRequiredLabels"},
           Case{std::string(kRequiredLabelsTemplate) + "---\n" + kRequiredLabelsTemplate,
                "test.yaml: ConstraintTemplate k8srequiredlabels: kind "
                "K8sRequiredLabels is defined again (first in test.yaml)"},
           Case{std::string(kRequiredLabelsTemplate) +
                    Constraint("c", kNamespaceMatch) + Constraint("c", kNamespaceMatch),
                "test.yaml: K8sRequiredLabels c: defined again (first in test.yaml)"},
           Case{"apiVersion: templates.gatekeeper.sh/v1\nkind: Other\nmetadata: {name: x}",
                "test.yaml: Other x: templates.gatekeeper.sh objects must be of "
                "kind ConstraintTemplate"},
       }) {
    absl::StatusOr<std::shared_ptr<const PolicySet>> set =
        PolicySet::Build(Objects(c.yaml), Value());
    ASSERT_FALSE(set.ok()) << c.error;
    EXPECT_EQ(set.status().message(), c.error);
  }
}

TEST(PolicySetTest, RecognisesGatekeeperObjects) {
  EXPECT_TRUE(PolicySet::IsGatekeeperObject(
      Object("apiVersion: templates.gatekeeper.sh/v1beta1")));
  EXPECT_TRUE(PolicySet::IsGatekeeperObject(
      Object("apiVersion: constraints.gatekeeper.sh/v1beta1")));
  EXPECT_FALSE(PolicySet::IsGatekeeperObject(Object("apiVersion: v1")));
}

}  // namespace
}  // namespace policyd::admission
