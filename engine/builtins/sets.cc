#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterSetBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
