// sprintf: Go's fmt.Sprintf over Rego values, as OPA calls it. OPA hands Go
// each array element as one of four Go types, and Go's verbs and error
// notations (%!d(string=x), %!v(MISSING), %!(EXTRA ...)) follow from that:
//   - a number whose text is an int64 literal -> int;
//   - else a number whose text is an integer literal -> *big.Int;
//   - else a number that fits a float64 -> float64;
//   - everything else -> string: strings as they are, other values (and
//     numbers too large for a float64) in Rego term syntax.
#include <gmp.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/go/quote.h"
#include "engine/value/utf8.h"
#include "engine/value/value.h"
#include "util/hex.h"

namespace policyd {
namespace {

struct Arg {
  enum Type { kInt, kBigInt, kFloat, kString };
  explicit Arg(Type t) : type(t) {}
  Type type;
  int64_t i = 0;
  std::string text;  // kBigInt: signed decimal digits; kString: the string
  double f = 0;
};

std::string_view TypeName(Arg::Type t) {
  switch (t) {
    case Arg::kInt: return "int";
    case Arg::kBigInt: return "*big.Int";
    case Arg::kFloat: return "float64";
    case Arg::kString: return "string";
  }
  return "";
}

// Go's strconv.ParseInt(text, 10, 64).
bool ParseInt64(std::string_view text, int64_t* out) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && p == text.data() + text.size();
}

// big.Int.SetString(text, 10): optional sign, then decimal digits only.
bool IsIntegerLiteral(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Arg ToArg(const Value& v) {
  Arg a(Arg::kString);
  if (v.is_string()) {
    a.text = std::string(v.string());
    return a;
  }
  if (!v.is_number()) {
    a.text = v.ToRego();
    return a;
  }
  std::string text = v.NumberText();
  if (ParseInt64(text, &a.i)) {
    a.type = Arg::kInt;
  } else if (IsIntegerLiteral(text)) {
    a.type = Arg::kBigInt;
    a.text = text[0] == '+' ? text.substr(1) : text;
  } else if (double d = v.AsDouble(); std::isfinite(d)) {
    a.type = Arg::kFloat;
    a.f = d;
  } else {
    a.text = std::move(text);
  }
  return a;
}

struct Flags {
  bool plus = false, minus = false, sharp = false, space = false, zero = false;
  bool sharp_v = false, plus_v = false;
  bool wid_present = false, prec_present = false;
  int wid = 0, prec = 0;
};

// One fmt.Sprintf call.
class Printer {
 public:
  std::string Format(std::string_view format, const std::vector<Arg>& args);

 private:
  void PrintArg(const Arg& a, char32_t verb);
  void BadVerb(const Arg& a, char32_t verb);
  void WritePadding(int n);
  void Pad(std::string_view s);
  void FmtInteger(const Arg& a, char32_t verb);
  void FmtIntegerDigits(bool negative, bool zero_value, std::string digits,
                        int base, char32_t verb);
  void FmtBigInt(const Arg& a, char32_t verb);
  void FmtFloat(double v, char32_t verb);
  void FmtFloatPrec(double v, char verb, int prec);
  void FmtString(const std::string& s, char32_t verb);

  std::string out_;
  Flags f_;
};

void Printer::WritePadding(int n) {
  if (n <= 0) return;
  out_.append(static_cast<size_t>(n), f_.zero ? '0' : ' ');
}

// Pads s to the width in runes: left with spaces or zeros, or right (minus).
void Printer::Pad(std::string_view s) {
  if (!f_.wid_present || f_.wid == 0) {
    out_.append(s);
    return;
  }
  int width = f_.wid - static_cast<int>(utf8::RuneCount(s));
  if (!f_.minus) {
    WritePadding(width);
    out_.append(s);
  } else {
    out_.append(s);
    bool zero = f_.zero;
    f_.zero = false;
    WritePadding(width);
    f_.zero = zero;
  }
}

void Printer::BadVerb(const Arg& a, char32_t verb) {
  out_.append("%!");
  utf8::Append(verb, &out_);
  out_.push_back('(');
  out_.append(TypeName(a.type));
  out_.push_back('=');
  PrintArg(a, 'v');
  out_.push_back(')');
}

void Printer::PrintArg(const Arg& a, char32_t verb) {
  if (verb == 'T') {
    Pad(TypeName(a.type));
    return;
  }
  switch (a.type) {
    case Arg::kInt:
      FmtInteger(a, verb);
      return;
    case Arg::kBigInt:
      FmtBigInt(a, verb);
      return;
    case Arg::kFloat:
      FmtFloat(a.f, verb);
      return;
    case Arg::kString:
      FmtString(a.text, verb);
      return;
  }
}

std::string Digits(uint64_t u, int base, bool upper) {
  const char* digits = upper ? kHexUpper : kHexLower;
  std::string s;
  do {
    s.push_back(digits[u % base]);
    u /= base;
  } while (u != 0);
  return std::string(s.rbegin(), s.rend());
}

void Printer::FmtInteger(const Arg& a, char32_t verb) {
  bool negative = a.i < 0;
  uint64_t u = negative ? 0 - static_cast<uint64_t>(a.i)
                        : static_cast<uint64_t>(a.i);
  switch (verb) {
    case 'v':
    case 'd':
      FmtIntegerDigits(negative, u == 0, Digits(u, 10, false), 10, verb);
      return;
    case 'b':
      FmtIntegerDigits(negative, u == 0, Digits(u, 2, false), 2, verb);
      return;
    case 'o':
    case 'O':
      FmtIntegerDigits(negative, u == 0, Digits(u, 8, false), 8, verb);
      return;
    case 'x':
    case 'X':
      FmtIntegerDigits(negative, u == 0, Digits(u, 16, verb == 'X'), 16, verb);
      return;
    case 'c': {
      std::string s;
      utf8::Append(a.i < 0 || a.i > 0x10FFFF ? utf8::kRuneError
                                             : static_cast<char32_t>(a.i),
                   &s);
      Pad(s);
      return;
    }
    case 'q': {
      std::string s;
      utf8::Append(a.i < 0 || a.i > 0x10FFFF ? utf8::kRuneError
                                             : static_cast<char32_t>(a.i),
                   &s);
      std::string q = GoQuote(s);
      // A quoted rune: single quotes, '"' unescaped, '\'' escaped.
      q = q.substr(1, q.size() - 2);
      if (q == "\\\"") q = "\"";
      if (q == "'") q = "\\'";
      Pad("'" + q + "'");
      return;
    }
    case 'U': {
      std::string hex = Digits(u, 16, true);
      if (hex.size() < 4) hex.insert(0, 4 - hex.size(), '0');
      std::string s = (negative ? "U+-" : "U+") + hex;
      Pad(s);
      return;
    }
    default:
      BadVerb(a, verb);
  }
}

// Go's fmt.fmtInteger, given the magnitude's digits.
void Printer::FmtIntegerDigits(bool negative, bool zero_value,
                               std::string digits, int base, char32_t verb) {
  int prec = 0;
  if (f_.prec_present) {
    prec = f_.prec;
    if (prec == 0 && zero_value) {
      bool zero = f_.zero;
      f_.zero = false;
      WritePadding(f_.wid);
      f_.zero = zero;
      return;
    }
  } else if (f_.zero && !f_.minus && f_.wid_present) {
    prec = f_.wid;
    if (negative || f_.plus || f_.space) --prec;
  }
  std::string text;
  if (negative) {
    text = "-";
  } else if (f_.plus) {
    text = "+";
  } else if (f_.space) {
    text = " ";
  }
  if (verb == 'O') text += "0o";
  if (f_.sharp) {
    if (base == 2) text += "0b";
    if (base == 8 && digits[0] != '0' &&
        static_cast<int>(digits.size()) >= prec) {
      text += "0";
    }
    if (base == 16) text += verb == 'X' ? "0X" : "0x";
  }
  if (static_cast<int>(digits.size()) < prec) {
    text.append(static_cast<size_t>(prec) - digits.size(), '0');
  }
  text += digits;
  bool zero = f_.zero;
  f_.zero = false;
  Pad(text);
  f_.zero = zero;
}

// math/big's Int.Format.
void Printer::FmtBigInt(const Arg& a, char32_t verb) {
  int base;
  switch (verb) {
    case 'b': base = 2; break;
    case 'o': case 'O': base = 8; break;
    case 'd': case 's': case 'v': base = 10; break;
    case 'x': case 'X': base = 16; break;
    default: {
      out_.append("%!");
      utf8::Append(verb, &out_);
      out_.append("(big.Int=");
      out_.append(a.text);
      out_.push_back(')');
      return;
    }
  }
  bool negative = a.text[0] == '-';
  std::string digits;
  if (base == 10) {
    digits = negative ? a.text.substr(1) : a.text;
    size_t nz = digits.find_first_not_of('0');
    digits = nz == std::string::npos ? "0" : digits.substr(nz);
  } else {
    mpz_t z;
    mpz_init_set_str(z, a.text.c_str(), 10);
    mpz_abs(z, z);
    digits.assign(mpz_sizeinbase(z, base) + 2, '\0');
    mpz_get_str(digits.data(), base, z);
    mpz_clear(z);
    digits.resize(digits.find('\0'));
    if (verb == 'X') {
      for (char& c : digits) c = static_cast<char>(std::toupper(c));
    }
  }
  if (digits == "0") negative = false;
  std::string sign = negative         ? "-"
                     : (f_.plus || f_.plus_v) ? "+"
                     : f_.space       ? " "
                                      : "";
  std::string_view prefix;
  if (f_.sharp) {
    if (verb == 'b') prefix = "0b";
    if (verb == 'o') prefix = "0";
    if (verb == 'x') prefix = "0x";
    if (verb == 'X') prefix = "0X";
  }
  if (verb == 'O') prefix = "0o";
  int zeros = 0, left = 0, right = 0;
  if (f_.prec_present) {
    if (static_cast<int>(digits.size()) < f_.prec) {
      zeros = f_.prec - static_cast<int>(digits.size());
    } else if (digits == "0" && f_.prec == 0) {
      return;
    }
  }
  int length = static_cast<int>(sign.size() + prefix.size() + digits.size()) +
               zeros;
  if (f_.wid_present && length < f_.wid) {
    int d = f_.wid - length;
    if (f_.minus) {
      right = d;
    } else if (f_.zero && !f_.prec_present) {
      zeros = d;
    } else {
      left = d;
    }
  }
  out_.append(static_cast<size_t>(left), ' ');
  out_.append(sign);
  out_.append(prefix);
  out_.append(static_cast<size_t>(zeros), '0');
  out_.append(digits);
  out_.append(static_cast<size_t>(right), ' ');
}

// strconv.FormatFloat(v, 'e'|'f'|'g', -1, 64): the shortest digits that
// read back as v.
std::string ShortestFloat(double v, char verb) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v,
                                 std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(end - buf));
  bool neg = sci[0] == '-';
  if (neg) sci.remove_prefix(1);
  size_t epos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, epos)) {
    if (c != '.') digits.push_back(c);
  }
  int exp = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (digits == "0") exp = 0;
  bool upper = verb == 'E' || verb == 'G';
  char lower_verb = static_cast<char>(std::tolower(verb));
  if (lower_verb == 'g') lower_verb = (exp < -4 || exp >= 6) ? 'e' : 'f';
  std::string out = neg ? "-" : "";
  if (lower_verb == 'e') {
    out.push_back(digits[0]);
    if (digits.size() > 1) {
      out.push_back('.');
      out.append(digits.substr(1));
    }
    out.push_back(upper ? 'E' : 'e');
    out.push_back(exp < 0 ? '-' : '+');
    std::string e = std::to_string(exp < 0 ? -exp : exp);
    if (e.size() < 2) e.insert(0, "0");
    out.append(e);
    return out;
  }
  // 'f': digits with the decimal point placed by exp.
  int point = exp + 1;  // digits before the point
  if (point <= 0) {
    out.append("0.");
    out.append(static_cast<size_t>(-point), '0');
    out.append(digits);
  } else if (point >= static_cast<int>(digits.size())) {
    out.append(digits);
    out.append(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out.append(digits.substr(0, point));
    out.push_back('.');
    out.append(digits.substr(point));
  }
  return out;
}

// The text of v for a float verb (without padding).
std::string FloatText(double v, char verb, bool prec_present, int prec) {
  if (std::isinf(v)) return v < 0 ? "-Inf" : "+Inf";
  if (std::isnan(v)) return "NaN";
  if (verb == 'b') {
    // mantissa "p" binary exponent, as strconv's 'b' format.
    int e;
    double m = std::frexp(std::fabs(v), &e);
    auto mant = static_cast<uint64_t>(std::ldexp(m, 53));
    int exp = e - 53;
    if (v == 0) exp = -1074;
    std::string s = (std::signbit(v) ? "-" : "") + std::to_string(mant) + "p" +
                    (exp >= 0 ? "+" : "") + std::to_string(exp);
    return s;
  }
  char cverb = verb == 'x' ? 'a' : verb == 'X' ? 'A' : verb;
  if (!prec_present && (verb == 'e' || verb == 'E' || verb == 'f' ||
                        verb == 'F')) {
    prec_present = true;
    prec = 6;
  }
  if (!prec_present && (verb == 'g' || verb == 'G')) {
    return ShortestFloat(v, verb);
  }
  if ((verb == 'g' || verb == 'G') && prec == 0) prec = 1;
  char fmt[8];
  if (prec_present) {
    std::snprintf(fmt, sizeof(fmt), "%%.*%c", cverb);
  } else {
    std::snprintf(fmt, sizeof(fmt), "%%%c", cverb);
  }
  int n = prec_present ? std::snprintf(nullptr, 0, fmt, prec, v)
                       : std::snprintf(nullptr, 0, fmt, v);
  std::string s(static_cast<size_t>(n) + 1, '\0');
  if (prec_present) {
    std::snprintf(s.data(), s.size(), fmt, prec, v);
  } else {
    std::snprintf(s.data(), s.size(), fmt, v);
  }
  s.resize(static_cast<size_t>(n));
  if (cverb == 'a' || cverb == 'A') {
    // Go writes at least two exponent digits: 0x1.8p+01.
    size_t p = s.find_last_of("pP");
    if (p != std::string::npos && s.size() - p == 3) s.insert(p + 2, "0");
  }
  return s;
}

void Printer::FmtFloat(double v, char32_t verb) {
  char cverb;
  switch (verb) {
    case 'v': cverb = 'g'; break;
    case 'b': case 'g': case 'G': case 'x': case 'X':
    case 'f': case 'F': case 'e': case 'E':
      cverb = static_cast<char>(verb);
      break;
    default: {
      Arg a(Arg::kFloat);
      a.f = v;
      BadVerb(a, verb);
      return;
    }
  }
  std::string num = FloatText(v, cverb, f_.prec_present, f_.prec);
  if (num[0] != '-' && num[0] != '+') num.insert(0, "+");
  if (f_.space && num[0] == '+' && !f_.plus) num[0] = ' ';
  if (num[1] == 'I' || num[1] == 'N') {
    bool zero = f_.zero;
    f_.zero = false;
    if (num[1] == 'N' && !f_.space && !f_.plus) num.erase(0, 1);
    Pad(num);
    f_.zero = zero;
    return;
  }
  if (f_.plus || num[0] != '+') {
    if (f_.zero && !f_.minus && f_.wid_present &&
        f_.wid > static_cast<int>(num.size())) {
      out_.push_back(num[0]);
      WritePadding(f_.wid - static_cast<int>(num.size()));
      out_.append(num.substr(1));
      return;
    }
    Pad(num);
    return;
  }
  Pad(std::string_view(num).substr(1));
}

// Truncates s to `prec` runes when a precision is given.
std::string_view TruncateRunes(std::string_view s, const Flags& f) {
  if (!f.prec_present) return s;
  size_t i = 0;
  for (int n = 0; n < f.prec && i < s.size(); ++n) i += utf8::Width(s, i);
  return s.substr(0, i);
}

bool CanBackquote(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    char32_t r;
    size_t w = utf8::Decode(s, i, &r);
    if (r == utf8::kRuneError && w == 1) return false;
    if ((r < 0x20 && r != '\t') || r == '`' || r == 0x7F || r == 0xFEFF) {
      return false;
    }
    i += w;
  }
  return true;
}

void Printer::FmtString(const std::string& s, char32_t verb) {
  switch (verb) {
    case 'v':
      if (f_.sharp_v) {
        Pad(GoQuote(TruncateRunes(s, f_)));
      } else {
        Pad(TruncateRunes(s, f_));
      }
      return;
    case 's':
      Pad(TruncateRunes(s, f_));
      return;
    case 'x':
    case 'X': {
      const char* digits = verb == 'X' ? kHexUpper : kHexLower;
      size_t n = s.size();
      if (f_.prec_present && static_cast<size_t>(f_.prec) < n) {
        n = static_cast<size_t>(f_.prec);
      }
      std::string hex;
      for (size_t i = 0; i < n; ++i) {
        if (f_.space && i > 0) hex.push_back(' ');
        if (f_.sharp && (f_.space || i == 0)) {
          hex.append(verb == 'X' ? "0X" : "0x");
        }
        auto b = static_cast<unsigned char>(s[i]);
        hex.push_back(digits[b >> 4]);
        hex.push_back(digits[b & 0xF]);
      }
      Pad(hex);
      return;
    }
    case 'q': {
      std::string_view t = TruncateRunes(s, f_);
      if (f_.sharp && CanBackquote(t)) {
        Pad("`" + std::string(t) + "`");
      } else {
        Pad(GoQuote(t));
      }
      return;
    }
    default: {
      Arg a(Arg::kString);
      a.text = s;
      BadVerb(a, verb);
    }
  }
}

// Parses a decimal number at format[*i]; Go's fmt.parsenum.
bool ParseNum(std::string_view format, size_t* i, int* num) {
  bool present = false;
  *num = 0;
  while (*i < format.size() && format[*i] >= '0' && format[*i] <= '9') {
    if (*num > 1000000) return false;  // absurd width: Go's tooLarge
    *num = *num * 10 + (format[*i] - '0');
    present = true;
    ++*i;
  }
  return present;
}

std::string Printer::Format(std::string_view format,
                            const std::vector<Arg>& args) {
  size_t arg_num = 0;
  bool reordered = false;
  size_t end = format.size();
  for (size_t i = 0; i < end;) {
    bool good_arg_num = true;
    size_t lasti = i;
    while (i < end && format[i] != '%') ++i;
    out_.append(format.substr(lasti, i - lasti));
    if (i >= end) break;
    ++i;  // skip %
    f_ = Flags();
    // Flags.
    for (; i < end; ++i) {
      char c = format[i];
      if (c == '#') {
        f_.sharp = true;
      } else if (c == '0') {
        f_.zero = !f_.minus;
      } else if (c == '+') {
        f_.plus = true;
      } else if (c == '-') {
        f_.minus = true;
        f_.zero = false;
      } else if (c == ' ') {
        f_.space = true;
      } else {
        break;
      }
    }
    // An explicit argument index [n].
    bool after_index = false;
    auto arg_number = [&]() {
      if (i >= end || format[i] != '[') return;
      reordered = true;
      size_t close = format.find(']', i + 1);
      int n = 0;
      size_t j = i + 1;
      bool ok = close != std::string_view::npos && ParseNum(format, &j, &n) &&
                j == close && n >= 1 && static_cast<size_t>(n) <= args.size();
      if (!ok) {
        good_arg_num = false;
        i = close == std::string_view::npos ? i + 1 : close + 1;
        return;
      }
      arg_num = static_cast<size_t>(n - 1);
      i = close + 1;
      after_index = true;
    };
    // An int argument for '*'.
    auto int_from_arg = [&](int* out) {
      if (arg_num < args.size() && args[arg_num].type == Arg::kInt &&
          args[arg_num].i >= -1000000 && args[arg_num].i <= 1000000) {
        *out = static_cast<int>(args[arg_num].i);
        ++arg_num;
        return true;
      }
      if (arg_num < args.size()) ++arg_num;
      *out = 0;
      return false;
    };
    arg_number();
    if (i < end && format[i] == '*') {
      ++i;
      f_.wid_present = int_from_arg(&f_.wid);
      if (!f_.wid_present) out_.append("%!(BADWIDTH)");
      if (f_.wid < 0) {
        f_.wid = -f_.wid;
        f_.minus = true;
        f_.zero = false;
      }
      after_index = false;
    } else {
      f_.wid_present = ParseNum(format, &i, &f_.wid);
      if (after_index && f_.wid_present) good_arg_num = false;
    }
    if (i + 1 < end && format[i] == '.') {
      ++i;
      if (after_index) good_arg_num = false;
      after_index = false;
      arg_number();
      if (i < end && format[i] == '*') {
        ++i;
        f_.prec_present = int_from_arg(&f_.prec);
        if (f_.prec < 0) {
          f_.prec = 0;
          f_.prec_present = false;
        }
        if (!f_.prec_present) out_.append("%!(BADPREC)");
        after_index = false;
      } else {
        f_.prec_present = ParseNum(format, &i, &f_.prec);
        if (!f_.prec_present) {
          f_.prec = 0;
          f_.prec_present = true;
        }
      }
    }
    if (!after_index) arg_number();
    if (i >= end) {
      out_.append("%!(NOVERB)");
      break;
    }
    char32_t verb;
    i += utf8::Decode(format, i, &verb);
    if (verb == '%') {
      out_.push_back('%');
    } else if (!good_arg_num) {
      out_.append("%!");
      utf8::Append(verb, &out_);
      out_.append("(BADINDEX)");
    } else if (arg_num >= args.size()) {
      out_.append("%!");
      utf8::Append(verb, &out_);
      out_.append("(MISSING)");
    } else {
      if (verb == 'v') {
        f_.sharp_v = f_.sharp;
        f_.sharp = false;
        f_.plus_v = f_.plus;
        f_.plus = false;
      }
      PrintArg(args[arg_num], verb);
      ++arg_num;
    }
  }
  if (!reordered && arg_num < args.size()) {
    f_ = Flags();
    out_.append("%!(EXTRA ");
    for (size_t k = arg_num; k < args.size(); ++k) {
      if (k > arg_num) out_.append(", ");
      out_.append(TypeName(args[k].type));
      out_.push_back('=');
      PrintArg(args[k], 'v');
    }
    out_.push_back(')');
  }
  return std::move(out_);
}

BuiltinResult Sprintf(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view kName = "sprintf";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 2, args[1], Kind::kArray));
  const auto& elems = args[1].elements();
  std::string_view format = args[0].string();
  // The common "to string" use: sprintf("%d", [n]) and sprintf("%s", [s]).
  if (elems.size() == 1) {
    if (format == "%s" && elems[0].is_string()) {
      return std::optional<Value>(elems[0]);
    }
    int64_t n;
    if (format == "%d" && elems[0].is_number() &&
        ParseInt64(elems[0].NumberText(), &n)) {
      return std::optional<Value>(Value::String(std::to_string(n)));
    }
  }
  std::vector<Arg> go_args;
  go_args.reserve(elems.size());
  for (const Value& e : elems) go_args.push_back(ToArg(e));
  Printer printer;
  return std::optional<Value>(Value::String(printer.Format(format, go_args)));
}

}  // namespace

void RegisterSprintfBuiltins(BuiltinRegistry& registry) {
  registry.Add({"sprintf", 2, &Sprintf});
}

}  // namespace policyd
