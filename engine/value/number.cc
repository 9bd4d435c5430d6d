#include "engine/value/number.h"

#include <gmp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "engine/value/go_float.h"
#include "engine/value/rep.h"

namespace policyd {

using value_internal::GoFloat;
using value_internal::NumberRep;

namespace {

// Exponents beyond this are refused: 10^100000 already takes 41 KB, and
// larger ones would let a request exhaust memory.
constexpr long kMaxDecimalExponent = 100000;

// RAII holders for GMP temporaries.
struct Mpz {
  Mpz() { mpz_init(v); }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  mpz_t v;
};
struct Mpq {
  Mpq() { mpq_init(v); }
  ~Mpq() { mpq_clear(v); }
  Mpq(const Mpq&) = delete;
  Mpq& operator=(const Mpq&) = delete;
  mpq_t v;
};

const NumberRep* NumRep(const Value& v) { return static_cast<const NumberRep*>(v.rep()); }

// GMP's si functions take long, which holds every int64 on LP64 targets.
static_assert(sizeof(long) == sizeof(int64_t));

void SetMpzInt64(mpz_t z, int64_t i) { mpz_set_si(z, static_cast<long>(i)); }

bool MpzToInt64(const mpz_t z, int64_t* out) {
  if (!mpz_fits_slong_p(z)) return false;
  *out = mpz_get_si(z);
  return true;
}

// Checks a JSON number literal and, when `q` is not null, sets it to the
// literal's value; false on bad syntax or an exponent out of range.
// `*is_canonical_int` is set when the literal is an integer written without
// fraction or exponent (and is not "-0").
bool ParseLiteral(std::string_view text, mpq_ptr q, bool* is_canonical_int) {
  size_t i = 0, n = text.size();
  bool neg = false;
  if (i < n && text[i] == '-') {
    neg = true;
    ++i;
  }
  size_t int_start = i;
  if (i < n && text[i] == '0') {
    ++i;
  } else if (i < n && text[i] >= '1' && text[i] <= '9') {
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
  } else {
    return false;
  }
  size_t int_end = i;
  size_t frac_start = i, frac_end = i;
  if (i < n && text[i] == '.') {
    ++i;
    frac_start = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
    frac_end = i;
    if (frac_end == frac_start) return false;
  }
  long exp = 0;
  bool has_exp = false;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    has_exp = true;
    ++i;
    bool exp_neg = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      exp_neg = text[i] == '-';
      ++i;
    }
    size_t exp_start = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') {
      if (exp <= kMaxDecimalExponent * 10) exp = exp * 10 + (text[i] - '0');
      ++i;
    }
    if (i == exp_start) return false;
    if (exp_neg) exp = -exp;
  }
  if (i != n) return false;
  *is_canonical_int = !has_exp && frac_start == frac_end && !(neg && text[int_start] == '0');

  std::string digits(text.substr(int_start, int_end - int_start));
  digits.append(text.substr(frac_start, frac_end - frac_start));
  exp -= static_cast<long>(frac_end - frac_start);
  if (exp > kMaxDecimalExponent || exp < -kMaxDecimalExponent) {
    // Still fine when the mantissa is zero (0e999999).
    if (digits.find_first_not_of('0') != std::string::npos) return false;
    exp = 0;
  }
  if (q == nullptr) return true;
  mpz_ptr num = mpq_numref(q);
  mpz_set_str(num, digits.c_str(), 10);
  if (neg) mpz_neg(num, num);
  mpz_set_ui(mpq_denref(q), 1);
  if (exp > 0) {
    Mpz p;
    mpz_ui_pow_ui(p.v, 10, static_cast<unsigned long>(exp));
    mpz_mul(num, num, p.v);
  } else if (exp < 0) {
    mpz_ui_pow_ui(mpq_denref(q), 10, static_cast<unsigned long>(-exp));
    mpq_canonicalize(q);
  }
  return true;
}

std::string MpzText(const mpz_t z) {
  std::string s(mpz_sizeinbase(z, 10) + 2, '\0');
  mpz_get_str(s.data(), 10, z);
  s.resize(std::strlen(s.c_str()));
  return s;
}

}  // namespace

// ---- Value's number members ----

std::optional<Value> Value::NumberFromText(std::string_view text) {
  // Fast path: short canonical integers stay inline.
  if (!text.empty() && text.size() <= 19) {
    int64_t i;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (ec == std::errc() && end == text.data() + text.size() &&
        (text[0] != '0' || text.size() == 1) &&
        !(text[0] == '-' && (text.size() == 1 || text[1] == '0'))) {
      return Value::Int(i);
    }
  }
  bool canonical_int = false;
  if (!ParseLiteral(text, nullptr, &canonical_int)) return std::nullopt;
  auto* rep = new NumberRep(std::string(text));
  int64_t i;
  if (canonical_int && MpzToInt64(mpq_numref(rep->exact()), &i)) {
    delete rep;
    return Value::Int(i);
  }
  return Value(rep);
}

std::optional<Value> Value::Double(double d) {
  if (!std::isfinite(d)) return std::nullopt;
  if (d == std::trunc(d) && std::fabs(d) < 9.2e18) {
    return Value::Int(static_cast<int64_t>(d));
  }
  // Printed as OPA prints a float64 (Go's shortest 'g' form).
  char buf[40];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), std::fabs(d), std::chars_format::scientific);
  std::string_view sci(buf, end - buf);
  size_t e = sci.find('e');
  std::string digits(sci.substr(0, e));
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  digits.erase(digits.find_last_not_of('0') + 1);
  long exp = std::strtol(buf + e + 1, nullptr, 10);
  return Value(new NumberRep(value_internal::FormatGoDecimal(d < 0, digits, exp + 1, false),
                             [d](mpq_ptr q) { mpq_set_d(q, d); }));
}

bool Value::AsInt64(int64_t* out) const {
  if (inline_int_) {
    *out = int_;
    return true;
  }
  mpq_srcptr q = NumRep(*this)->exact();
  if (mpz_cmp_ui(mpq_denref(q), 1) != 0) return false;
  return MpzToInt64(mpq_numref(q), out);
}

bool Value::IsInteger() const {
  return inline_int_ || mpz_cmp_ui(mpq_denref(NumRep(*this)->exact()), 1) == 0;
}

double Value::AsDouble() const {
  if (inline_int_) return static_cast<double>(int_);
  const NumberRep* r = NumRep(*this);
  if (!r->text.empty()) {
    // strtod rounds the literal correctly (and gives +-inf on overflow).
    return std::strtod(r->text.c_str(), nullptr);
  }
  mpq_srcptr q = r->exact();
  if (mpz_cmp_ui(mpq_denref(q), 1) == 0) {
    std::string s = MpzText(mpq_numref(q));
    return std::strtod(s.c_str(), nullptr);
  }
  return mpq_get_d(q);
}

std::string Value::NumberText() const {
  if (inline_int_) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), int_);
    return std::string(buf, end);
  }
  const NumberRep* r = NumRep(*this);
  if (!r->text.empty()) return r->text;
  mpq_srcptr q = r->exact();
  if (mpz_cmp_ui(mpq_denref(q), 1) == 0) return MpzText(mpq_numref(q));
  return GoFloat(q, false).Text();
}

// ---- internals shared with value.cc ----

namespace value_internal {

NumberRep::NumberRep(std::string literal) : Rep(Kind::kNumber), text(std::move(literal)) {
  mpq_init(q_);
}

mpq_srcptr NumberRep::exact() const {
  std::call_once(ready_, [this] {
    bool canonical_int;
    ParseLiteral(text, q_, &canonical_int);
  });
  return q_;
}

void NumberToMpq(const Value& v, mpq_t out) {
  int64_t i;
  if (v.rep() == nullptr && v.AsInt64(&i)) {
    SetMpzInt64(mpq_numref(out), i);
    mpz_set_ui(mpq_denref(out), 1);
    return;
  }
  mpq_set(out, static_cast<const NumberRep*>(v.rep())->exact());
}

Value NumberFromMpq(const mpq_t q) {
  int64_t i;
  if (mpz_cmp_ui(mpq_denref(q), 1) == 0 && MpzToInt64(mpq_numref(q), &i)) return Value::Int(i);
  return Value(new NumberRep(std::string(), [q](mpq_ptr out) { mpq_set(out, q); }));
}

Value NumberFromMpz(const mpz_t z) {
  int64_t i;
  if (MpzToInt64(z, &i)) return Value::Int(i);
  return Value(new NumberRep(std::string(), [z](mpq_ptr out) { mpq_set_z(out, z); }));
}

int CompareNumbers(const Value& a, const Value& b) {
  const NumberRep* ra = NumRep(a);
  const NumberRep* rb = NumRep(b);
  int c;
  if (ra && rb) {
    c = mpq_cmp(ra->exact(), rb->exact());
  } else if (ra) {
    int64_t i = 0;
    b.AsInt64(&i);
    c = mpq_cmp_si(ra->exact(), i, 1);
  } else if (rb) {
    int64_t i = 0;
    a.AsInt64(&i);
    c = -mpq_cmp_si(rb->exact(), i, 1);
  } else {
    int64_t x = 0, y = 0;
    a.AsInt64(&x);
    b.AsInt64(&y);
    c = x < y ? -1 : (x > y ? 1 : 0);
  }
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

size_t HashNumber(const Value& v) {
  int64_t i;
  if (v.AsInt64(&i)) return MixHash(static_cast<uint64_t>(i));
  const NumberRep* r = NumRep(v);
  auto hash_mpz = [](size_t h, mpz_srcptr z) {
    h = CombineHash(h, static_cast<size_t>(mpz_sgn(z) + 1));
    size_t n = mpz_size(z);
    for (size_t k = 0; k < n; ++k) h = CombineHash(h, mpz_getlimbn(z, k));
    return h;
  };
  mpq_srcptr q = r->exact();
  return hash_mpz(hash_mpz(0x6e756d, mpq_numref(q)), mpq_denref(q));
}

}  // namespace value_internal

// ---- arithmetic ----
//
// As OPA: operands that are both integers give exact integer results; any
// other operands are rounded to 64-bit big.Float values, the operation is
// rounded the same way, and the result prints in Go's shortest form.

namespace number {

namespace {

using value_internal::NumberFromMpq;
using value_internal::NumberFromMpz;
using value_internal::NumberToMpq;

bool BothInline(const Value& a, const Value& b, int64_t* x, int64_t* y) {
  return a.rep() == nullptr && b.rep() == nullptr && a.AsInt64(x) && b.AsInt64(y);
}

// "-0", "-0.0", "-0e5": Go keeps the sign of a parsed zero.
bool IsNegativeZero(const Value& v) {
  const NumberRep* r = NumRep(v);
  return r != nullptr && !r->text.empty() && r->text[0] == '-' && mpq_sgn(r->exact()) == 0;
}

// A number from a rounded big.Float result; it keeps Go's text unless that
// is the plain form of an int64. Its value is the decimal its text says, as
// OPA's numbers are their text: 0.1 + 0.2 prints 0.3 and equals 0.3.
Value FromGoFloat(const GoFloat& f) {
  Mpq q;
  std::string text = f.Text();
  bool canonical_int = false;
  if (!ParseLiteral(text, q.v, &canonical_int)) f.ToMpq(q.v);
  int64_t i;
  if (mpz_cmp_ui(mpq_denref(q.v), 1) == 0 && MpzToInt64(mpq_numref(q.v), &i) && text != "-0") {
    return Value::Int(i);
  }
  return Value(new NumberRep(std::move(text), [&q](mpq_ptr out) { mpq_swap(out, q.v); }));
}

Value FloatOp(GoFloat::Op op, const Value& a, const Value& b) {
  Mpq qa, qb, exact;
  NumberToMpq(a, qa.v);
  NumberToMpq(b, qb.v);
  GoFloat fa(qa.v, IsNegativeZero(a));
  GoFloat fb(qb.v, IsNegativeZero(b));
  bool negative_zero = false;
  GoFloat::Apply(op, fa, fb, exact.v, &negative_zero);
  return FromGoFloat(GoFloat(exact.v, negative_zero));
}

template <typename Exact>
Value Binary(GoFloat::Op op, const Value& a, const Value& b, Exact exact) {
  if (!a.IsInteger() || !b.IsInteger()) return FloatOp(op, a, b);
  Mpq qa, qb;
  NumberToMpq(a, qa.v);
  NumberToMpq(b, qb.v);
  Mpz r;
  exact(r.v, mpq_numref(qa.v), mpq_numref(qb.v));
  return NumberFromMpz(r.v);
}

}  // namespace

Value Add(const Value& a, const Value& b) {
  int64_t x, y, r;
  if (BothInline(a, b, &x, &y) && !__builtin_add_overflow(x, y, &r)) return Value::Int(r);
  return Binary(GoFloat::Op::kAdd, a, b, mpz_add);
}

Value Subtract(const Value& a, const Value& b) {
  int64_t x, y, r;
  if (BothInline(a, b, &x, &y) && !__builtin_sub_overflow(x, y, &r)) return Value::Int(r);
  return Binary(GoFloat::Op::kSub, a, b, mpz_sub);
}

Value Multiply(const Value& a, const Value& b) {
  int64_t x, y, r;
  if (BothInline(a, b, &x, &y) && !__builtin_mul_overflow(x, y, &r)) return Value::Int(r);
  return Binary(GoFloat::Op::kMul, a, b, mpz_mul);
}

absl::StatusOr<Value> Divide(const Value& a, const Value& b) {
  int64_t x, y;
  if (BothInline(a, b, &x, &y)) {
    if (y == 0) return absl::InvalidArgumentError("divide by zero");
    // A zero dividend goes the float way, as in OPA (0 / -1 is -0).
    if (x != 0 && y != -1 && x % y == 0) return Value::Int(x / y);
  } else {
    Mpq qb;
    NumberToMpq(b, qb.v);
    if (mpq_sgn(qb.v) == 0) return absl::InvalidArgumentError("divide by zero");
    if (a.IsInteger() && b.IsInteger()) {
      // Exact when the divisor divides the dividend.
      Mpq qa;
      NumberToMpq(a, qa.v);
      if (mpq_sgn(qa.v) != 0 && mpz_divisible_p(mpq_numref(qa.v), mpq_numref(qb.v))) {
        Mpz r;
        mpz_divexact(r.v, mpq_numref(qa.v), mpq_numref(qb.v));
        return NumberFromMpz(r.v);
      }
    }
  }
  return FloatOp(GoFloat::Op::kQuo, a, b);
}

absl::StatusOr<Value> Remainder(const Value& a, const Value& b) {
  int64_t x, y;
  if (BothInline(a, b, &x, &y)) {
    if (y == 0) return absl::InvalidArgumentError("modulo by zero");
    if (y == -1) return Value::Int(0);  // avoids INT64_MIN % -1 overflow
    return Value::Int(x % y);
  }
  if (!a.IsInteger() || !b.IsInteger()) {
    return absl::InvalidArgumentError("modulo on floating-point number");
  }
  Mpq qa, qb;
  NumberToMpq(a, qa.v);
  NumberToMpq(b, qb.v);
  if (mpq_sgn(qb.v) == 0) return absl::InvalidArgumentError("modulo by zero");
  Mpz r;
  mpz_tdiv_r(r.v, mpq_numref(qa.v), mpq_numref(qb.v));
  return NumberFromMpz(r.v);
}

Value Negate(const Value& a) {
  int64_t x;
  if (a.rep() == nullptr && a.AsInt64(&x) && x != std::numeric_limits<int64_t>::min()) {
    return Value::Int(-x);
  }
  Mpq q;
  NumberToMpq(a, q.v);
  mpq_neg(q.v, q.v);
  if (a.IsInteger()) return NumberFromMpq(q.v);
  // A decimal keeps its digits, with the sign flipped.
  std::string text = a.NumberText();
  return Value(new NumberRep(text[0] == '-' ? text.substr(1) : "-" + text,
                             [&q](mpq_ptr out) { mpq_swap(out, q.v); }));
}

Value Abs(const Value& a) {
  Mpq q;
  NumberToMpq(a, q.v);
  mpq_abs(q.v, q.v);
  if (a.IsInteger()) return NumberFromMpq(q.v);
  return FromGoFloat(GoFloat(q.v, false));
}

namespace {

enum class Rounding { kHalfAway, kCeil, kFloor };

Value RoundTo(const Value& a, Rounding mode) {
  int64_t x;
  if (a.AsInt64(&x)) return Value::Int(x);
  Mpq q;
  NumberToMpq(a, q.v);
  if (!a.IsInteger()) GoFloat(q.v, false).ToMpq(q.v);  // OPA rounds big.Floats
  Mpz r;
  switch (mode) {
    case Rounding::kCeil:
      mpz_cdiv_q(r.v, mpq_numref(q.v), mpq_denref(q.v));
      break;
    case Rounding::kFloor:
      mpz_fdiv_q(r.v, mpq_numref(q.v), mpq_denref(q.v));
      break;
    case Rounding::kHalfAway: {
      // trunc(|q| + 1/2) with the sign of q.
      Mpq half, absq;
      mpq_set_ui(half.v, 1, 2);
      mpq_abs(absq.v, q.v);
      mpq_add(absq.v, absq.v, half.v);
      mpz_tdiv_q(r.v, mpq_numref(absq.v), mpq_denref(absq.v));
      if (mpq_sgn(q.v) < 0) mpz_neg(r.v, r.v);
      break;
    }
  }
  return NumberFromMpz(r.v);
}

}  // namespace

Value Round(const Value& a) { return RoundTo(a, Rounding::kHalfAway); }
Value Ceil(const Value& a) { return RoundTo(a, Rounding::kCeil); }
Value Floor(const Value& a) { return RoundTo(a, Rounding::kFloor); }

}  // namespace number
}  // namespace policyd
