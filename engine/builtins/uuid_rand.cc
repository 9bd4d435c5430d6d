#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterUuidRandBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
