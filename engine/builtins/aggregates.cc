// count, sum, product, max, min, sort, all, any, and the membership helpers
// behind `x in xs` and `k, v in xs` (internal.member_2, internal.member_3).
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/value/number.h"

namespace policyd {
namespace {

BuiltinResult Count(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  switch (v.kind()) {
    case Kind::kArray:
    case Kind::kObject:
    case Kind::kSet:
      return ValueResult(Value::Int(static_cast<int64_t>(v.size())));
    case Kind::kString:
      return ValueResult(Value::Int(static_cast<int64_t>(v.size())));
    default:
      return OperandTypeError("count", 1, "one of {array, object, set, string}", v);
  }
}

absl::Status CheckArrayOrSet(std::string_view name, const Value& v) {
  if (v.is_array() || v.is_set()) return absl::OkStatus();
  return OperandTypeError(name, 1, "one of {set, array}", v);
}

absl::Status CheckNumberElements(std::string_view name, const Value& v) {
  for (const Value& x : v.elements()) {
    if (!x.is_number()) return OperandElementError(name, 1, v, "number", x);
  }
  return absl::OkStatus();
}

BuiltinResult Sum(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  POLICYD_RETURN_IF_ERROR(CheckArrayOrSet("sum", v));
  POLICYD_RETURN_IF_ERROR(CheckNumberElements("sum", v));
  absl::Span<const Value> xs = v.elements();
  // Machine integers while they last, then exact arithmetic.
  int64_t acc = 0;
  size_t i = 0;
  for (int64_t x, next; i < xs.size(); ++i) {
    if (!xs[i].AsInt64(&x) || __builtin_add_overflow(acc, x, &next)) break;
    acc = next;
  }
  Value total = Value::Int(acc);
  for (; i < xs.size(); ++i) total = number::Add(total, xs[i]);
  return ValueResult(std::move(total));
}

BuiltinResult Product(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  POLICYD_RETURN_IF_ERROR(CheckArrayOrSet("product", v));
  POLICYD_RETURN_IF_ERROR(CheckNumberElements("product", v));
  Value total = Value::Int(1);
  for (const Value& x : v.elements()) total = number::Multiply(total, x);
  return ValueResult(std::move(total));
}

// max and min of an empty collection are undefined. Of equal numbers (1 and
// 1.0) the last one wins, as in OPA.
BuiltinResult Max(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  POLICYD_RETURN_IF_ERROR(CheckArrayOrSet("max", v));
  absl::Span<const Value> xs = v.elements();
  if (xs.empty()) return std::nullopt;
  if (v.is_set()) return ValueResult(xs.back());
  const Value* best = &xs.front();
  for (const Value& x : xs) {
    if (best->Compare(x) <= 0) best = &x;
  }
  return ValueResult(*best);
}

BuiltinResult Min(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  POLICYD_RETURN_IF_ERROR(CheckArrayOrSet("min", v));
  absl::Span<const Value> xs = v.elements();
  if (xs.empty()) return std::nullopt;
  if (v.is_set()) return ValueResult(xs.front());
  const Value* best = &xs.front();
  for (const Value& x : xs) {
    if (best->Compare(x) >= 0) best = &x;
  }
  return ValueResult(*best);
}

BuiltinResult Sort(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  POLICYD_RETURN_IF_ERROR(CheckArrayOrSet("sort", v));
  if (v.is_set()) return ValueResult(Value::Array(CopyElements(v.elements())));
  if (std::is_sorted(v.elements().begin(), v.elements().end())) return ValueResult(v);
  std::vector<Value> out = CopyElements(v.elements());
  std::stable_sort(out.begin(), out.end());
  return ValueResult(Value::Array(std::move(out)));
}

// all and any (deprecated in OPA, kept for Rego v0 policies).
BuiltinResult All(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  if (!v.is_array() && !v.is_set()) {
    return OperandTypeError("all", 1, "one of {array, set}", v);
  }
  const Value t = Value::Bool(true);
  absl::Span<const Value> xs = v.elements();
  return BoolResult(std::all_of(xs.begin(), xs.end(),
                                [&](const Value& x) { return x == t; }));
}

BuiltinResult Any(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  if (!v.is_array() && !v.is_set()) {
    return OperandTypeError("any", 1, "one of {array, set}", v);
  }
  const Value t = Value::Bool(true);
  if (v.is_set()) return BoolResult(v.Contains(t));
  absl::Span<const Value> xs = v.elements();
  return BoolResult(std::any_of(xs.begin(), xs.end(),
                                [&](const Value& x) { return x == t; }));
}

// x in xs: set elements, array elements, object values. Not a collection:
// false.
BuiltinResult Member(BuiltinContext&, absl::Span<const Value> args) {
  const Value& x = args[0];
  const Value& xs = args[1];
  switch (xs.kind()) {
    case Kind::kSet:
      return BoolResult(xs.Contains(x));
    case Kind::kArray:
      for (const Value& e : xs.elements()) {
        if (e == x) return BoolResult(true);
      }
      return BoolResult(false);
    case Kind::kObject:
      for (const auto& e : xs.entries()) {
        if (e.second == x) return BoolResult(true);
      }
      return BoolResult(false);
    default:
      return BoolResult(false);
  }
}

// k, v in xs: xs[k] == v for arrays (k an index) and objects (k a key); for
// sets k must be an element and equal to v.
BuiltinResult MemberWithKey(BuiltinContext&, absl::Span<const Value> args) {
  const Value& k = args[0];
  const Value& v = args[1];
  const Value& xs = args[2];
  switch (xs.kind()) {
    case Kind::kSet:
      return BoolResult(xs.Contains(k) && k == v);
    case Kind::kArray: {
      int64_t i;
      if (!k.is_number() || !k.AsInt64(&i)) return BoolResult(false);
      const Value* e = xs.At(i);
      return BoolResult(e != nullptr && *e == v);
    }
    case Kind::kObject: {
      const Value* e = xs.Find(k);
      return BoolResult(e != nullptr && *e == v);
    }
    default:
      return BoolResult(false);
  }
}

}  // namespace

void RegisterAggregateBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "count", .arity = 1, .fn = Count});
  registry.Add({.name = "sum", .arity = 1, .fn = Sum});
  registry.Add({.name = "product", .arity = 1, .fn = Product});
  registry.Add({.name = "max", .arity = 1, .fn = Max});
  registry.Add({.name = "min", .arity = 1, .fn = Min});
  registry.Add({.name = "sort", .arity = 1, .fn = Sort});
  registry.Add({.name = "all", .arity = 1, .fn = All});
  registry.Add({.name = "any", .arity = 1, .fn = Any});
  registry.Add({.name = "internal.member_2", .arity = 2, .fn = Member});
  registry.Add({.name = "internal.member_3", .arity = 3, .fn = MemberWithKey});
}

}  // namespace policyd
