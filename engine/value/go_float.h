// GoFloat: a number rounded to a 64-bit binary mantissa, the way Go's
// big.Float holds it at its default precision. OPA computes every result
// that is not an integer with big.Float, so results and their printed form
// follow from this rounding (private to engine/value).
#ifndef POLICYD_ENGINE_VALUE_GO_FLOAT_H_
#define POLICYD_ENGINE_VALUE_GO_FLOAT_H_

#include <gmp.h>

#include <string>
#include <string_view>

namespace policyd::value_internal {

class GoFloat {
 public:
  // Rounds `q` to 64 significant bits, ties to even. `negative_zero` gives
  // -0 when q is zero (Go keeps the sign of zero).
  GoFloat(const mpq_t q, bool negative_zero);
  ~GoFloat();
  GoFloat(const GoFloat&) = delete;
  GoFloat& operator=(const GoFloat&) = delete;

  enum class Op { kAdd, kSub, kMul, kQuo };
  // The correctly rounded result of `a op b` (b nonzero for kQuo).
  static void Apply(Op op, const GoFloat& a, const GoFloat& b, mpq_t exact_out,
                    bool* negative_zero_out);

  bool is_zero() const { return mpz_sgn(mant_) == 0; }
  bool negative() const { return neg_; }
  // Exact value (zero for -0).
  void ToMpq(mpq_t out) const;
  // Go's Text('f', -1) for integers and Text('g', -1) otherwise: the
  // shortest decimal that reads back as the same 64-bit value.
  std::string Text() const;

 private:
  bool neg_;
  mpz_t mant_;  // 0, or 2^63 <= mant_ < 2^64
  long exp_;    // value = mant_ * 2^exp_
};

// Formats a decimal digit string with value 0.digits * 10^point the way Go's
// 'g' verb does with shortest precision (%e when the exponent is < -4 or
// >= 6, else %f), or 'f' when `fixed`. `digits` has no trailing zeros.
std::string FormatGoDecimal(bool negative, std::string_view digits, long point, bool fixed);

}  // namespace policyd::value_internal

#endif  // POLICYD_ENGINE_VALUE_GO_FLOAT_H_
