#include "engine/value/go_float.h"

#include <algorithm>
#include <cstring>

namespace policyd::value_internal {

namespace {

constexpr unsigned kPrecision = 64;

// A decimal 0.digits * 10^point with no trailing zeros in `digits`, like
// the decimal type of Go's math/big.
struct Decimal {
  std::string digits;
  long point = 0;

  char At(size_t i) const { return i < digits.size() ? digits[i] : '0'; }

  void Trim() {
    size_t end = digits.find_last_not_of('0');
    digits.resize(end == std::string::npos ? 0 : end + 1);
    if (digits.empty()) point = 0;
  }
  void RoundDown(size_t n) {
    if (n >= digits.size()) return;
    digits.resize(n);
    Trim();
  }
  void RoundUp(size_t n) {
    if (n >= digits.size()) return;
    size_t i = n;
    while (i > 0 && digits[i - 1] == '9') --i;
    if (i == 0) {
      digits = "1";
      ++point;
    } else {
      ++digits[i - 1];
      digits.resize(i);
    }
  }
  // Nearest, ties to even (ties only when the 5 is the last digit).
  void Round(size_t n) {
    if (n >= digits.size()) return;
    bool up;
    if (digits[n] == '5' && n + 1 == digits.size()) {
      up = n > 0 && (digits[n - 1] - '0') % 2 != 0;
    } else {
      up = digits[n] >= '5';
    }
    if (up) {
      RoundUp(n);
    } else {
      RoundDown(n);
    }
  }
};

std::string MpzDigits(const mpz_t z) {
  std::string s(mpz_sizeinbase(z, 10) + 2, '\0');
  mpz_get_str(s.data(), 10, z);
  s.resize(std::strlen(s.c_str()));
  return s;
}

// Exact decimal of m * 2^e (m >= 0).
Decimal ToDecimal(const mpz_t m, long e) {
  Decimal d;
  if (mpz_sgn(m) == 0) return d;
  mpz_t n;
  mpz_init(n);
  if (e >= 0) {
    mpz_mul_2exp(n, m, static_cast<unsigned long>(e));
    d.digits = MpzDigits(n);
    d.point = static_cast<long>(d.digits.size());
  } else {
    // m / 2^k = m * 5^k / 10^k.
    mpz_ui_pow_ui(n, 5, static_cast<unsigned long>(-e));
    mpz_mul(n, n, m);
    d.digits = MpzDigits(n);
    d.point = static_cast<long>(d.digits.size()) + e;
  }
  mpz_clear(n);
  d.Trim();
  return d;
}

}  // namespace

GoFloat::GoFloat(const mpq_t q, bool negative_zero) : exp_(0) {
  mpz_init(mant_);
  int sign = mpq_sgn(q);
  neg_ = sign < 0 || (sign == 0 && negative_zero);
  if (sign == 0) return;
  mpz_t num, den, rem;
  mpz_init(num);
  mpz_init(den);
  mpz_init(rem);
  mpz_abs(num, mpq_numref(q));
  long e = static_cast<long>(mpz_sizeinbase(num, 2)) -
           static_cast<long>(mpz_sizeinbase(mpq_denref(q), 2)) - kPrecision;
  while (true) {
    // mant = floor(|q| / 2^e), rem the remainder over the divisor den.
    mpz_abs(num, mpq_numref(q));
    mpz_set(den, mpq_denref(q));
    if (e < 0) {
      mpz_mul_2exp(num, num, static_cast<unsigned long>(-e));
    } else {
      mpz_mul_2exp(den, den, static_cast<unsigned long>(e));
    }
    mpz_fdiv_qr(mant_, rem, num, den);
    size_t bits = mpz_sizeinbase(mant_, 2);
    if (bits > kPrecision) {
      ++e;
    } else if (bits < kPrecision) {
      --e;
    } else {
      break;
    }
  }
  mpz_mul_2exp(rem, rem, 1);
  int c = mpz_cmp(rem, den);
  if (c > 0 || (c == 0 && mpz_odd_p(mant_))) {
    mpz_add_ui(mant_, mant_, 1);
    if (mpz_sizeinbase(mant_, 2) > kPrecision) {
      mpz_fdiv_q_2exp(mant_, mant_, 1);
      ++e;
    }
  }
  exp_ = e;
  mpz_clear(num);
  mpz_clear(den);
  mpz_clear(rem);
}

GoFloat::~GoFloat() { mpz_clear(mant_); }

void GoFloat::ToMpq(mpq_t out) const {
  mpq_set_z(out, mant_);
  if (exp_ >= 0) {
    mpq_mul_2exp(out, out, static_cast<unsigned long>(exp_));
  } else {
    mpq_div_2exp(out, out, static_cast<unsigned long>(-exp_));
  }
  if (neg_) mpq_neg(out, out);
}

void GoFloat::Apply(Op op, const GoFloat& a, const GoFloat& b, mpq_t exact_out,
                    bool* negative_zero_out) {
  mpq_t x, y;
  mpq_init(x);
  mpq_init(y);
  a.ToMpq(x);
  b.ToMpq(y);
  // IEEE sign rules for zero results, which big.Float follows.
  switch (op) {
    case Op::kAdd:
      mpq_add(exact_out, x, y);
      *negative_zero_out = a.is_zero() && b.is_zero() && a.neg_ && b.neg_;
      break;
    case Op::kSub:
      mpq_sub(exact_out, x, y);
      *negative_zero_out = a.is_zero() && b.is_zero() && a.neg_ && !b.neg_;
      break;
    case Op::kMul:
      mpq_mul(exact_out, x, y);
      *negative_zero_out = a.neg_ != b.neg_;
      break;
    case Op::kQuo:
      mpq_div(exact_out, x, y);
      *negative_zero_out = a.neg_ != b.neg_;
      break;
  }
  mpq_clear(x);
  mpq_clear(y);
}

std::string GoFloat::Text() const {
  if (is_zero()) return neg_ ? "-0" : "0";
  Decimal d = ToDecimal(mant_, exp_);

  // Shortest digits that still round to this value: every number within half
  // an ulp does (the bounds themselves only when the mantissa is even).
  mpz_t m2;
  mpz_init(m2);
  mpz_mul_2exp(m2, mant_, 1);
  mpz_sub_ui(m2, m2, 1);
  Decimal lower = ToDecimal(m2, exp_ - 1);
  mpz_add_ui(m2, m2, 2);
  Decimal upper = ToDecimal(m2, exp_ - 1);
  mpz_clear(m2);
  bool inclusive = mpz_even_p(mant_);
  for (size_t i = 0; i < d.digits.size(); ++i) {
    char m = d.digits[i];
    char l = lower.At(i);
    char u = upper.At(i);
    bool ok_down = l != m || (inclusive && i + 1 == lower.digits.size());
    bool ok_up = m != u && (inclusive || m + 1 < u || i + 1 < upper.digits.size());
    if (ok_down && ok_up) {
      d.Round(i + 1);
      break;
    }
    if (ok_down) {
      d.RoundDown(i + 1);
      break;
    }
    if (ok_up) {
      d.RoundUp(i + 1);
      break;
    }
  }

  bool integer = exp_ >= 0 || mpz_scan1(mant_, 0) >= static_cast<unsigned long>(-exp_);
  return FormatGoDecimal(neg_, d.digits, d.point, integer);
}

std::string FormatGoDecimal(bool negative, std::string_view digits, long point, bool fixed) {
  std::string out = negative ? "-" : "";
  long n = static_cast<long>(digits.size());
  long exp = point - 1;
  if (!fixed && n > 0 && (exp < -4 || exp >= 6)) {
    // d.ddde±XX
    out.push_back(digits[0]);
    if (n > 1) {
      out.push_back('.');
      out.append(digits.substr(1));
    }
    out.push_back('e');
    out.push_back(exp < 0 ? '-' : '+');
    long a = exp < 0 ? -exp : exp;
    if (a < 10) out.push_back('0');
    out.append(std::to_string(a));
    return out;
  }
  // ddd.ddd
  if (point > 0) {
    long m = std::min(n, point);
    out.append(digits.substr(0, m));
    out.append(point - m, '0');
  } else {
    out.push_back('0');
  }
  long frac = std::max(n - point, 0L);
  if (frac > 0) {
    out.push_back('.');
    for (long i = 0; i < frac; ++i) {
      long j = point + i;
      out.push_back(j >= 0 && j < n ? digits[j] : '0');
    }
  }
  return out;
}

}  // namespace policyd::value_internal
