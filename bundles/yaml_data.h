// YAML text (a bundle's data.yaml) to Value, with YAML 1.2 core-schema
// scalars: null/~/empty, true/false, JSON-style numbers; anything else
// (and every quoted scalar) is a string. Mapping keys become strings.
#ifndef POLICYD_BUNDLES_YAML_DATA_H_
#define POLICYD_BUNDLES_YAML_DATA_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd::bundles {

// Errors read "line L, column C: WHAT".
absl::StatusOr<Value> ParseYaml(std::string_view text);

// Every document of a multi-document stream (`---` separated), in order;
// empty documents are skipped. Same scalars and errors as ParseYaml.
absl::StatusOr<std::vector<Value>> ParseYamlDocuments(std::string_view text);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_YAML_DATA_H_
