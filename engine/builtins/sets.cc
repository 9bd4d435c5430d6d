// Set operators and functions: and (&), or (|), intersection, union, and the
// deprecated set_diff. Sets keep their elements sorted, so two-set operations
// are linear merges.
#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"

namespace policyd {
namespace {

absl::Status CheckSets(std::string_view name, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kSet));
  return CheckOperand(name, 2, args[1], Kind::kSet);
}

Value Intersect(const Value& a, const Value& b) {
  if (a.size() == 0) return a;
  if (b.size() == 0) return b;
  std::vector<Value> out;
  std::set_intersection(a.elements().begin(), a.elements().end(),
                        b.elements().begin(), b.elements().end(),
                        std::back_inserter(out));
  return Value::SetFromSorted(std::move(out));
}

BuiltinResult And(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckSets("and", args));
  return ValueResult(Intersect(args[0], args[1]));
}

BuiltinResult Or(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckSets("or", args));
  const Value& a = args[0];
  const Value& b = args[1];
  if (b.size() == 0) return ValueResult(a);
  if (a.size() == 0) return ValueResult(b);
  std::vector<Value> out;
  out.reserve(a.size() + b.size());
  std::set_union(a.elements().begin(), a.elements().end(), b.elements().begin(),
                 b.elements().end(), std::back_inserter(out));
  return ValueResult(Value::SetFromSorted(std::move(out)));
}

BuiltinResult SetDiff(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckSets("set_diff", args));
  const Value& a = args[0];
  const Value& b = args[1];
  std::vector<Value> out;
  std::set_difference(a.elements().begin(), a.elements().end(),
                      b.elements().begin(), b.elements().end(),
                      std::back_inserter(out));
  return ValueResult(Value::SetFromSorted(std::move(out)));
}

// Every element of the set operand must itself be a set; OPA words that
// error like a wrong operand ("operand 1 must be set but got number").
absl::Status CheckSetOfSets(std::string_view name, const Value& v) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, v, Kind::kSet));
  for (const Value& s : v.elements()) {
    POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, s, Kind::kSet));
  }
  return absl::OkStatus();
}

BuiltinResult Intersection(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckSetOfSets("intersection", args[0]));
  absl::Span<const Value> sets = args[0].elements();
  if (sets.empty()) return ValueResult(args[0]);
  Value result = sets.front();
  for (size_t i = 1; i < sets.size() && result.size() > 0; ++i) {
    result = Intersect(result, sets[i]);
  }
  return ValueResult(std::move(result));
}

BuiltinResult Union(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckSetOfSets("union", args[0]));
  absl::Span<const Value> sets = args[0].elements();
  if (sets.empty()) return ValueResult(args[0]);
  if (sets.size() == 1) return ValueResult(sets.front());
  std::vector<Value> all;
  for (const Value& s : sets) {
    all.insert(all.end(), s.elements().begin(), s.elements().end());
  }
  return ValueResult(Value::Set(std::move(all)));
}

}  // namespace

void RegisterSetBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "and", .arity = 2, .fn = And});
  registry.Add({.name = "or", .arity = 2, .fn = Or});
  registry.Add({.name = "set_diff", .arity = 2, .fn = SetDiff});
  registry.Add({.name = "intersection", .arity = 1, .fn = Intersection});
  registry.Add({.name = "union", .arity = 1, .fn = Union});
}

}  // namespace policyd
