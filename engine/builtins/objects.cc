#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterObjectBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
