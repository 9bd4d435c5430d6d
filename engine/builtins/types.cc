// Type tests (is_number, ..., type_name) and the deprecated cast_* builtins
// kept for Rego v0 policies.
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"

namespace policyd {
namespace {

template <Kind K>
BuiltinResult IsKind(BuiltinContext&, absl::Span<const Value> args) {
  return BoolResult(args[0].kind() == K);
}

BuiltinResult TypeName(BuiltinContext&, absl::Span<const Value> args) {
  return ValueResult(Value::String(KindName(args[0].kind())));
}

// cast_string, cast_boolean, cast_null, cast_object: the value if it already
// has the kind, else a type error.
template <Kind K>
BuiltinResult CastIdentity(std::string_view name, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], K));
  return ValueResult(args[0]);
}

BuiltinResult CastString(BuiltinContext&, absl::Span<const Value> args) {
  return CastIdentity<Kind::kString>("cast_string", args);
}
BuiltinResult CastBoolean(BuiltinContext&, absl::Span<const Value> args) {
  return CastIdentity<Kind::kBoolean>("cast_boolean", args);
}
BuiltinResult CastNull(BuiltinContext&, absl::Span<const Value> args) {
  return CastIdentity<Kind::kNull>("cast_null", args);
}
BuiltinResult CastObject(BuiltinContext&, absl::Span<const Value> args) {
  return CastIdentity<Kind::kObject>("cast_object", args);
}

BuiltinResult CastArray(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  if (v.is_array()) return ValueResult(v);
  if (v.is_set()) return ValueResult(Value::Array(CopyElements(v.elements())));
  return OperandTypeError("cast_array", 1, "one of {array, set}", v);
}

BuiltinResult CastSet(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  if (v.is_set()) return ValueResult(v);
  if (v.is_array()) return ValueResult(Value::Set(CopyElements(v.elements())));
  return OperandTypeError("cast_set", 1, "one of {array, set}", v);
}

}  // namespace

void RegisterTypeBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "is_number", .arity = 1, .fn = IsKind<Kind::kNumber>});
  registry.Add({.name = "is_string", .arity = 1, .fn = IsKind<Kind::kString>});
  registry.Add({.name = "is_boolean", .arity = 1, .fn = IsKind<Kind::kBoolean>});
  registry.Add({.name = "is_array", .arity = 1, .fn = IsKind<Kind::kArray>});
  registry.Add({.name = "is_set", .arity = 1, .fn = IsKind<Kind::kSet>});
  registry.Add({.name = "is_object", .arity = 1, .fn = IsKind<Kind::kObject>});
  registry.Add({.name = "is_null", .arity = 1, .fn = IsKind<Kind::kNull>});
  registry.Add({.name = "type_name", .arity = 1, .fn = TypeName});
  registry.Add({.name = "cast_array", .arity = 1, .fn = CastArray});
  registry.Add({.name = "cast_set", .arity = 1, .fn = CastSet});
  registry.Add({.name = "cast_string", .arity = 1, .fn = CastString});
  registry.Add({.name = "cast_boolean", .arity = 1, .fn = CastBoolean});
  registry.Add({.name = "cast_null", .arity = 1, .fn = CastNull});
  registry.Add({.name = "cast_object", .arity = 1, .fn = CastObject});
}

}  // namespace policyd
