#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterCryptoBuiltins(BuiltinRegistry& registry) { (void)registry; }

}  // namespace policyd
