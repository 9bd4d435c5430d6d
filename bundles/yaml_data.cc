#include "bundles/yaml_data.h"

#include "engine/builtins/yaml.h"

namespace policyd::bundles {

absl::StatusOr<Value> ParseYaml(std::string_view text) { return YamlToValue(text); }

}  // namespace policyd::bundles
