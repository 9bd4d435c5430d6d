#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterEncodingBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
