#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterSprintfBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
