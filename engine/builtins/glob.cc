#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterGlobBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
