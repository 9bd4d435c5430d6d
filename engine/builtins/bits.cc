// bits.and, bits.or, bits.xor, bits.negate, bits.lsh, bits.rsh over integers
// of any size, with two's-complement semantics for negative numbers (as Go's
// big.Int, which OPA uses). int64 operands take a fast path.
#include <gmp.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"

namespace policyd {
namespace {

// Shifting left by more bits than this is refused: the result would not fit
// in memory anyway.
constexpr uint64_t kMaxShift = 1 << 20;

struct Mpz {
  Mpz() { mpz_init(v); }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  mpz_t v;
};

// The integer value of number `n` (precondition: n.IsInteger()). The text of
// a number may be a literal such as "1e30" or "12.0", so it is parsed here
// as mantissa digits and a decimal exponent.
void ToMpz(const Value& n, mpz_t out) {
  int64_t i;
  if (n.AsInt64(&i)) {
    mpz_set_si(out, i);
    return;
  }
  std::string text = n.NumberText();
  std::string digits;
  long exponent = 0;
  bool negative = false, in_fraction = false;
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    ++pos;
  }
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '.') {
      in_fraction = true;
    } else if (c == 'e' || c == 'E') {
      exponent += std::stol(text.substr(pos + 1));
      break;
    } else {
      digits.push_back(c);
      if (in_fraction) --exponent;
    }
  }
  mpz_set_str(out, digits.empty() ? "0" : digits.c_str(), 10);
  Mpz scale;
  if (exponent >= 0) {
    mpz_ui_pow_ui(scale.v, 10, static_cast<unsigned long>(exponent));
    mpz_mul(out, out, scale.v);
  } else {
    mpz_ui_pow_ui(scale.v, 10, static_cast<unsigned long>(-exponent));
    mpz_tdiv_q(out, out, scale.v);  // exact: the number is an integer
  }
  if (negative) mpz_neg(out, out);
}

Value FromMpz(const mpz_t z) {
  if (mpz_fits_slong_p(z)) return Value::Int(mpz_get_si(z));
  std::string s(mpz_sizeinbase(z, 10) + 2, '\0');
  mpz_get_str(s.data(), 10, z);
  s.resize(s.find('\0'));
  return *Value::NumberFromText(s);
}

absl::Status CheckIntegers(std::string_view name, absl::Span<const Value> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    POLICYD_RETURN_IF_ERROR(CheckIntegerOperand(name, static_cast<int>(i) + 1, args[i]));
  }
  return absl::OkStatus();
}

template <int64_t (*Small)(int64_t, int64_t),
          void (*Big)(mpz_ptr, mpz_srcptr, mpz_srcptr)>
BuiltinResult Bitwise(std::string_view name, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckIntegers(name, args));
  int64_t x, y;
  if (args[0].AsInt64(&x) && args[1].AsInt64(&y)) return ValueResult(Value::Int(Small(x, y)));
  Mpz a, b, r;
  ToMpz(args[0], a.v);
  ToMpz(args[1], b.v);
  Big(r.v, a.v, b.v);
  return ValueResult(FromMpz(r.v));
}

int64_t And(int64_t x, int64_t y) { return x & y; }
int64_t Or(int64_t x, int64_t y) { return x | y; }
int64_t Xor(int64_t x, int64_t y) { return x ^ y; }

BuiltinResult BitsAnd(BuiltinContext&, absl::Span<const Value> args) {
  return Bitwise<And, mpz_and>("bits.and", args);
}
BuiltinResult BitsOr(BuiltinContext&, absl::Span<const Value> args) {
  return Bitwise<Or, mpz_ior>("bits.or", args);
}
BuiltinResult BitsXor(BuiltinContext&, absl::Span<const Value> args) {
  return Bitwise<Xor, mpz_xor>("bits.xor", args);
}

BuiltinResult BitsNegate(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckIntegers("bits.negate", args));
  int64_t x;
  if (args[0].AsInt64(&x)) return ValueResult(Value::Int(~x));
  Mpz a;
  ToMpz(args[0], a.v);
  mpz_com(a.v, a.v);
  return ValueResult(FromMpz(a.v));
}

// The shift count (operand 2): a non-negative integer; counts beyond uint64
// are clamped (they shift everything out, or are refused for lsh).
absl::StatusOr<uint64_t> ShiftCount(std::string_view name, const Value& n) {
  if (n.Compare(Value::Int(0)) < 0) {
    return absl::InvalidArgumentError(Concat(
        name, ": operand 2 must be an unsigned integer number but got a negative integer"));
  }
  int64_t i;
  return n.AsInt64(&i) ? static_cast<uint64_t>(i) : UINT64_MAX;
}

BuiltinResult BitsLsh(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckIntegers("bits.lsh", args));
  POLICYD_ASSIGN_OR_RETURN(uint64_t shift, ShiftCount("bits.lsh", args[1]));
  int64_t x;
  bool small = args[0].AsInt64(&x);
  if (small && x == 0) return ValueResult(Value::Int(0));
  if (small && shift < 63) {
    int64_t r;
    if (!__builtin_mul_overflow(x, int64_t{1} << shift, &r)) return ValueResult(Value::Int(r));
  }
  if (shift > kMaxShift) return BuiltinError("bits.lsh", "shift count too large");
  Mpz a;
  ToMpz(args[0], a.v);
  mpz_mul_2exp(a.v, a.v, shift);
  return ValueResult(FromMpz(a.v));
}

BuiltinResult BitsRsh(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckIntegers("bits.rsh", args));
  POLICYD_ASSIGN_OR_RETURN(uint64_t shift, ShiftCount("bits.rsh", args[1]));
  int64_t x;
  if (args[0].AsInt64(&x)) {
    // Arithmetic shift: rounds toward negative infinity, like big.Int.Rsh.
    if (shift >= 64) return ValueResult(Value::Int(x < 0 ? -1 : 0));
    return ValueResult(Value::Int(x >> shift));
  }
  Mpz a;
  ToMpz(args[0], a.v);
  if (shift >= mpz_sizeinbase(a.v, 2)) return ValueResult(Value::Int(mpz_sgn(a.v) < 0 ? -1 : 0));
  mpz_fdiv_q_2exp(a.v, a.v, shift);
  return ValueResult(FromMpz(a.v));
}

}  // namespace

void RegisterBitsBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "bits.and", .arity = 2, .fn = BitsAnd});
  registry.Add({.name = "bits.or", .arity = 2, .fn = BitsOr});
  registry.Add({.name = "bits.xor", .arity = 2, .fn = BitsXor});
  registry.Add({.name = "bits.negate", .arity = 1, .fn = BitsNegate});
  registry.Add({.name = "bits.lsh", .arity = 2, .fn = BitsLsh});
  registry.Add({.name = "bits.rsh", .arity = 2, .fn = BitsRsh});
}

}  // namespace policyd
