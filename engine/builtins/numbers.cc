#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterNumberBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
