#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterJwtBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
