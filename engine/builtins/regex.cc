#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterRegexBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
