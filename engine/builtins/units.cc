// units.parse and units.parse_bytes: "1.5Ki", "100m", "3.2E2MiB" to numbers.
// The arithmetic is exact decimal (mantissa x 10^exponent with GMP), so
// units.parse("500m") == 0.5 and units.parse("1.1Ki") == 1126.4 hold exactly.
#include <gmp.h>

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/value/value.h"

namespace policyd {
namespace {

using Args = absl::Span<const Value>;

// An exact decimal: mantissa * 10^exp10.
class Decimal {
 public:
  Decimal() { mpz_init(m_); }
  ~Decimal() { mpz_clear(m_); }
  Decimal(const Decimal&) = delete;
  Decimal& operator=(const Decimal&) = delete;

  // Parses [+-]digits[.digits][(e|E)[+-]digits] (digits on at least one side
  // of the point). False when `s` is not such a number.
  bool Parse(std::string_view s) {
    size_t i = 0;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    std::string digits;
    bool point = false;
    for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
      if (s[i] == '.') {
        if (point) return false;
        point = true;
      } else if (s[i] >= '0' && s[i] <= '9') {
        digits.push_back(s[i]);
        if (point) --exp10_;
      } else {
        return false;
      }
    }
    if (digits.empty()) return false;
    if (i < s.size()) {  // exponent
      ++i;
      bool eneg = false;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
      if (i >= s.size()) return false;
      int64_t e = 0;
      for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        if (e < 100000000) e = e * 10 + (s[i] - '0');
      }
      exp10_ += eneg ? -e : e;
    }
    mpz_set_str(m_, digits.c_str(), 10);
    if (neg) mpz_neg(m_, m_);
    return true;
  }

  void MultiplyPow(unsigned long base, unsigned long exp) {
    if (base == 10) {
      exp10_ += static_cast<int64_t>(exp);
      return;
    }
    mpz_t p;
    mpz_init(p);
    mpz_ui_pow_ui(p, base, exp);
    mpz_mul(m_, m_, p);
    mpz_clear(p);
  }
  void DivideByThousand() { exp10_ -= 3; }

  // The exact value as a number literal without exponent, or nullopt when
  // it would be absurdly long.
  std::optional<Value> ToNumber() {
    if (mpz_sgn(m_) == 0) return Value::Int(0);
    while (mpz_divisible_ui_p(m_, 10)) {
      mpz_divexact_ui(m_, m_, 10);
      ++exp10_;
    }
    if (exp10_ > 100000 || exp10_ < -100000) return std::nullopt;
    std::string digits = MantissaDigits();
    bool neg = digits[0] == '-';
    if (neg) digits.erase(0, 1);
    if (exp10_ >= 0) {
      digits.append(static_cast<size_t>(exp10_), '0');
    } else {
      auto frac = static_cast<size_t>(-exp10_);
      if (digits.size() <= frac) digits.insert(0, frac - digits.size() + 1, '0');
      digits.insert(digits.size() - frac, ".");
    }
    return Value::NumberFromText(neg ? "-" + digits : digits);
  }

  // The value truncated toward zero.
  std::optional<Value> ToTruncatedInteger() {
    if (exp10_ > 100000) return std::nullopt;
    if (exp10_ >= 0) {
      MultiplyPowExact(static_cast<unsigned long>(exp10_));
    } else if (exp10_ < -100000) {
      mpz_set_ui(m_, 0);
    } else {
      mpz_t p;
      mpz_init(p);
      mpz_ui_pow_ui(p, 10, static_cast<unsigned long>(-exp10_));
      mpz_tdiv_q(m_, m_, p);
      mpz_clear(p);
    }
    exp10_ = 0;
    return Value::NumberFromText(MantissaDigits());
  }

 private:
  void MultiplyPowExact(unsigned long exp) {
    mpz_t p;
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, exp);
    mpz_mul(m_, m_, p);
    mpz_clear(p);
  }
  std::string MantissaDigits() const {
    std::string s(mpz_sizeinbase(m_, 10) + 2, '\0');
    mpz_get_str(s.data(), 10, m_);
    s.resize(s.find('\0'));
    return s;
  }

  mpz_t m_;
  int64_t exp10_ = 0;
};

// Splits "1.5e3Ki" into the amount "1.5e3" and the unit "Ki". An 'e'/'E'
// belongs to the amount only when digits follow it ("5E" is 5 exa).
void SplitAmount(std::string_view s, std::string_view* amount,
                 std::string_view* unit) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
  if (i > 0 && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && s[j] >= '0' && s[j] <= '9') {
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      i = j;
    }
  }
  *amount = s.substr(0, i);
  *unit = s.substr(i);
}

std::string WithoutQuotes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '"') out.push_back(c);
  }
  return out;
}

// The power of 1000 (decimal) or 1024 (binary) named by a unit prefix letter
// k, m, g, t, p, e (lowercase); 0 when unknown.
unsigned long PrefixPower(char c) {
  switch (c) {
    case 'k': return 1;
    case 'm': return 2;
    case 'g': return 3;
    case 't': return 4;
    case 'p': return 5;
    case 'e': return 6;
    default: return 0;
  }
}

// A resource string ("1.5Gi", quotes ignored) read into its amount and
// unit. `amount_name` ("amount", "byte amount") names the amount in errors.
struct Resource {
  std::string text;  // without quotes; amount and unit point into it
  std::string_view amount, unit;
  Decimal value;     // the amount
};

absl::Status ReadResource(std::string_view name, const Value& arg,
                          std::string_view amount_name, Resource* out) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, arg, Kind::kString));
  out->text = WithoutQuotes(arg.string());
  if (out->text.find(' ') != std::string::npos) {
    return BuiltinError(name, "spaces not allowed in resource strings");
  }
  SplitAmount(out->text, &out->amount, &out->unit);
  if (out->amount.empty()) return BuiltinError(name, Concat("no ", amount_name, " provided"));
  if (!out->value.Parse(out->amount)) {
    return BuiltinError(name, Concat("could not parse ", amount_name, " to a number"));
  }
  return absl::OkStatus();
}

// Multiplies `d` by 1024^power (binary) or 1000^power.
void Scale(Decimal& d, bool binary, unsigned long power) {
  if (binary) {
    d.MultiplyPow(1024, power);
  } else {
    d.MultiplyPow(10, 3 * power);
  }
}

BuiltinResult Parse(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "units.parse";
  Resource r;
  POLICYD_RETURN_IF_ERROR(ReadResource(kName, args[0], "amount", &r));
  Decimal& d = r.value;
  // Only the first letter keeps its case, to tell milli 'm' from mega 'M'.
  std::string u(r.unit);
  for (size_t i = 1; i < u.size(); ++i) {
    u[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(u[i])));
  }
  if (u == "m") {
    d.DivideByThousand();
  } else if (!u.empty()) {
    char first =
        static_cast<char>(std::tolower(static_cast<unsigned char>(u[0])));
    unsigned long power = PrefixPower(first);
    bool binary = u.size() == 2 && u[1] == 'i';
    // 'm' alone is milli (above); mega is 'M'.
    bool decimal = u.size() == 1 && first != 'm';
    if (u == "M") decimal = true;
    if (power == 0 || (!binary && !decimal)) {
      return BuiltinError(kName, Concat("unit ", u, " not recognized"));
    }
    Scale(d, binary, power);
  }
  std::optional<Value> v = d.ToNumber();
  if (!v.has_value()) return BuiltinError(kName, "number too large");
  return v;
}

BuiltinResult ParseBytes(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "units.parse_bytes";
  Resource r;
  POLICYD_RETURN_IF_ERROR(ReadResource(kName, args[0], "byte amount", &r));
  Decimal& d = r.value;
  std::string u(r.unit);
  for (char& c : u) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!u.empty()) {
    unsigned long power = PrefixPower(u[0]);
    std::string_view rest = std::string_view(u).substr(1);
    bool binary = rest == "i" || rest == "ib";
    if (power == 0 || (!binary && !rest.empty() && rest != "b")) {
      return BuiltinError(kName, Concat("byte unit ", u, " not recognized"));
    }
    Scale(d, binary, power);
  }
  std::optional<Value> v = d.ToTruncatedInteger();
  if (!v.has_value()) return BuiltinError(kName, "number too large");
  return v;
}

}  // namespace

void RegisterUnitsBuiltins(BuiltinRegistry& registry) {
  registry.Add({"units.parse", 1, &Parse});
  registry.Add({"units.parse_bytes", 1, &ParseBytes});
}

}  // namespace policyd
