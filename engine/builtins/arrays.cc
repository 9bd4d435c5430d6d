// array.concat, array.slice, array.reverse, array.flatten.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"

namespace policyd {
namespace {

BuiltinResult ArrayConcat(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("array.concat", 1, args[0], Kind::kArray));
  POLICYD_RETURN_IF_ERROR(CheckOperand("array.concat", 2, args[1], Kind::kArray));
  absl::Span<const Value> a = args[0].elements();
  absl::Span<const Value> b = args[1].elements();
  if (b.empty()) return ValueResult(args[0]);
  if (a.empty()) return ValueResult(args[1]);
  std::vector<Value> out;
  out.reserve(a.size() + b.size());
  out.insert(out.end(), a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return ValueResult(Value::Array(std::move(out)));
}

// Indices are clamped into [0, len], and start to at most stop, so the
// result is never an error for integers, only empty.
BuiltinResult Slice(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("array.slice", 1, args[0], Kind::kArray));
  POLICYD_ASSIGN_OR_RETURN(int64_t start, IntOperand("array.slice", 2, args[1]));
  POLICYD_ASSIGN_OR_RETURN(int64_t stop, IntOperand("array.slice", 3, args[2]));
  absl::Span<const Value> a = args[0].elements();
  int64_t len = static_cast<int64_t>(a.size());
  stop = std::clamp<int64_t>(stop, 0, len);
  start = std::clamp<int64_t>(start, 0, stop);
  if (start == 0 && stop == len) return ValueResult(args[0]);
  return ValueResult(Value::Array(std::vector<Value>(a.begin() + start, a.begin() + stop)));
}

BuiltinResult Reverse(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("array.reverse", 1, args[0], Kind::kArray));
  absl::Span<const Value> a = args[0].elements();
  return ValueResult(Value::Array(std::vector<Value>(a.rbegin(), a.rend())));
}

// One level: elements that are arrays are spliced in; deeper arrays stay.
BuiltinResult Flatten(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand("array.flatten", 1, args[0], Kind::kArray));
  absl::Span<const Value> a = args[0].elements();
  std::vector<Value> out;
  out.reserve(a.size());
  for (const Value& x : a) {
    if (x.is_array()) {
      out.insert(out.end(), x.elements().begin(), x.elements().end());
    } else {
      out.push_back(x);
    }
  }
  return ValueResult(Value::Array(std::move(out)));
}

}  // namespace

void RegisterArrayBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "array.concat", .arity = 2, .fn = ArrayConcat});
  registry.Add({.name = "array.slice", .arity = 3, .fn = Slice});
  registry.Add({.name = "array.reverse", .arity = 1, .fn = Reverse});
  registry.Add({.name = "array.flatten", .arity = 1, .fn = Flatten});
}

}  // namespace policyd
