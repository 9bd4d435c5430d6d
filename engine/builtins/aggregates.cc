#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterAggregateBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
