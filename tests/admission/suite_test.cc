#include "admission/suite.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

class SuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDir();
    Write("template.yaml", kRequiredLabelsTemplate);
    Write("constraint.yaml", R"(
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: ns-must-have-test}
spec:
  match:
    kinds: [{apiGroups: [''], kinds: [Namespace]}]
    namespaceSelector: {matchLabels: {managed: 'true'}}
  parameters: {labels: [test]}
)");
    Write("samples/good.yaml",
          "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {test: x, managed: 'true'}}\n");
    Write("samples/bad.yaml",
          "apiVersion: v1\nkind: Namespace\nmetadata: {name: b, labels: {managed: 'true'}}\n");
    Write("samples/unmanaged.yaml",
          "apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n");
  }
  void Write(const std::string& name, const std::string& text) {
    WriteFile(dir_, name, text);
  }
  std::string Suite(const std::string& cases) {
    return "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\ntests:\n"
           "- name: required-labels\n  template: template.yaml\n"
           "  constraint: constraint.yaml\n  cases:\n" + cases;
  }
  std::vector<CaseResult> Run(const std::string& suite) {
    Write("suite.yaml", suite);
    absl::StatusOr<std::vector<CaseResult>> r =
        RunSuiteFile((dir_ / "suite.yaml").string());
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : std::vector<CaseResult>{};
  }

  std::filesystem::path dir_;
};

TEST_F(SuiteTest, PassingCases) {
  std::vector<CaseResult> r = Run(Suite(R"(
  - name: good
    object: samples/good.yaml
    assertions: [{violations: no}]
  - name: bad
    object: samples/bad.yaml
    assertions:
    - violations: yes
    - violations: 1
      message: 'must provide labels: .*test'
    - violations: 0
      message: unrelated
  - name: unmanaged
    object: samples/unmanaged.yaml
    assertions: [{violations: 0}]
)"));
  ASSERT_EQ(r.size(), 3u);
  for (const CaseResult& c : r) EXPECT_TRUE(c.passed) << c.name << ": " << c.detail;
  EXPECT_EQ(r[1].name, (dir_ / "suite.yaml").string() + "/required-labels/bad");
}

TEST_F(SuiteTest, FailingCasesSayWhy) {
  std::vector<CaseResult> r = Run(Suite(R"(
  - name: wrongly-expects-none
    object: samples/bad.yaml
    assertions: [{violations: no}]
  - name: wrong-message
    object: samples/bad.yaml
    assertions: [{violations: yes, message: '^nope'}]
  - name: missing-object
    object: samples/none.yaml
    assertions: [{violations: no}]
)"));
  ASSERT_EQ(r.size(), 3u);
  for (const CaseResult& c : r) EXPECT_FALSE(c.passed) << c.name;
  EXPECT_EQ(r[0].detail,
            "expected 0 violation(s), got 1; violations: [ns-must-have-test] "
            "you must provide labels: {\"test\"}");
  EXPECT_EQ(r[1].detail.substr(0, 56),
            "expected at least 1 violation(s) matching \"^nope\", got 0");
  EXPECT_NE(r[2].detail.find("samples/none.yaml"), std::string::npos);
}

TEST_F(SuiteTest, InventoryFilesFeedTheNamespaceSelector) {
  Write("samples/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\n");
  Write("samples/team-ns.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {managed: 'true'}}\n");
  Write("constraint.yaml", R"(
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: pods-in-managed}
spec:
  match:
    kinds: [{apiGroups: [''], kinds: [Pod]}]
    namespaceSelector: {matchLabels: {managed: 'true'}}
  parameters: {labels: [test]}
)");
  std::vector<CaseResult> r = Run(Suite(R"(
  - name: managed-namespace
    object: samples/pod.yaml
    inventory: [samples/team-ns.yaml]
    assertions: [{violations: 1}]
)"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].passed) << r[0].detail;
}

TEST_F(SuiteTest, ABadTemplateFailsEachCase) {
  Write("template.yaml", "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\n"
                         "metadata: {name: k8srequiredlabels}\nspec: {}\n");
  std::vector<CaseResult> r = Run(Suite(R"(
  - name: a
    object: samples/good.yaml
    assertions: [{violations: no}]
  - name: b
    object: samples/bad.yaml
    assertions: [{violations: yes}]
)"));
  ASSERT_EQ(r.size(), 2u);
  for (const CaseResult& c : r) {
    EXPECT_FALSE(c.passed);
    EXPECT_NE(c.detail.find("spec.crd.spec.names.kind: is required"), std::string::npos)
        << c.detail;
  }
}

TEST_F(SuiteTest, FindsSuiteFilesInADirectory) {
  Write("suite.yaml", Suite("  - {name: a, object: samples/good.yaml, assertions: [{violations: no}]}\n"));
  absl::StatusOr<std::vector<std::string>> files = FindSuiteFiles(dir_.string());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(*files, std::vector<std::string>{(dir_ / "suite.yaml").string()});
}

}  // namespace
}  // namespace policyd::admission
