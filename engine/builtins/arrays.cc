#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterArrayBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
