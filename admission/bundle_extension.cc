#include "admission/bundle_extension.h"

#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "admission/inventory.h"
#include "bundles/data_tree.h"
#include "util/status_macros.h"

namespace policyd::admission {
namespace {

using BundleList = std::vector<std::shared_ptr<const bundles::Bundle>>;

// The Gatekeeper objects of the bundles' YAML files, named "BUNDLE/PATH".
absl::Status CollectObjects(const BundleList& list,
                            std::vector<ObjectSource>* out,
                            std::vector<bundles::BundleError>* errors) {
  for (const auto& bundle : list) {
    for (const bundles::BundleFile& f : bundle->yaml_files) {
      absl::StatusOr<std::vector<ObjectSource>> objects =
          ParseObjects(f.content, absl::StrCat(bundle->name, "/", f.path));
      if (!objects.ok()) {
        if (!absl::StrContains(f.content, "gatekeeper.sh/")) continue;
        errors->push_back({bundle->name, f.path, 0, 0,
                           std::string(objects.status().message())});
        return objects.status();
      }
      for (ObjectSource& o : *objects) {
        if (PolicySet::IsGatekeeperObject(o.object)) {
          out->push_back(std::move(o));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Value> Inventory(const Value& data,
                                const std::string& inventory_dir) {
  const Value* from_bundles =
      data.is_object() ? data.Find("inventory") : nullptr;
  if (inventory_dir.empty()) {
    return from_bundles != nullptr ? *from_bundles : Value::Object({});
  }
  POLICYD_ASSIGN_OR_RETURN(std::vector<ObjectSource> objects,
                           ReadObjects(inventory_dir));
  absl::StatusOr<Value> from_dir = BuildInventory(objects);
  if (!from_dir.ok() || from_bundles == nullptr) return from_dir;
  bundles::DataTree tree;
  POLICYD_RETURN_IF_ERROR(tree.Insert({}, *from_bundles, "data.inventory"));
  POLICYD_RETURN_IF_ERROR(tree.Insert({}, *from_dir, inventory_dir));
  return tree.Build();
}

// The bundle whose file an error message starts with ("BUNDLE/PATH: ...").
std::string BundleOf(const BundleList& list, absl::string_view message) {
  for (const auto& bundle : list) {
    if (absl::StartsWith(message, absl::StrCat(bundle->name, "/"))) {
      return bundle->name;
    }
  }
  return "";
}

}  // namespace

bundles::ExtensionBuilder AdmissionExtensionBuilder(std::string inventory_dir) {
  return [inventory_dir = std::move(inventory_dir)](
             const BundleList& list, const Value& data,
             std::vector<bundles::BundleError>* errors)
             -> std::shared_ptr<const bundles::SnapshotExtension> {
    std::vector<ObjectSource> objects;
    if (!CollectObjects(list, &objects, errors).ok()) return nullptr;
    absl::StatusOr<Value> inventory = Inventory(data, inventory_dir);
    if (!inventory.ok()) {
      errors->push_back(
          {"", inventory_dir, 0, 0,
           absl::StrCat("inventory: ", inventory.status().message())});
      return nullptr;
    }
    absl::StatusOr<std::shared_ptr<const PolicySet>> set =
        PolicySet::Build(objects, *inventory);
    if (!set.ok()) {
      errors->push_back({BundleOf(list, set.status().message()), "", 0, 0,
                         std::string(set.status().message())});
      return nullptr;
    }
    return std::make_shared<const AdmissionExtension>(*std::move(set));
  };
}

std::shared_ptr<const PolicySet> AdmissionPolicies(
    const bundles::Snapshot& snapshot) {
  const auto* ext =
      dynamic_cast<const AdmissionExtension*>(snapshot.extension().get());
  return ext == nullptr ? nullptr : ext->policies();
}

}  // namespace policyd::admission
