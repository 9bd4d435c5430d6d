// Operand checks shared by the builtin families. Each returns OK or OPA's
// operand error for the builtin NAME (1-based operand POS), so that a builtin
// reads as a short list of checks followed by its work:
//
//   POLICYD_RETURN_IF_ERROR(CheckOperand("array.concat", 1, args[0], Kind::kArray));
//   POLICYD_ASSIGN_OR_RETURN(int64_t n, IntOperand("array.slice", 2, args[1]));
#ifndef POLICYD_ENGINE_BUILTINS_ARGS_H_
#define POLICYD_ENGINE_BUILTINS_ARGS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/builtins/builtin.h"
#include "engine/value/value.h"
#include "util/status_macros.h"

namespace policyd {

namespace args_internal {
inline void Append(std::string* out, std::string_view s) { out->append(s); }
inline void Append(std::string* out, int64_t i) { out->append(std::to_string(i)); }
}  // namespace args_internal

// Concatenates string_views and integers. (Debian's abseil keeps its own
// string_view type, so absl::StrCat does not take std::string_view.)
template <typename... Args>
std::string Concat(const Args&... args) {
  std::string out;
  (args_internal::Append(&out, args), ...);
  return out;
}

// A status message as a std::string_view.
inline std::string_view MessageOf(const absl::Status& status) {
  return std::string_view(status.message().data(), status.message().size());
}

// OK when `v` is of `kind`; else "NAME: operand POS must be KIND but got K".
inline absl::Status CheckOperand(std::string_view name, int pos, const Value& v,
                                 Kind kind) {
  if (v.kind() == kind) return absl::OkStatus();
  return OperandTypeError(name, pos, KindName(kind), v);
}

// "NAME: operand POS must be integer number but got floating-point number".
inline absl::Status NotIntegerError(std::string_view name, int pos) {
  return absl::InvalidArgumentError(
      Concat(name, ": operand ", pos,
             " must be integer number but got floating-point number"));
}

// A number operand that is an integer fitting in int64 (OPA's IntOperand).
// Errors: "must be number but got K", or NotIntegerError (also for integers
// too large for int64, as OPA's Go int conversion fails there too).
inline absl::StatusOr<int64_t> IntOperand(std::string_view name, int pos,
                                          const Value& v) {
  if (!v.is_number()) return OperandTypeError(name, pos, "number", v);
  int64_t i;
  if (!v.AsInt64(&i)) return NotIntegerError(name, pos);
  return i;
}

// An integer operand of any size (OPA's BigIntOperand). Errors: "must be
// integer but got K", or NotIntegerError.
inline absl::Status CheckIntegerOperand(std::string_view name, int pos,
                                        const Value& v) {
  if (!v.is_number()) return OperandTypeError(name, pos, "integer", v);
  if (!v.IsInteger()) return NotIntegerError(name, pos);
  return absl::OkStatus();
}

// An element of a collection operand has the wrong kind: "NAME: operand POS
// must be array of numbers but got array containing string" (OPA's wording;
// `want` is singular, e.g. "number").
inline absl::Status OperandElementError(std::string_view name, int pos,
                                        const Value& composite,
                                        std::string_view want,
                                        const Value& got) {
  std::string_view tpe = KindName(composite.kind());
  return absl::InvalidArgumentError(
      Concat(name, ": operand ", pos, " must be ", tpe, " of ", want,
             "s but got ", tpe, " containing ", KindName(got.kind())));
}

// A defined result.
inline BuiltinResult ValueResult(Value v) { return std::optional<Value>(std::move(v)); }

// A result that is a boolean, a string or an integer.
inline BuiltinResult BoolResult(bool b) { return ValueResult(Value::Bool(b)); }
inline BuiltinResult StringResult(std::string s) {
  return ValueResult(Value::String(std::move(s)));
}
inline BuiltinResult IntResult(int64_t i) { return ValueResult(Value::Int(i)); }

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_ARGS_H_
