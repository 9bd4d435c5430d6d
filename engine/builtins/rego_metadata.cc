// rego.metadata.chain() and rego.metadata.rule(): the METADATA annotations
// of the rule the call is in. Only the compiler knows that rule, so it
// replaces each call with the annotations as a constant
// (compile/annotations.h); the names are registered so that the calls pass
// name and arity checks. A call that reaches evaluation is an error.
#include <string_view>

#include "engine/builtins/builtin.h"

namespace policyd {
namespace {

BuiltinResult Chain(BuiltinContext&, absl::Span<const Value>) {
  return BuiltinError("rego.metadata.chain", "must be resolved at compile time");
}

BuiltinResult Rule(BuiltinContext&, absl::Span<const Value>) {
  return BuiltinError("rego.metadata.rule", "must be resolved at compile time");
}

}  // namespace

// Marked non-deterministic so that constant folding never calls them.
void RegisterRegoMetadataBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "rego.metadata.chain", .arity = 0, .fn = Chain,
                .nondeterministic = true});
  registry.Add({.name = "rego.metadata.rule", .arity = 0, .fn = Rule,
                .nondeterministic = true});
}

}  // namespace policyd
