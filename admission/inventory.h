// data.inventory as Gatekeeper syncs it: namespaced objects at
// namespace[ns][apiVersion][kind][name], cluster-scoped ones at
// cluster[apiVersion][kind][name].
#ifndef POLICYD_ADMISSION_INVENTORY_H_
#define POLICYD_ADMISSION_INVENTORY_H_

#include <vector>

#include "absl/status/statusor.h"
#include "admission/objects.h"
#include "engine/value/value.h"

namespace policyd::admission {

// Refuses objects without apiVersion, kind or metadata.name, and the same
// object twice; errors name the file and the object.
absl::StatusOr<Value> BuildInventory(const std::vector<ObjectSource>& objects);

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_INVENTORY_H_
