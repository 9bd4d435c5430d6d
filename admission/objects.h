// Kubernetes objects read from YAML or JSON files: one or many documents per
// file, `kind: List` expanded into its items. Used for Gatekeeper objects in
// bundles, inventories (`--inventory DIR`) and suite files.
#ifndef POLICYD_ADMISSION_OBJECTS_H_
#define POLICYD_ADMISSION_OBJECTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/value/value.h"

namespace policyd::admission {

struct ObjectSource {
  std::string file;  // where it was read, for messages
  Value object;
};

// "Kind name" of an object, for messages ("K8sRequiredLabels ns-must-have").
std::string ObjectLabel(const Value& object);

// The objects in `text` (YAML, of which JSON is a subset). Errors start with
// `file`.
absl::StatusOr<std::vector<ObjectSource>> ParseObjects(std::string_view text,
                                                       absl::string_view file);

// The objects of the file at `path`, or of every .yaml, .yml and .json file
// below the directory at `path` (in path order).
absl::StatusOr<std::vector<ObjectSource>> ReadObjects(const std::string& path);

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_OBJECTS_H_
