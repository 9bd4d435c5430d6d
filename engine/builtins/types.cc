#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterTypeBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
