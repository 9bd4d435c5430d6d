#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterNetBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
