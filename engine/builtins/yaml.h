// The one YAML-to-Value converter: yaml.unmarshal and bundle (and -d/-i)
// YAML files use it, so both resolve scalars as OPA does. OPA reads YAML
// with sigs.k8s.io/yaml over go-yaml v2: YAML 1.1 resolution (yes/no/on/off/
// y/n booleans, 0x1F hex, 0o17 and 017 octal, 1_000 underscores, `<<` merge
// keys, .inf/.nan refused as JSON cannot hold them, timestamps stay strings).
#ifndef POLICYD_ENGINE_BUILTINS_YAML_H_
#define POLICYD_ENGINE_BUILTINS_YAML_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd {

// One YAML document to a Value; mapping keys become strings. Refuses, with
// a clear error, documents whose aliases expand beyond a node budget (the
// text's size plus one million nodes: an alias-free document never reaches
// it) and nesting deeper than 1,000. Errors read "yaml: line L: WHAT".
absl::StatusOr<Value> YamlToValue(std::string_view text);

// Every document of a multi-document stream (`---` separated), in order;
// empty documents are skipped. Same scalars, budget and errors; the budget
// covers the whole stream.
absl::StatusOr<std::vector<Value>> YamlDocumentsToValues(std::string_view text);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_YAML_H_
