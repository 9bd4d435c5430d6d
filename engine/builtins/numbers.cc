// Arithmetic (plus, minus, mul, div, rem, abs, round, ceil, floor),
// numbers.range, numbers.range_step and to_number, with OPA's semantics and
// error messages. `minus` is also set difference.
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/value/number.h"

namespace policyd {
namespace {

// Ranges longer than this are refused instead of exhausting memory (OPA has
// no limit but is cancelled by its deadline while building them).
constexpr uint64_t kMaxRangeLength = 10'000'000;

absl::Status CheckNumbers(std::string_view name, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kNumber));
  return CheckOperand(name, 2, args[1], Kind::kNumber);
}

template <Value (*Op)(const Value&, const Value&)>
BuiltinResult Binary(std::string_view name, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckNumbers(name, args));
  return ValueResult(Op(args[0], args[1]));
}

BuiltinResult Plus(BuiltinContext&, absl::Span<const Value> args) {
  return Binary<number::Add>("plus", args);
}

BuiltinResult Mul(BuiltinContext&, absl::Span<const Value> args) {
  return Binary<number::Multiply>("mul", args);
}

// Numbers subtract; sets give the difference. Mixed operands are reported
// the way OPA does: the first operand must be one of {number, set}, then the
// second must match the first.
BuiltinResult Minus(BuiltinContext&, absl::Span<const Value> args) {
  const Value& a = args[0];
  const Value& b = args[1];
  if (a.is_number() && b.is_number()) return ValueResult(number::Subtract(a, b));
  if (a.is_set() && b.is_set()) {
    if (b.size() == 0) return ValueResult(a);
    std::vector<Value> out;
    out.reserve(a.size());
    for (const Value& x : a.elements()) {
      if (!b.Contains(x)) out.push_back(x);
    }
    if (out.size() == a.size()) return ValueResult(a);
    return ValueResult(Value::SetFromSorted(std::move(out)));
  }
  if (!a.is_number() && !a.is_set()) {
    return OperandTypeError("minus", 1, "one of {number, set}", a);
  }
  if (b.is_number()) return OperandTypeError("minus", 2, "set", b);
  return OperandTypeError("minus", 2, "number", b);
}

// div and rem fail with a builtin error ("div: divide by zero").
template <absl::StatusOr<Value> (*Op)(const Value&, const Value&)>
BuiltinResult Fallible(std::string_view name, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckNumbers(name, args));
  absl::StatusOr<Value> r = Op(args[0], args[1]);
  if (!r.ok()) return BuiltinError(name, MessageOf(r.status()));
  return ValueResult(*std::move(r));
}

BuiltinResult Div(BuiltinContext&, absl::Span<const Value> args) {
  return Fallible<number::Divide>("div", args);
}

BuiltinResult Rem(BuiltinContext&, absl::Span<const Value> args) {
  return Fallible<number::Remainder>("rem", args);
}

template <Value (*Op)(const Value&)>
BuiltinResult Unary(std::string_view name, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kNumber));
  return ValueResult(Op(args[0]));
}

BuiltinResult Abs(BuiltinContext&, absl::Span<const Value> args) {
  return Unary<number::Abs>("abs", args);
}
BuiltinResult Round(BuiltinContext&, absl::Span<const Value> args) {
  return Unary<number::Round>("round", args);
}
BuiltinResult Ceil(BuiltinContext&, absl::Span<const Value> args) {
  return Unary<number::Ceil>("ceil", args);
}
BuiltinResult Floor(BuiltinContext&, absl::Span<const Value> args) {
  return Unary<number::Floor>("floor", args);
}

absl::Status RangeTooLarge(std::string_view name) {
  return BuiltinError(name, Concat("range longer than ", kMaxRangeLength,
                                         " numbers"));
}

// The integers from `from` to `to` inclusive, `step` (> 0) apart, counting
// down when to < from.
BuiltinResult Range(std::string_view name, const Value& from, const Value& to,
                    const Value& step) {
  int64_t x, y, s;
  if (from.AsInt64(&x) && to.AsInt64(&y) && step.AsInt64(&s)) {
    // Work in unsigned distance so that extreme endpoints cannot overflow.
    uint64_t distance = x <= y ? static_cast<uint64_t>(y) - static_cast<uint64_t>(x)
                               : static_cast<uint64_t>(x) - static_cast<uint64_t>(y);
    uint64_t steps = distance / static_cast<uint64_t>(s);
    if (steps >= kMaxRangeLength) return RangeTooLarge(name);
    uint64_t count = steps + 1;
    std::vector<Value> out;
    out.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t offset = i * static_cast<uint64_t>(s);
      out.push_back(Value::Int(static_cast<int64_t>(
          x <= y ? static_cast<uint64_t>(x) + offset
                 : static_cast<uint64_t>(x) - offset)));
    }
    return ValueResult(Value::Array(std::move(out)));
  }
  // Endpoints or step beyond int64: exact arithmetic, one number at a time.
  bool up = from.Compare(to) <= 0;
  std::vector<Value> out;
  for (Value i = from; up ? i.Compare(to) <= 0 : i.Compare(to) >= 0;
       i = up ? number::Add(i, step) : number::Subtract(i, step)) {
    if (out.size() == kMaxRangeLength) return RangeTooLarge(name);
    out.push_back(i);
  }
  return ValueResult(Value::Array(std::move(out)));
}

BuiltinResult NumbersRange(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckIntegerOperand("numbers.range", 1, args[0]));
  POLICYD_RETURN_IF_ERROR(CheckIntegerOperand("numbers.range", 2, args[1]));
  return Range("numbers.range", args[0], args[1], Value::Int(1));
}

BuiltinResult NumbersRangeStep(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "numbers.range_step";
  POLICYD_RETURN_IF_ERROR(CheckIntegerOperand(kName, 1, args[0]));
  POLICYD_RETURN_IF_ERROR(CheckIntegerOperand(kName, 2, args[1]));
  POLICYD_RETURN_IF_ERROR(CheckIntegerOperand(kName, 3, args[2]));
  if (args[2].Compare(Value::Int(0)) <= 0) {
    return BuiltinError(kName, "step must be a positive integer");
  }
  return Range(kName, args[0], args[1], args[2]);
}

// Whether `s` is a floating-point literal as Go's strconv.ParseFloat accepts
// it in decimal form: [+-] digits [. digits] [(e|E) [+-] digits], with at
// least one mantissa digit; or hexadecimal 0x mantissa p exponent.
bool IsGoFloatSyntax(std::string_view s) {
  size_t i = 0, n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  auto digits = [&](auto is_digit) {
    size_t start = i;
    while (i < n && is_digit(static_cast<unsigned char>(s[i]))) ++i;
    return i - start;
  };
  auto dec = [](unsigned char c) { return std::isdigit(c) != 0; };
  auto hex = [](unsigned char c) { return std::isxdigit(c) != 0; };
  bool is_hex = i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
  if (is_hex) i += 2;
  size_t mantissa = is_hex ? digits(hex) : digits(dec);
  if (i < n && s[i] == '.') {
    ++i;
    mantissa += is_hex ? digits(hex) : digits(dec);
  }
  if (mantissa == 0) return false;
  if (i < n && (is_hex ? (s[i] == 'p' || s[i] == 'P') : (s[i] == 'e' || s[i] == 'E'))) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits(dec) == 0) return false;
  } else if (is_hex) {
    return false;  // Go requires the p exponent on hexadecimal mantissas.
  }
  return i == n;
}

absl::Status OutOfRange(std::string_view s) {
  return BuiltinError("to_number", Concat("strconv.ParseFloat: parsing \"", s,
                                                "\": value out of range"));
}

BuiltinResult ToNumber(BuiltinContext&, absl::Span<const Value> args) {
  const Value& v = args[0];
  switch (v.kind()) {
    case Kind::kNull:
      return ValueResult(Value::Int(0));
    case Kind::kBoolean:
      return ValueResult(Value::Int(v.boolean() ? 1 : 0));
    case Kind::kNumber:
      return ValueResult(v);
    case Kind::kString:
      break;
    default:
      return OperandTypeError("to_number", 1,
                              "one of {null, boolean, number, string}", v);
  }
  std::string_view s = v.string();
  if (std::optional<Value> n = Value::NumberFromText(s)) {
    // Go parses into a float64 first and refuses what overflows it.
    if (std::isinf(n->AsDouble())) return OutOfRange(s);
    return ValueResult(*std::move(n));
  }
  std::string word(s.substr(std::min(s.find_first_not_of("+-"), s.size())));
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (word == "inf" || word == "infinity" || word == "nan") {
    return OperandTypeError("to_number", 1, "valid number string", v);
  }
  if (!IsGoFloatSyntax(s)) {
    return BuiltinError("to_number", Concat("strconv.ParseFloat: parsing \"",
                                                  s, "\": invalid syntax"));
  }
  // Forms JSON lacks ("+1", ".5", "1.", "0x1p-2"): their float64 value.
  std::string text(s);
  std::optional<Value> d = Value::Double(std::strtod(text.c_str(), nullptr));
  if (!d) return OutOfRange(s);
  return ValueResult(*std::move(d));
}

}  // namespace

void RegisterNumberBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "plus", .arity = 2, .fn = Plus});
  registry.Add({.name = "minus", .arity = 2, .fn = Minus});
  registry.Add({.name = "mul", .arity = 2, .fn = Mul});
  registry.Add({.name = "div", .arity = 2, .fn = Div});
  registry.Add({.name = "rem", .arity = 2, .fn = Rem});
  registry.Add({.name = "abs", .arity = 1, .fn = Abs});
  registry.Add({.name = "round", .arity = 1, .fn = Round});
  registry.Add({.name = "ceil", .arity = 1, .fn = Ceil});
  registry.Add({.name = "floor", .arity = 1, .fn = Floor});
  registry.Add({.name = "numbers.range", .arity = 2, .fn = NumbersRange});
  registry.Add({.name = "numbers.range_step", .arity = 3, .fn = NumbersRangeStep});
  registry.Add({.name = "to_number", .arity = 1, .fn = ToNumber});
}

}  // namespace policyd
