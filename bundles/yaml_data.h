// YAML text (a bundle's data.yaml, -d/-i files) to Value, as OPA's loader
// reads it: YAML 1.1 scalars through the engine's one converter
// (engine/builtins/yaml.h), aliases bounded by a node budget.
#ifndef POLICYD_BUNDLES_YAML_DATA_H_
#define POLICYD_BUNDLES_YAML_DATA_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd::bundles {

// Errors read "yaml: line L: WHAT".
absl::StatusOr<Value> ParseYaml(std::string_view text);

// Every document of a multi-document stream (`---` separated), in order;
// empty documents are skipped. Same scalars and errors as ParseYaml.
absl::StatusOr<std::vector<Value>> ParseYamlDocuments(std::string_view text);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_YAML_DATA_H_
