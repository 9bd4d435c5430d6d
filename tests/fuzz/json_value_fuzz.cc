// JSON text -> Value -> JSON text: parse errors are fine; a parsed value
// prints and reads back to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/value/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto v = policyd::ParseJson(text);
  if (!v.ok()) return 0;
  auto again = policyd::ParseJson(v->ToJson());
  if (!again.ok() || *again != *v) std::abort();
  return 0;
}
