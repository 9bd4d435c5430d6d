#include "engine/value/go_float.h"

#include <string>

#include "gtest/gtest.h"

namespace policyd::value_internal {
namespace {

// Go's Text for the 64-bit rounding of num/den.
std::string TextOf(long num, unsigned long den, bool negative_zero = false) {
  mpq_t q;
  mpq_init(q);
  mpq_set_si(q, num, den);
  mpq_canonicalize(q);
  std::string s = GoFloat(q, negative_zero).Text();
  mpq_clear(q);
  return s;
}

TEST(GoFloatTest, ShortFractionsPrintPlainly) {
  EXPECT_EQ(TextOf(5, 2), "2.5");
  EXPECT_EQ(TextOf(-1, 4), "-0.25");
  EXPECT_EQ(TextOf(1, 10), "0.1");
  EXPECT_EQ(TextOf(3, 10), "0.3");
  EXPECT_EQ(TextOf(1, 10000), "0.0001");
}

TEST(GoFloatTest, RepeatingFractionsUseAll64Bits) {
  // 1/3 rounds to 12297829382473034411 * 2^-65 = 0.333...3342; 20 digits
  // are the fewest that read back as that value.
  EXPECT_EQ(TextOf(1, 3), "0.33333333333333333334");
  EXPECT_EQ(TextOf(-2, 3).substr(0, 10), "-0.6666666");
}

TEST(GoFloatTest, ExponentFormOutsideTheGRange) {
  EXPECT_EQ(TextOf(1, 100000), "1e-05");
  EXPECT_EQ(TextOf(2469135, 2), "1.2345675e+06");
  EXPECT_EQ(TextOf(123456789, 10), "1.23456789e+07");
  EXPECT_EQ(TextOf(1234567, 10), "123456.7");
}

TEST(GoFloatTest, IntegersPrintInFull) {
  EXPECT_EQ(TextOf(1000000, 1), "1000000");
  EXPECT_EQ(TextOf(-42, 1), "-42");
  EXPECT_EQ(TextOf(0, 1), "0");
  EXPECT_EQ(TextOf(0, 1, true), "-0");
}

std::string IntegerText(const mpq_t q) {
  std::string s(mpz_sizeinbase(mpq_numref(q), 10) + 2, '\0');
  mpz_get_str(s.data(), 10, mpq_numref(q));
  s.resize(s.find('\0'));
  return s;
}

TEST(GoFloatTest, RoundsTo64BitsTiesToEven) {
  mpq_t q, back;
  mpq_init(q);
  mpq_init(back);
  // 2^64 + 1 needs 65 bits: it rounds to 2^64 (tie goes to the even 2^63 * 2).
  mpq_set_str(q, "18446744073709551617", 10);
  GoFloat(q, false).ToMpq(back);
  EXPECT_EQ(IntegerText(back), "18446744073709551616");
  // 2^64 + 3 rounds up to 2^64 + 4.
  mpq_set_str(q, "18446744073709551619", 10);
  GoFloat(q, false).ToMpq(back);
  EXPECT_EQ(IntegerText(back), "18446744073709551620");
  mpq_clear(q);
  mpq_clear(back);
}

TEST(GoFloatTest, ArithmeticSignOfZero) {
  mpq_t a, b, r;
  mpq_init(a);
  mpq_init(b);
  mpq_init(r);
  mpq_set_si(b, -5, 1);
  GoFloat zero(a, false), minus_five(b, false);
  bool negative_zero = false;
  GoFloat::Apply(GoFloat::Op::kQuo, zero, minus_five, r, &negative_zero);
  EXPECT_EQ(GoFloat(r, negative_zero).Text(), "-0");
  GoFloat::Apply(GoFloat::Op::kAdd, zero, minus_five, r, &negative_zero);
  EXPECT_EQ(GoFloat(r, negative_zero).Text(), "-5");
  mpq_clear(a);
  mpq_clear(b);
  mpq_clear(r);
}

TEST(GoFloatTest, TextReadsBackAsTheSameValue) {
  mpq_t q, back, reread;
  mpq_init(q);
  mpq_init(back);
  mpq_init(reread);
  uint64_t seed = 12345;
  for (int i = 0; i < 500; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    long num = static_cast<long>(seed >> 20) - (1L << 42);
    unsigned long den = (seed & 0xFFFFF) + 1;
    mpq_set_si(q, num, den);
    mpq_canonicalize(q);
    GoFloat f(q, false);
    f.ToMpq(back);
    std::string text = f.Text();
    // Parse the text exactly (mpq reads only plain decimals, so scale by hand).
    std::string digits;
    long exp10 = 0;
    size_t e = text.find('e');
    std::string mant = text.substr(0, e);
    if (e != std::string::npos) exp10 = std::stol(text.substr(e + 1));
    size_t dot = mant.find('.');
    if (dot != std::string::npos) {
      exp10 -= static_cast<long>(mant.size() - dot - 1);
      mant.erase(dot, 1);
    }
    mpq_set_str(reread, mant.c_str(), 10);
    mpz_t p;
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, static_cast<unsigned long>(exp10 < 0 ? -exp10 : exp10));
    if (exp10 < 0) {
      mpz_mul(mpq_denref(reread), mpq_denref(reread), p);
    } else {
      mpz_mul(mpq_numref(reread), mpq_numref(reread), p);
    }
    mpz_clear(p);
    mpq_canonicalize(reread);
    mpq_t again;
    mpq_init(again);
    GoFloat(reread, false).ToMpq(again);
    EXPECT_TRUE(mpq_equal(again, back)) << num << "/" << den << " printed " << text;
    mpq_clear(again);
  }
  mpq_clear(q);
  mpq_clear(back);
  mpq_clear(reread);
}

TEST(GoFloatTest, FormatGoDecimal) {
  EXPECT_EQ(FormatGoDecimal(false, "15", 1, false), "1.5");
  EXPECT_EQ(FormatGoDecimal(true, "1", 21, false), "-1e+20");
  EXPECT_EQ(FormatGoDecimal(false, "1", 21, true), "100000000000000000000");
  EXPECT_EQ(FormatGoDecimal(false, "5", -4, false), "5e-05");
  EXPECT_EQ(FormatGoDecimal(false, "5", -3, false), "0.0005");
}

}  // namespace
}  // namespace policyd::value_internal
