// Rego text -> compiled engine -> one decision on `data`: errors are fine,
// crashes are not. The step budget keeps each input quick.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  policyd::SourceModule module{"f.rego", std::string(reinterpret_cast<const char*>(data), size),
                               policyd::ast::RegoVersion::kV1};
  auto engine = policyd::Engine::Compile({module}, policyd::Value::Object({}));
  if (!engine.ok()) return 0;
  auto query = (*engine)->Prepare("data");
  if (!query.ok()) return 0;
  policyd::EvalOptions options;
  options.max_steps = 100000;
  options.max_memory_bytes = 16 << 20;
  (void)query->EvalValue(options);
  return 0;
}
