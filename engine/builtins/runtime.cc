// Builtins about the running engine rather than values: opa.runtime, trace
// and http.send. policyd evaluates policies without side channels: it
// exposes no runtime configuration, collects no traces, and makes no
// outbound calls, but these builtins exist so that policies written for OPA
// compile (including `with http.send as ...` mocks in tests).
#include <string_view>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/http_request.h"
#include "engine/value/value.h"

namespace policyd {
namespace {

using Args = absl::Span<const Value>;

constexpr std::string_view kNotSupported = "not supported by policyd";

// OPA returns the runtime's config, environment and version here; without a
// runtime configuration it is the empty object.
BuiltinResult OpaRuntime(BuiltinContext&, Args) { return ValueResult(Value::Object({})); }

// A trace note for OPA's tracers; evaluation goes on (true).
BuiltinResult Trace(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("trace", 1, args[0], Kind::kString));
  return BoolResult(true);
}

// OPA's checks on the request come first, with OPA's errors; a valid
// request then fails as a network failure would: an error, or with
// raise_error false a response with status_code 0 and the error in it.
BuiltinResult HttpSend(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "http.send";
  const Value& request = args[0];
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, request, Kind::kObject));
  bool raise_error = true;
  if (const Value* v = request.Find("raise_error")) {
    if (!v->is_bool()) return BuiltinError(kName, "invalid value for raise_error field");
    raise_error = v->boolean();
  }
  absl::Status status = CheckHttpRequestKeys(kName, 1, request);
  if (status.ok()) status = BuiltinError(kName, kNotSupported);
  if (raise_error) return status;
  std::string_view message = MessageOf(status);
  return ValueResult(Value::Object({
      {Value::String("status_code"), Value::Int(0)},
      {Value::String("error"),
       Value::Object({{Value::String("code"), Value::String("eval_http_send_internal_error")},
                      {Value::String("message"), Value::String(message)}})},
  }));
}

}  // namespace

void RegisterRuntimeBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "opa.runtime", .arity = 0, .fn = OpaRuntime, .nondeterministic = true});
  registry.Add({.name = "trace", .arity = 1, .fn = Trace});
  registry.Add({.name = "http.send", .arity = 1, .fn = HttpSend, .nondeterministic = true});
}

}  // namespace policyd
