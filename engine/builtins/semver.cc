#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterSemverBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
