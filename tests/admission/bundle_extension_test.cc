#include "admission/bundle_extension.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "admission/fields.h"
#include "admission/admission_review.h"
#include "bundles/store.h"
#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

const char kConstraint[] = R"(
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: ns-must-have-test}
spec:
  match:
    kinds: [{apiGroups: [''], kinds: [Namespace]}]
    namespaceSelector: {matchLabels: {managed: 'true'}}
  parameters: {labels: [test]}
)";

class BundleExtensionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDir();
    Write("bundles/k8s/template.yaml", kRequiredLabelsTemplate);
    Write("bundles/k8s/constraint.yaml", kConstraint);
    Write("bundles/k8s/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\n");
    Write("bundles/k8s/notes.yaml", "this: [is not: yaml");
  }
  void Write(const std::string& name, const std::string& text) {
    WriteFile(dir_, name, text);
  }
  absl::StatusOr<std::unique_ptr<bundles::Store>> Open(
      const std::string& inventory_dir = "") {
    bundles::StoreOptions options;
    options.extension = AdmissionExtensionBuilder(inventory_dir);
    return bundles::Store::Open((dir_ / "bundles").string(), options);
  }
  static Decision Review(const bundles::Store& store, const std::string& ns) {
    std::shared_ptr<const PolicySet> set =
        AdmissionPolicies(*store.Current());
    EXPECT_NE(set, nullptr);
    return set->Review(
        RequestForObject(Object("apiVersion: v1\nkind: Namespace\nmetadata: "
                                "{name: " + ns + ", labels: {managed: 'true'}}"),
                         "CREATE"),
        EvalOptions{});
  }

  std::filesystem::path dir_;
};

TEST_F(BundleExtensionTest, GatekeeperFilesLoadWithTheSnapshot) {
  auto store = Open();
  ASSERT_TRUE(store.ok()) << store.status();
  std::shared_ptr<const PolicySet> set = AdmissionPolicies(*(*store)->Current());
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->template_count(), 1u);
  EXPECT_EQ(set->constraint_count(), 1u);
  EXPECT_FALSE(Review(**store, "team-a").allowed);
}

TEST_F(BundleExtensionTest, ABadTemplateKeepsTheLastGoodSnapshot) {
  auto store = Open();
  ASSERT_TRUE(store.ok()) << store.status();
  uint64_t generation = (*store)->Current()->generation();
  Write("bundles/k8s/constraint.yaml",
        std::string(kConstraint) + "---\n" + R"(
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: bad-parameters}
spec: {parameters: {labels: 7}}
)");
  absl::Status s = (*store)->Reload();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("k8s/constraint.yaml: K8sRequiredLabels "
                             "bad-parameters: parameters do not match"),
            absl::string_view::npos)
      << s;
  bundles::StoreStatus status = (*store)->Status();
  ASSERT_FALSE(status.errors.empty());
  EXPECT_EQ(status.errors[0].bundle, "k8s");
  EXPECT_EQ((*store)->Current()->generation(), generation);
  EXPECT_FALSE(Review(**store, "team-a").allowed);  // still enforced
}

TEST_F(BundleExtensionTest, AnUnparsableGatekeeperFileFailsTheLoad) {
  Write("bundles/k8s/template.yaml",
        "apiVersion: templates.gatekeeper.sh/v1\nkind: [ConstraintTemplate\n");
  auto store = Open();
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("template.yaml"), absl::string_view::npos);
}

TEST_F(BundleExtensionTest, InventoryFromADirectoryAndFromBundleData) {
  Write("inventory/namespaces.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: {managed: 'true'}}\n");
  Write("bundles/k8s/inventory/namespace/team-a/v1/ConfigMap/c/data.json",
        R"({"metadata": {"name": "c"}})");
  auto store = Open((dir_ / "inventory").string());
  ASSERT_TRUE(store.ok()) << store.status();
  const Value& inventory = AdmissionPolicies(*(*store)->Current())->inventory();
  EXPECT_NE(FieldAt(inventory, {"cluster", "v1", "Namespace", "team-a"}), nullptr);
  EXPECT_NE(FieldAt(inventory, {"namespace", "team-a", "v1", "ConfigMap", "c"}), nullptr);
}

TEST_F(BundleExtensionTest, ABadInventoryFailsTheLoad) {
  Write("inventory/bad.yaml", "kind: Pod\n");
  auto store = Open((dir_ / "inventory").string());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("inventory: "), absl::string_view::npos)
      << store.status();
}

}  // namespace
}  // namespace policyd::admission
