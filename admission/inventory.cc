#include "admission/inventory.h"

#include "absl/strings/str_cat.h"
#include "admission/fields.h"
#include "bundles/data_tree.h"

namespace policyd::admission {

absl::StatusOr<Value> BuildInventory(const std::vector<ObjectSource>& objects) {
  bundles::DataTree tree;
  for (const ObjectSource& o : objects) {
    std::string api_version = StringAt(o.object, {"apiVersion"});
    std::string kind = StringAt(o.object, {"kind"});
    std::string name = StringAt(o.object, {"metadata", "name"});
    std::string ns = StringAt(o.object, {"metadata", "namespace"});
    std::string label = absl::StrCat(o.file, ": ", ObjectLabel(o.object));
    if (api_version.empty() || kind.empty() || name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(label,
                       ": an inventory object needs apiVersion, kind and "
                       "metadata.name"));
    }
    bundles::DataPath path =
        ns.empty()
            ? bundles::DataPath{"cluster", api_version, kind, name}
            : bundles::DataPath{"namespace", ns, api_version, kind, name};
    if (absl::Status s = tree.Insert(path, o.object, label); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(label, ": ", s.message()));
    }
  }
  return tree.Build();
}

}  // namespace policyd::admission
