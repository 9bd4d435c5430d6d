// String builtins with OPA's semantics: positions and lengths count Unicode
// code points, while searching works on bytes (UTF-8 is self-synchronizing,
// so a byte match of valid text is a code-point match).
#include <gmp.h>
#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/go/template.h"
#include "engine/value/utf8.h"
#include "engine/value/value.h"

namespace policyd {
namespace {

using Args = absl::Span<const Value>;

// Checks that every argument in [0, n) is a string.
absl::Status CheckStrings(std::string_view name, Args args, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    POLICYD_RETURN_IF_ERROR(
        CheckOperand(name, static_cast<int>(i + 1), args[i], Kind::kString));
  }
  return absl::OkStatus();
}

// The strings of an array or set operand; `want` names the accepted kinds in
// the type error ("one of {set, array}").
absl::Status StringElements(std::string_view name, int pos, const Value& v,
                            std::string_view want,
                            std::vector<std::string_view>* out) {
  if (!v.is_array() && !v.is_set()) return OperandTypeError(name, pos, want, v);
  out->reserve(v.elements().size());
  for (const Value& e : v.elements()) {
    if (!e.is_string()) return OperandElementError(name, pos, v, "string", e);
    out->push_back(e.string());
  }
  return absl::OkStatus();
}

// Code-point index of the byte offset `byte` in s.
int64_t RuneIndex(std::string_view s, size_t byte) {
  return static_cast<int64_t>(utf8::RuneCount(s.substr(0, byte)));
}

// ---- concat, contains, startswith, endswith --------------------------------

BuiltinResult Concat(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "concat";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  std::vector<std::string_view> parts;
  POLICYD_RETURN_IF_ERROR(
      StringElements(kName, 2, args[1], "one of {set, array}", &parts));
  std::string_view sep = args[0].string();
  size_t total = parts.empty() ? 0 : sep.size() * (parts.size() - 1);
  for (std::string_view p : parts) total += p.size();
  std::string out;
  out.reserve(total);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(parts[i]);
  }
  return StringResult(std::move(out));
}

BuiltinResult Contains(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckStrings("contains", args, 2));
  return BoolResult(args[0].string().find(args[1].string()) !=
                    std::string_view::npos);
}

BuiltinResult StartsWith(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckStrings("startswith", args, 2));
  return BoolResult(args[0].string().starts_with(args[1].string()));
}

BuiltinResult EndsWith(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckStrings("endswith", args, 2));
  return BoolResult(args[0].string().ends_with(args[1].string()));
}

// strings.any_prefix_match / any_suffix_match: each operand is a string or an
// array/set of strings.
absl::Status StringOrStrings(std::string_view name, int pos, const Value& v,
                             std::vector<std::string_view>* out) {
  if (v.is_string()) {
    out->push_back(v.string());
    return absl::OkStatus();
  }
  return StringElements(name, pos, v, "one of {string, set, array}", out);
}

template <bool kPrefix>
BuiltinResult AnyAffixMatch(BuiltinContext&, Args args) {
  constexpr std::string_view kName =
      kPrefix ? "strings.any_prefix_match" : "strings.any_suffix_match";
  std::vector<std::string_view> strs, affixes;
  POLICYD_RETURN_IF_ERROR(StringOrStrings(kName, 1, args[0], &strs));
  POLICYD_RETURN_IF_ERROR(StringOrStrings(kName, 2, args[1], &affixes));
  for (std::string_view s : strs) {
    for (std::string_view a : affixes) {
      if (kPrefix ? s.starts_with(a) : s.ends_with(a)) return BoolResult(true);
    }
  }
  return BoolResult(false);
}

// ---- format_int ------------------------------------------------------------

// The decimal digits (with a leading '-' when negative) of the number literal
// `text` truncated toward zero, as Go's big.Float.Int does. False when the
// integer would be absurdly long.
bool TruncatedDecimal(std::string_view text, std::string* out) {
  bool neg = false;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    neg = text[i] == '-';
    ++i;
  }
  std::string digits;
  int64_t exp = 0;
  bool frac = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (frac) --exp;
    } else if (c == '.') {
      frac = true;
    } else if (c == 'e' || c == 'E') {
      int64_t e = 0;
      bool eneg = false;
      ++i;
      if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
        eneg = text[i] == '-';
        ++i;
      }
      for (; i < text.size(); ++i) {
        if (e < 1000000000) e = e * 10 + (text[i] - '0');
      }
      exp += eneg ? -e : e;
      break;
    }
  }
  if (exp > 100000) return false;
  if (exp >= 0) {
    digits.append(static_cast<size_t>(exp), '0');
  } else if (static_cast<uint64_t>(-exp) >= digits.size()) {
    digits.clear();
  } else {
    digits.resize(digits.size() - static_cast<size_t>(-exp));
  }
  size_t nz = digits.find_first_not_of('0');
  digits = nz == std::string::npos ? "0" : digits.substr(nz);
  *out = (neg && digits != "0") ? "-" + digits : digits;
  return true;
}

BuiltinResult FormatInt(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "format_int";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kNumber));
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 2, args[1], Kind::kNumber));
  int64_t base = 0;
  if (!args[1].AsInt64(&base) ||
      (base != 2 && base != 8 && base != 10 && base != 16)) {
    return absl::InvalidArgumentError(
        std::string(kName) + ": operand 2 must be one of {2, 8, 10, 16}");
  }
  std::string decimal;
  if (!TruncatedDecimal(args[0].NumberText(), &decimal)) {
    return BuiltinError(kName, "number too large");
  }
  if (base == 10) return StringResult(std::move(decimal));
  mpz_t z;
  mpz_init_set_str(z, decimal.c_str(), 10);
  std::string out(mpz_sizeinbase(z, static_cast<int>(base)) + 2, '\0');
  mpz_get_str(out.data(), static_cast<int>(base), z);
  mpz_clear(z);
  out.resize(out.find('\0'));
  return StringResult(std::move(out));
}

// ---- indexof, indexof_n, substring -----------------------------------------

BuiltinResult IndexOf(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "indexof";
  POLICYD_RETURN_IF_ERROR(CheckStrings(kName, args, 2));
  std::string_view s = args[0].string(), search = args[1].string();
  if (search.empty()) return BuiltinError(kName, "empty search character");
  size_t at = s.find(search);
  if (at == std::string_view::npos) return IntResult(-1);
  return IntResult(RuneIndex(s, at));
}

BuiltinResult IndexOfN(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "indexof_n";
  POLICYD_RETURN_IF_ERROR(CheckStrings(kName, args, 2));
  std::string_view s = args[0].string(), search = args[1].string();
  if (search.empty()) return BuiltinError(kName, "empty search character");
  // Overlapping matches, as OPA reports every starting code point.
  std::vector<Value> out;
  int64_t runes = 0;
  size_t counted = 0;  // bytes of s already counted into `runes`
  for (size_t at = s.find(search); at != std::string_view::npos;
       at = s.find(search, at + utf8::Width(s, at))) {
    runes += RuneIndex(s.substr(counted), at - counted);
    counted = at;
    out.push_back(Value::Int(runes));
  }
  return std::optional<Value>(Value::Array(std::move(out)));
}

BuiltinResult Substring(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "substring";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  POLICYD_ASSIGN_OR_RETURN(int64_t start, IntOperand(kName, 2, args[1]));
  POLICYD_ASSIGN_OR_RETURN(int64_t length, IntOperand(kName, 3, args[2]));
  if (start < 0) return BuiltinError(kName, "negative offset");
  std::string_view s = args[0].string();
  // Walk to the byte offset of code point `start`, then `length` more.
  size_t i = 0;
  for (int64_t n = 0; n < start && i < s.size(); ++n) i += utf8::Width(s, i);
  if (i >= s.size()) return StringResult("");
  size_t end = s.size();
  if (length >= 0) {
    end = i;
    for (int64_t n = 0; n < length && end < s.size(); ++n) {
      end += utf8::Width(s, end);
    }
  }
  return StringResult(std::string(s.substr(i, end - i)));
}

// ---- lower, upper ----------------------------------------------------------

// Unicode case mapping through glibc's C.UTF-8 locale (Go's ToLower/ToUpper
// use the simple Unicode mappings, as towlower/towupper do).
locale_t Utf8Locale() {
  static const locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr);
  return loc;
}

template <bool kUpper>
BuiltinResult ChangeCase(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(
      CheckOperand(kUpper ? "upper" : "lower", 1, args[0], Kind::kString));
  std::string_view s = args[0].string();
  std::string out;
  if (utf8::IsAscii(s)) {
    // Already in the wanted case (common for identifiers): no copy.
    size_t first = 0;
    while (first < s.size() &&
           (kUpper ? !absl::ascii_islower(s[first])
                   : !absl::ascii_isupper(s[first]))) {
      ++first;
    }
    if (first == s.size()) return std::optional<Value>(args[0]);
    out.resize(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
      out[i] = kUpper ? absl::ascii_toupper(s[i]) : absl::ascii_tolower(s[i]);
    }
    return StringResult(std::move(out));
  }
  out.reserve(s.size());
  locale_t loc = Utf8Locale();
  for (size_t i = 0; i < s.size();) {
    char32_t r;
    size_t w = utf8::Decode(s, i, &r);
    if (r == utf8::kRuneError && w == 1) {
      out.push_back(s[i]);  // keep invalid bytes as they are
    } else {
      wint_t m = loc == nullptr ? static_cast<wint_t>(r)
                 : kUpper       ? towupper_l(static_cast<wint_t>(r), loc)
                                : towlower_l(static_cast<wint_t>(r), loc);
      utf8::Append(static_cast<char32_t>(m), &out);
    }
    i += w;
  }
  return StringResult(std::move(out));
}

// ---- replace, strings.replace_n ---------------------------------------------

// Go's strings.ReplaceAll: an empty `old` matches before every rune and at
// the end.
std::string ReplaceAll(std::string_view s, std::string_view old,
                       std::string_view repl) {
  std::string out;
  if (old.empty()) {
    out.reserve(s.size() + (s.size() + 1) * repl.size());
    out.append(repl);
    for (size_t i = 0; i < s.size();) {
      size_t w = utf8::Width(s, i);
      out.append(s.substr(i, w));
      out.append(repl);
      i += w;
    }
    return out;
  }
  size_t last = 0;
  for (size_t at = s.find(old); at != std::string_view::npos;
       at = s.find(old, last)) {
    out.append(s.substr(last, at - last));
    out.append(repl);
    last = at + old.size();
  }
  out.append(s.substr(last));
  return out;
}

BuiltinResult Replace(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckStrings("replace", args, 3));
  std::string_view s = args[0].string(), old = args[1].string();
  if (!old.empty() && s.find(old) == std::string_view::npos) {
    return std::optional<Value>(args[0]);
  }
  return StringResult(ReplaceAll(s, old, args[2].string()));
}

// Go's strings.NewReplacer(old1, new1, ...).Replace: scanning left to right,
// at each position the first pair (in argument order, here: key order) whose
// old string matches wins; matches do not overlap.
BuiltinResult ReplaceN(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "strings.replace_n";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kObject));
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 2, args[1], Kind::kString));
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (const auto& [k, v] : args[0].entries()) {
    if (!k.is_string()) {
      return absl::InvalidArgumentError(
          std::string(kName) +
          ": operand 1 non-string key found in pattern object");
    }
    if (!v.is_string()) {
      return absl::InvalidArgumentError(
          std::string(kName) +
          ": operand 1 non-string value found in pattern object");
    }
    pairs.emplace_back(k.string(), v.string());
  }
  std::string_view s = args[1].string();
  std::string out;
  out.reserve(s.size());
  bool prev_empty = false;  // an empty old matched here already
  size_t i = 0;
  while (i <= s.size()) {
    const std::pair<std::string_view, std::string_view>* hit = nullptr;
    for (const auto& p : pairs) {
      if (p.first.empty() && prev_empty) continue;
      if (s.substr(i).starts_with(p.first)) {
        hit = &p;
        break;
      }
    }
    if (hit != nullptr) {
      out.append(hit->second);
      i += hit->first.size();
      prev_empty = hit->first.empty();
      continue;
    }
    prev_empty = false;
    if (i == s.size()) break;
    size_t w = utf8::Width(s, i);
    out.append(s.substr(i, w));
    i += w;
  }
  return StringResult(std::move(out));
}

// ---- split -----------------------------------------------------------------

BuiltinResult Split(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckStrings("split", args, 2));
  std::string_view s = args[0].string(), sep = args[1].string();
  std::vector<Value> out;
  if (sep.empty()) {
    for (size_t i = 0; i < s.size();) {
      size_t w = utf8::Width(s, i);
      out.push_back(Value::String(s.substr(i, w)));
      i += w;
    }
  } else {
    // Counted first, so that the parts are gathered in one allocation.
    size_t parts = 1;
    for (size_t at = s.find(sep); at != std::string_view::npos; at = s.find(sep, at + sep.size())) {
      ++parts;
    }
    out.reserve(parts);
    size_t last = 0;
    for (size_t at = s.find(sep); at != std::string_view::npos;
         at = s.find(sep, last)) {
      out.push_back(Value::String(s.substr(last, at - last)));
      last = at + sep.size();
    }
    out.push_back(Value::String(s.substr(last)));
  }
  return std::optional<Value>(Value::Array(std::move(out)));
}

// ---- trim family -----------------------------------------------------------

bool InCutset(char32_t r, std::string_view cutset) {
  for (size_t i = 0; i < cutset.size();) {
    char32_t c;
    i += utf8::Decode(cutset, i, &c);
    if (c == r) return true;
  }
  return false;
}

// Go's unicode.IsSpace.
bool IsSpace(char32_t r) {
  switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

// Trims runes for which `cut` holds from the left and/or right of s.
template <typename Pred>
std::string_view TrimFunc(std::string_view s, bool left, bool right, Pred cut) {
  size_t begin = 0;
  if (left) {
    while (begin < s.size()) {
      char32_t r;
      size_t w = utf8::Decode(s, begin, &r);
      if (!cut(r)) break;
      begin += w;
    }
  }
  size_t end = s.size();
  if (right) {
    // End of the last rune that is kept.
    end = begin;
    for (size_t i = begin; i < s.size();) {
      char32_t r;
      i += utf8::Decode(s, i, &r);
      if (!cut(r)) end = i;
    }
  }
  return s.substr(begin, end - begin);
}

BuiltinResult TrimResult(const Value& original, std::string_view trimmed) {
  if (trimmed.size() == original.string().size()) {
    return std::optional<Value>(original);
  }
  return StringResult(std::string(trimmed));
}

template <bool kLeft, bool kRight>
BuiltinResult Trim(BuiltinContext&, Args args) {
  constexpr std::string_view kName = kLeft && kRight ? "trim"
                                     : kLeft         ? "trim_left"
                                                     : "trim_right";
  POLICYD_RETURN_IF_ERROR(CheckStrings(kName, args, 2));
  std::string_view cutset = args[1].string();
  if (utf8::IsAscii(cutset)) {
    auto cut = [cutset](char32_t r) {
      return r < 0x80 && cutset.find(static_cast<char>(r)) !=
                             std::string_view::npos;
    };
    return TrimResult(args[0], TrimFunc(args[0].string(), kLeft, kRight, cut));
  }
  auto cut = [cutset](char32_t r) { return InCutset(r, cutset); };
  return TrimResult(args[0], TrimFunc(args[0].string(), kLeft, kRight, cut));
}

BuiltinResult TrimPrefix(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckStrings("trim_prefix", args, 2));
  std::string_view s = args[0].string();
  if (s.starts_with(args[1].string())) s.remove_prefix(args[1].string().size());
  return TrimResult(args[0], s);
}

BuiltinResult TrimSuffix(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckStrings("trim_suffix", args, 2));
  std::string_view s = args[0].string();
  if (s.ends_with(args[1].string())) s.remove_suffix(args[1].string().size());
  return TrimResult(args[0], s);
}

BuiltinResult TrimSpace(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckStrings("trim_space", args, 1));
  return TrimResult(args[0], TrimFunc(args[0].string(), true, true, IsSpace));
}

// ---- strings.reverse, strings.count ----------------------------------------

BuiltinResult Reverse(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckStrings("strings.reverse", args, 1));
  std::string_view s = args[0].string();
  std::string out(s.size(), '\0');
  size_t o = s.size();
  for (size_t i = 0; i < s.size();) {
    size_t w = utf8::Width(s, i);
    o -= w;
    s.copy(out.data() + o, w, i);
    i += w;
  }
  return StringResult(std::move(out));
}

BuiltinResult Count(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(CheckStrings("strings.count", args, 2));
  std::string_view s = args[0].string(), sub = args[1].string();
  if (sub.empty()) return IntResult(static_cast<int64_t>(utf8::RuneCount(s)) + 1);
  int64_t n = 0;
  for (size_t at = s.find(sub); at != std::string_view::npos;
       at = s.find(sub, at + sub.size())) {
    ++n;
  }
  return IntResult(n);
}

// ---- strings.render_template -------------------------------------------------

BuiltinResult RenderTemplate(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "strings.render_template";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 2, args[1], Kind::kObject));
  absl::StatusOr<std::string> out = RenderGoTemplate(args[0].string(), args[1]);
  if (!out.ok()) return BuiltinError(kName, MessageOf(out.status()));
  // OPA shows Go's "<no value>" (a missing key) as "<undefined>".
  return StringResult(ReplaceAll(*out, "<no value>", "<undefined>"));
}

// ---- internal.template_string ------------------------------------------------

// See RegisterStringBuiltins for the contract with the compiler.
BuiltinResult TemplateString(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "internal.template_string";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kArray));
  std::string out;
  for (const Value& piece : args[0].elements()) {
    if (piece.is_string()) {
      out.append(piece.string());
      continue;
    }
    if (!piece.is_set()) {
      return OperandElementError(kName, 1, args[0], "string or set", piece);
    }
    const auto& values = piece.elements();
    if (values.empty()) {
      out.append("<undefined>");
    } else if (values.size() > 1) {
      return BuiltinError(kName,
                          "template-strings must not produce multiple outputs");
    } else if (values[0].is_string()) {
      out.append(values[0].string());
    } else {
      values[0].AppendRego(&out);
    }
  }
  return StringResult(std::move(out));
}

}  // namespace

// internal.template_string(pieces) is what the compiler emits for a Rego
// template string $"a {x} b". `pieces` is an array, one element per piece, in
// order:
//  - a literal piece is a string, copied as is (escapes already resolved);
//  - an embedded expression `e` is the set of its values, i.e. the compiler
//    passes the set comprehension {v | v = e}: an empty set (e undefined)
//    renders "<undefined>"; one value renders as itself when it is a string,
//    else in Rego term syntax ([1, "a"], {"a": 1}, set(), 13.37, null);
//    more than one value is an eval_builtin_error.
void RegisterStringBuiltins(BuiltinRegistry& registry) {
  registry.Add({"concat", 2, &Concat});
  registry.Add({"contains", 2, &Contains});
  registry.Add({"startswith", 2, &StartsWith});
  registry.Add({"endswith", 2, &EndsWith});
  registry.Add({"strings.any_prefix_match", 2, &AnyAffixMatch<true>});
  registry.Add({"strings.any_suffix_match", 2, &AnyAffixMatch<false>});
  registry.Add({"format_int", 2, &FormatInt});
  registry.Add({"indexof", 2, &IndexOf});
  registry.Add({"indexof_n", 2, &IndexOfN});
  registry.Add({"substring", 3, &Substring});
  registry.Add({"lower", 1, &ChangeCase<false>});
  registry.Add({"upper", 1, &ChangeCase<true>});
  registry.Add({"replace", 3, &Replace});
  registry.Add({"strings.replace_n", 2, &ReplaceN});
  registry.Add({"split", 2, &Split});
  registry.Add({"trim", 2, &Trim<true, true>});
  registry.Add({"trim_left", 2, &Trim<true, false>});
  registry.Add({"trim_right", 2, &Trim<false, true>});
  registry.Add({"trim_prefix", 2, &TrimPrefix});
  registry.Add({"trim_suffix", 2, &TrimSuffix});
  registry.Add({"trim_space", 1, &TrimSpace});
  registry.Add({"strings.reverse", 1, &Reverse});
  registry.Add({"strings.count", 2, &Count});
  registry.Add({"strings.render_template", 2, &RenderTemplate});
  registry.Add({"internal.template_string", 1, &TemplateString});
}

}  // namespace policyd
