#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterComparisonBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
