#include "admission/inventory.h"

#include "absl/strings/match.h"
#include "admission/fields.h"
#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

TEST(InventoryTest, PlacesObjectsAsGatekeeperSyncsThem) {
  absl::StatusOr<Value> inv = BuildInventory(Objects(R"(
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: prod}
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Service, metadata: {name: web, namespace: prod}}
)"));
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_NE(FieldAt(*inv, {"cluster", "v1", "Namespace", "prod"}), nullptr);
  EXPECT_NE(FieldAt(*inv, {"namespace", "prod", "apps/v1", "Deployment", "api"}), nullptr);
  EXPECT_NE(FieldAt(*inv, {"namespace", "prod", "v1", "Service", "web"}), nullptr);
}

TEST(InventoryTest, RefusesIncompleteAndRepeatedObjects) {
  absl::StatusOr<Value> missing = BuildInventory(Objects("kind: Pod\nmetadata: {name: a}"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "test.yaml: Pod a: an inventory object needs apiVersion, kind and "
            "metadata.name");
  absl::StatusOr<Value> twice = BuildInventory(Objects(
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"));
  ASSERT_FALSE(twice.ok());
  EXPECT_TRUE(absl::StartsWith(twice.status().message(), "test.yaml: Namespace a: "));
}

TEST(InventoryTest, EmptyInventoryIsAnEmptyObject) {
  absl::StatusOr<Value> inv = BuildInventory({});
  ASSERT_TRUE(inv.ok());
  EXPECT_TRUE(inv->is_object());
}

}  // namespace
}  // namespace policyd::admission
