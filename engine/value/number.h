// Arithmetic over number Values with OPA's semantics: integer operands give
// exact integer results of any size; decimal operands use exact decimal or
// high-precision arithmetic the way OPA's big.Float-based builtins do.
// Every argument must be a number Value (callers check types first).
#ifndef POLICYD_ENGINE_VALUE_NUMBER_H_
#define POLICYD_ENGINE_VALUE_NUMBER_H_

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd::number {

Value Add(const Value& a, const Value& b);
Value Subtract(const Value& a, const Value& b);
Value Multiply(const Value& a, const Value& b);
// Error "divide by zero" when b == 0.
absl::StatusOr<Value> Divide(const Value& a, const Value& b);
// Integer remainder (sign of a, like Go's big.Int.Rem). Errors: "modulo by
// zero", and "modulo on floating-point number" when an operand is not an
// integer.
absl::StatusOr<Value> Remainder(const Value& a, const Value& b);
Value Negate(const Value& a);
Value Abs(const Value& a);
Value Round(const Value& a);  // half away from zero
Value Ceil(const Value& a);
Value Floor(const Value& a);

}  // namespace policyd::number

#endif  // POLICYD_ENGINE_VALUE_NUMBER_H_
