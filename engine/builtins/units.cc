#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterUnitsBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
