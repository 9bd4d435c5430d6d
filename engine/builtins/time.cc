#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterTimeBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
