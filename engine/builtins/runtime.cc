// Builtins about the running engine rather than values: opa.runtime, trace
// and http.send. policyd evaluates policies without side channels: it
// exposes no runtime configuration, collects no traces, and makes no
// outbound calls, but these builtins exist so that policies written for OPA
// compile (including `with http.send as ...` mocks in tests).
#include <string_view>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/value/value.h"

namespace policyd {
namespace {

using Args = absl::Span<const Value>;

// OPA returns the runtime's config, environment and version here; without a
// runtime configuration it is the empty object.
BuiltinResult OpaRuntime(BuiltinContext&, Args) { return ValueResult(Value::Object({})); }

// A trace note for OPA's tracers; evaluation goes on (true).
BuiltinResult Trace(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("trace", 1, args[0], Kind::kString));
  return BoolResult(true);
}

BuiltinResult HttpSend(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("http.send", 1, args[0], Kind::kObject));
  return BuiltinError("http.send", "not supported by policyd");
}

}  // namespace

void RegisterRuntimeBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "opa.runtime", .arity = 0, .fn = OpaRuntime, .nondeterministic = true});
  registry.Add({.name = "trace", .arity = 1, .fn = Trace});
  registry.Add({.name = "http.send", .arity = 1, .fn = HttpSend, .nondeterministic = true});
}

}  // namespace policyd
