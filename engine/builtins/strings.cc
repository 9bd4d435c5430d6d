#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterStringBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
