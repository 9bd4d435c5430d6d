// equal, neq, lt, lte, gt, gte: OPA's total order over any two values.
#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"

namespace policyd {
namespace {

template <bool (*Holds)(int)>
BuiltinResult CompareFn(BuiltinContext&, absl::Span<const Value> args) {
  return BoolResult(Holds(args[0].Compare(args[1])));
}

bool IsEq(int c) { return c == 0; }
bool IsNe(int c) { return c != 0; }
bool IsLt(int c) { return c < 0; }
bool IsLe(int c) { return c <= 0; }
bool IsGt(int c) { return c > 0; }
bool IsGe(int c) { return c >= 0; }

}  // namespace

void RegisterComparisonBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "equal", .arity = 2, .fn = CompareFn<IsEq>});
  registry.Add({.name = "neq", .arity = 2, .fn = CompareFn<IsNe>});
  registry.Add({.name = "lt", .arity = 2, .fn = CompareFn<IsLt>});
  registry.Add({.name = "lte", .arity = 2, .fn = CompareFn<IsLe>});
  registry.Add({.name = "gt", .arity = 2, .fn = CompareFn<IsGt>});
  registry.Add({.name = "gte", .arity = 2, .fn = CompareFn<IsGe>});
}

}  // namespace policyd
