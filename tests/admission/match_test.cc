#include "admission/match.h"

#include "admission/admission_review.h"
#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

const char kInventory[] = R"(
cluster:
  v1:
    Namespace:
      prod: {apiVersion: v1, kind: Namespace, metadata: {name: prod, labels: {env: prod}}}
      dev: {apiVersion: v1, kind: Namespace, metadata: {name: dev, labels: {env: dev}}}
)";

const char kPod[] = R"(
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: prod, labels: {app: web}}
)";

const char kDeployment[] = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: dev, labels: {app: api}}
)";

const char kNamespace[] = R"(
apiVersion: v1
kind: Namespace
metadata: {name: kube-system, labels: {system: "true"}}
)";

const char kClusterRole[] = R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: admin}
)";

class MatchTest : public ::testing::Test {
 protected:
  // Whether `match` (YAML of spec.match) applies to `object` on CREATE.
  absl::StatusOr<bool> Applies(const std::string& match,
                               const std::string& object) {
    Value m = Object(match);
    absl::StatusOr<Match> parsed = ParseMatch(&m);
    if (!parsed.ok()) return parsed.status();
    request_ = RequestForObject(Object(object), "CREATE");
    return Matches(*parsed, TargetOf(request_, inventory_));
  }
  bool Yes(const std::string& match, const std::string& object) {
    absl::StatusOr<bool> r = Applies(match, object);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() && *r;
  }

  Value inventory_ = Object(kInventory);
  Value request_;
};

TEST_F(MatchTest, EmptyMatchAppliesToEverything) {
  EXPECT_TRUE(Yes("{}", kPod));
  EXPECT_TRUE(Yes("{}", kClusterRole));
  absl::StatusOr<Match> none = ParseMatch(nullptr);
  ASSERT_TRUE(none.ok());
}

TEST_F(MatchTest, Kinds) {
  EXPECT_TRUE(Yes("kinds: [{apiGroups: [''], kinds: [Pod]}]", kPod));
  EXPECT_FALSE(Yes("kinds: [{apiGroups: [''], kinds: [Pod]}]", kDeployment));
  EXPECT_FALSE(Yes("kinds: [{apiGroups: [''], kinds: [Deployment]}]", kDeployment));
  EXPECT_TRUE(Yes("kinds: [{apiGroups: [apps], kinds: [Deployment]}]", kDeployment));
  EXPECT_TRUE(Yes("kinds: [{apiGroups: ['*'], kinds: [Deployment]}]", kDeployment));
  EXPECT_TRUE(Yes("kinds: [{apiGroups: [apps], kinds: ['*']}]", kDeployment));
  EXPECT_TRUE(Yes(
      "kinds: [{apiGroups: [''], kinds: [Pod]}, {apiGroups: [apps], kinds: [Deployment]}]",
      kDeployment));
}

TEST_F(MatchTest, NamespacesWithGlobs) {
  EXPECT_TRUE(Yes("namespaces: [prod]", kPod));
  EXPECT_FALSE(Yes("namespaces: [dev]", kPod));
  EXPECT_TRUE(Yes("namespaces: ['pro*']", kPod));
  EXPECT_TRUE(Yes("namespaces: ['*od']", kPod));
  // A Namespace object stands for its own namespace.
  EXPECT_TRUE(Yes("namespaces: ['kube-*']", kNamespace));
  EXPECT_FALSE(Yes("namespaces: [prod]", kNamespace));
  // Other cluster-scoped objects are not filtered by namespaces.
  EXPECT_TRUE(Yes("namespaces: [prod]", kClusterRole));
}

TEST_F(MatchTest, ExcludedNamespaces) {
  EXPECT_FALSE(Yes("excludedNamespaces: [prod]", kPod));
  EXPECT_FALSE(Yes("excludedNamespaces: ['*-system']", kNamespace));
  EXPECT_TRUE(Yes("excludedNamespaces: ['kube-*']", kPod));
  EXPECT_TRUE(Yes("excludedNamespaces: ['kube-*']", kClusterRole));
}

TEST_F(MatchTest, LabelSelector) {
  EXPECT_TRUE(Yes("labelSelector: {matchLabels: {app: web}}", kPod));
  EXPECT_FALSE(Yes("labelSelector: {matchLabels: {app: db}}", kPod));
  EXPECT_TRUE(Yes(
      "labelSelector: {matchExpressions: [{key: app, operator: NotIn, values: [db]}]}",
      kPod));
  EXPECT_FALSE(Yes(
      "labelSelector: {matchExpressions: [{key: app, operator: DoesNotExist}]}",
      kPod));
}

TEST_F(MatchTest, LabelSelectorReadsTheOldObjectOnDelete) {
  Value m = Object("labelSelector: {matchLabels: {app: web}}");
  Match match = *ParseMatch(&m);
  Value request = Object(R"(
kind: {group: '', version: v1, kind: Pod}
namespace: prod
name: web-1
operation: DELETE
oldObject: {metadata: {name: web-1, labels: {app: web}}}
)");
  EXPECT_TRUE(*Matches(match, TargetOf(request, inventory_)));
}

TEST_F(MatchTest, NamespaceSelectorReadsTheInventory) {
  EXPECT_TRUE(Yes("namespaceSelector: {matchLabels: {env: prod}}", kPod));
  EXPECT_FALSE(Yes("namespaceSelector: {matchLabels: {env: prod}}", kDeployment));
  // A Namespace is matched by its own labels; other cluster-scoped objects
  // always match.
  EXPECT_TRUE(Yes("namespaceSelector: {matchLabels: {system: 'true'}}", kNamespace));
  EXPECT_FALSE(Yes("namespaceSelector: {matchLabels: {env: prod}}", kNamespace));
  EXPECT_TRUE(Yes("namespaceSelector: {matchLabels: {env: prod}}", kClusterRole));
}

TEST_F(MatchTest, NamespaceSelectorFailsClosedForAnUnknownNamespace) {
  absl::StatusOr<bool> r = Applies(
      "namespaceSelector: {matchLabels: {env: prod}}",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: nowhere}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("\"nowhere\" is not in the inventory"),
            absl::string_view::npos);
}

TEST_F(MatchTest, NameWithGlobs) {
  EXPECT_TRUE(Yes("name: web-1", kPod));
  EXPECT_TRUE(Yes("name: 'web-*'", kPod));
  EXPECT_FALSE(Yes("name: 'api-*'", kPod));
}

TEST_F(MatchTest, Scope) {
  EXPECT_TRUE(Yes("scope: Namespaced", kPod));
  EXPECT_FALSE(Yes("scope: Namespaced", kClusterRole));
  EXPECT_FALSE(Yes("scope: Namespaced", kNamespace));
  EXPECT_TRUE(Yes("scope: Cluster", kNamespace));
  EXPECT_FALSE(Yes("scope: Cluster", kPod));
  EXPECT_TRUE(Yes("scope: '*'", kPod));
  EXPECT_TRUE(Yes("scope: '*'", kClusterRole));
}

TEST_F(MatchTest, SourceOfAdmissionRequestsIsOriginal) {
  EXPECT_TRUE(Yes("source: All", kPod));
  EXPECT_TRUE(Yes("source: Original", kPod));
  EXPECT_FALSE(Yes("source: Generated", kPod));
}

TEST_F(MatchTest, RefusesMalformedFields) {
  struct Case { const char* match; const char* error; };
  for (const Case& c : {
           Case{"kinds: Pod", "spec.match.kinds: expected a list"},
           Case{"kinds: [{apiGroups: '', kinds: [Pod]}]",
                "spec.match.kinds[0].apiGroups: expected a list of strings"},
           Case{"namespaces: prod", "spec.match.namespaces: expected a list of strings"},
           Case{"scope: Everything",
                "spec.match.scope: expected \"*\", \"Namespaced\" or \"Cluster\""},
           Case{"source: Mine",
                "spec.match.source: expected \"All\", \"Original\" or \"Generated\""},
           Case{"name: [a]", "spec.match.name: expected a string"},
           Case{"namespaceSelector: {matchExpressions: [{key: a, operator: In}]}",
                "spec.match.namespaceSelector.matchExpressions[0]: operators In "
                "and NotIn need values"},
       }) {
    absl::StatusOr<bool> r = Applies(c.match, kPod);
    ASSERT_FALSE(r.ok()) << c.match;
    EXPECT_EQ(r.status().message(), c.error);
  }
}

}  // namespace
}  // namespace policyd::admission
