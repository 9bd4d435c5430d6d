#include "bundles/yaml_data.h"

#include "engine/builtins/yaml.h"

namespace policyd::bundles {

absl::StatusOr<Value> ParseYaml(std::string_view text) { return YamlToValue(text); }

absl::StatusOr<std::vector<Value>> ParseYamlDocuments(std::string_view text) {
  return YamlDocumentsToValues(text);
}

}  // namespace policyd::bundles
