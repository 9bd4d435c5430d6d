// YAML text -> Value through the one converter (yaml.unmarshal, bundle
// data): errors are fine, crashes and runaway alias expansion are not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/builtins/yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto v = policyd::YamlToValue(text);
  if (v.ok()) (void)v->ToJson();
  return 0;
}
