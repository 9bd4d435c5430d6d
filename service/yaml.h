// YAML text to Value, the way OPA loads data.yaml files: YAML 1.2 core
// scalars (null, booleans, numbers) become JSON values, quoted scalars stay
// strings, mapping keys become strings.
#ifndef POLICYD_SERVICE_YAML_H_
#define POLICYD_SERVICE_YAML_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd {

// The first document of `text`; an empty text is null.
absl::StatusOr<Value> ParseYaml(std::string_view text);

}  // namespace policyd

#endif  // POLICYD_SERVICE_YAML_H_
