// Admission policies served from bundles: the Gatekeeper objects
// (templates.gatekeeper.sh/*, constraints.gatekeeper.sh/*) in the YAML files
// of a snapshot's bundles, compiled with the snapshot. Other YAML documents
// are left alone; a file that does not parse is an error only if it mentions
// a Gatekeeper API group. data.inventory merges the bundles' own
// data.inventory with the objects of the `--inventory` directory, read again
// whenever a snapshot is built (that is, when a bundle changed).
#ifndef POLICYD_ADMISSION_BUNDLE_EXTENSION_H_
#define POLICYD_ADMISSION_BUNDLE_EXTENSION_H_

#include <memory>
#include <string>

#include "admission/policy_set.h"
#include "bundles/snapshot.h"

namespace policyd::admission {

class AdmissionExtension : public bundles::SnapshotExtension {
 public:
  explicit AdmissionExtension(std::shared_ptr<const PolicySet> policies)
      : policies_(std::move(policies)) {}
  const std::shared_ptr<const PolicySet>& policies() const { return policies_; }

 private:
  std::shared_ptr<const PolicySet> policies_;
};

// `inventory_dir` is "" for none. Errors name the bundle and file at fault.
bundles::ExtensionBuilder AdmissionExtensionBuilder(std::string inventory_dir);

// The admission policies of `snapshot`; null when the store was opened
// without AdmissionExtensionBuilder (or before the first load).
std::shared_ptr<const PolicySet> AdmissionPolicies(
    const bundles::Snapshot& snapshot);

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_BUNDLE_EXTENSION_H_
