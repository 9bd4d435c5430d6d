#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterBitsBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
