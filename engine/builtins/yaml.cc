// yaml.* builtins. OPA converts between YAML and JSON with Go's
// sigs.k8s.io/yaml over go-yaml v2, so this file follows YAML 1.1 scalar
// resolution as go-yaml v2 does ("yes", "on" are booleans, "0x1F" an
// integer, timestamps stay strings) and emits go-yaml v2's block style
// (sorted keys, sequences not indented under their key). yaml-cpp parses.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/encoding_parts.h"
#include "engine/builtins/go/json.h"
#include "engine/value/utf8.h"
#include "yaml-cpp/yaml.h"
#include "util/hex.h"

namespace policyd {
namespace {

constexpr std::string_view kUnmarshal = "yaml.unmarshal";

// ---------------------------------------------------------------------------
// Scalar resolution (go-yaml v2's resolve()).

enum class ScalarTag { kNull, kBool, kInt, kFloat, kTimestamp, kMerge, kStr };

struct Resolved {
  ScalarTag tag = ScalarTag::kStr;
  bool boolean = false;
  std::string number;  // decimal text for kInt
  double real = 0;     // for kFloat
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Go's strconv.ParseInt/ParseUint with base 0 on text whose underscores
// were removed: optional sign, then 0x/0o/0b prefixes or a leading 0 for
// octal. Returns false when the text is not such an integer or overflows
// 64 bits (signed or, without a minus sign, unsigned).
bool ParseGoInt(std::string_view s, std::string* decimal) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
    if (s.empty()) return false;
  }
  unsigned __int128 v = 0;
  for (char c : s) {
    int d;
    if (IsDigit(c)) {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    if (d >= base) return false;
    v = v * base + d;
    if (v > UINT64_MAX) return false;
  }
  if (neg && v > static_cast<unsigned __int128>(INT64_MAX) + 1) return false;
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  if (neg && digits != "0") digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  *decimal = std::move(digits);
  return true;
}

// go-yaml's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool IsYamlStyleFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  if (digits == 0) {
    if (i >= s.size() || s[i] != '.') return false;
    ++i;
    size_t frac = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac;
    if (frac == 0) return false;
  } else if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp;
    if (exp == 0) return false;
  }
  return i == s.size();
}

// go-yaml v2's timestamp forms: a date (yyyy-m-d) alone or followed by
// 'T', 't' or ' ' and a time.
bool LooksLikeTimestamp(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i != 4 || i >= s.size() || s[i] != '-') return false;
  for (int part = 0; part < 2; ++part) {
    ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start || i - start > 2) return false;
    if (part == 0 && (i >= s.size() || s[i] != '-')) return false;
  }
  if (i == s.size()) return true;
  if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return false;
  size_t colon = s.find(':', i);
  return colon != std::string_view::npos && colon > i + 1 &&
         IsDigit(s[i + 1]);
}

Resolved Resolve(std::string_view s) {
  Resolved r;
  static constexpr std::string_view kTrue[] = {
      "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static constexpr std::string_view kFalse[] = {
      "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    r.tag = ScalarTag::kNull;
    return r;
  }
  for (std::string_view t : kTrue) {
    if (s == t) {
      r.tag = ScalarTag::kBool;
      r.boolean = true;
      return r;
    }
  }
  for (std::string_view f : kFalse) {
    if (s == f) {
      r.tag = ScalarTag::kBool;
      return r;
    }
  }
  if (s == "<<") {
    r.tag = ScalarTag::kMerge;
    return r;
  }
  static constexpr std::string_view kPosInf[] = {".inf", ".Inf", ".INF",
                                                 "+.inf", "+.Inf", "+.INF"};
  static constexpr std::string_view kNegInf[] = {"-.inf", "-.Inf", "-.INF"};
  static constexpr std::string_view kNan[] = {".nan", ".NaN", ".NAN"};
  for (std::string_view x : kPosInf) {
    if (s == x) {
      r.tag = ScalarTag::kFloat;
      r.real = INFINITY;
      return r;
    }
  }
  for (std::string_view x : kNegInf) {
    if (s == x) {
      r.tag = ScalarTag::kFloat;
      r.real = -INFINITY;
      return r;
    }
  }
  for (std::string_view x : kNan) {
    if (s == x) {
      r.tag = ScalarTag::kFloat;
      r.real = NAN;
      return r;
    }
  }
  char c = s[0];
  if (!(IsDigit(c) || c == '+' || c == '-' || c == '.')) return r;
  if (IsDigit(c) && LooksLikeTimestamp(s)) {
    r.tag = ScalarTag::kTimestamp;
    return r;
  }
  std::string plain;
  for (char ch : s) {
    if (ch != '_') plain.push_back(ch);
  }
  if (ParseGoInt(plain, &r.number)) {
    r.tag = ScalarTag::kInt;
    return r;
  }
  if (IsYamlStyleFloat(plain)) {
    r.tag = ScalarTag::kFloat;
    r.real = std::strtod(plain.c_str(), nullptr);
    return r;
  }
  return r;
}

// ---------------------------------------------------------------------------
// YAML -> Value.

// The shortest decimal digits (no trailing zeros) that read back as `d`
// (d > 0), and the decimal exponent of the first digit.
// With `single`, d is a float32 and the digits read back as that float.
std::string ShortestDigits(double d, bool single, int* exponent) {
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
    if (single ? std::strtof(buf, nullptr) == static_cast<float>(d)
               : std::strtod(buf, nullptr) == d) {
      break;
    }
  }
  // buf is "D.DDDDe+XX" (or "De+XX").
  std::string_view text(buf);
  size_t e = text.find('e');
  std::string digits;
  for (char ch : text.substr(0, e)) {
    if (IsDigit(ch)) digits.push_back(ch);
  }
  *exponent = std::atoi(buf + e + 1);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  return digits;
}

// A finite double with the shortest digits, in e-notation ("1e+21") when the
// exponent is outside [min_exp, max_exp): Go's encoding/json uses [-6, 21),
// strconv.FormatFloat(f, 'g', -1, ...) (go-yaml) uses [-4, 6).
std::string FormatGoFloat(double d, int min_exp, int max_exp,
                          bool single = false) {
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  std::string out;
  if (d < 0) {
    out.push_back('-');
    d = -d;
  }
  int exp;
  std::string digits = ShortestDigits(d, single, &exp);
  if (exp < min_exp || exp >= max_exp) {
    out.push_back(digits[0]);
    if (digits.size() > 1) {
      out.push_back('.');
      out.append(digits.substr(1));
    }
    out.push_back('e');
    out.push_back(exp < 0 ? '-' : '+');
    int a = exp < 0 ? -exp : exp;
    if (a < 10) out.push_back('0');
    out.append(std::to_string(a));
    return out;
  }
  if (exp < 0) {
    out.append("0.");
    out.append(static_cast<size_t>(-exp - 1), '0');
    out.append(digits);
  } else if (static_cast<int>(digits.size()) <= exp + 1) {
    out.append(digits);
    out.append(static_cast<size_t>(exp + 1 - digits.size()), '0');
  } else {
    out.append(digits.substr(0, exp + 1));
    out.push_back('.');
    out.append(digits.substr(exp + 1));
  }
  return out;
}

absl::Status UnsupportedFloat(double d) {
  return BuiltinError(kUnmarshal,
                      Concat("json: unsupported value: ",
                             std::isnan(d) ? "NaN" : (d > 0 ? "+Inf" : "-Inf")));
}

absl::StatusOr<Value> ScalarToValue(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  // Quoted and block scalars carry the non-specific tag "!": always strings.
  if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") {
    return Value::String(text);
  }
  Resolved r = Resolve(text);
  switch (r.tag) {
    case ScalarTag::kNull:
      return Value::Null();
    case ScalarTag::kBool:
      return Value::Bool(r.boolean);
    case ScalarTag::kInt:
      return *Value::NumberFromText(r.number);
    case ScalarTag::kFloat: {
      if (!std::isfinite(r.real)) return UnsupportedFloat(r.real);
      // encoding/json writes floats with exponents outside [-6, 21) in
      // e-notation; OPA then reads that text back as the number.
      std::optional<Value> v =
          Value::NumberFromText(FormatGoFloat(r.real, -6, 21));
      return *v;
    }
    case ScalarTag::kTimestamp:
    case ScalarTag::kMerge:
    case ScalarTag::kStr:
      return Value::String(text);
  }
  return Value::String(text);
}

// sigs.k8s.io/yaml turns a non-string key into text: integers in decimal,
// floats with 32-bit 'g' formatting, booleans as true/false.
absl::StatusOr<std::string> KeyText(const YAML::Node& key) {
  if (key.IsScalar()) {
    if (key.Tag() == "!" || key.Tag() == "tag:yaml.org,2002:str") {
      return key.Scalar();
    }
    Resolved r = Resolve(key.Scalar());
    switch (r.tag) {
      case ScalarTag::kBool:
        return std::string(r.boolean ? "true" : "false");
      case ScalarTag::kInt:
        return r.number;
      case ScalarTag::kFloat:
        if (std::isnan(r.real)) return std::string(".nan");
        if (std::isinf(r.real)) return std::string(r.real > 0 ? ".inf" : "-.inf");
        return FormatGoFloat(static_cast<float>(r.real), -4, 6, true);
      case ScalarTag::kNull:
        break;
      default:
        return key.Scalar();
    }
  }
  return BuiltinError(kUnmarshal, "unsupported map key");
}

absl::StatusOr<Value> NodeToValue(const YAML::Node& node);

absl::Status AddMapEntries(const YAML::Node& node,
                           std::vector<ObjectEntry>* entries);

// A "<<" merge key brings in the entries of a mapping (or a sequence of
// mappings) that the enclosing mapping does not set itself.
absl::Status Merge(const YAML::Node& value, std::vector<ObjectEntry>* merged) {
  if (value.IsMap()) return AddMapEntries(value, merged);
  if (value.IsSequence()) {
    for (size_t i = value.size(); i-- > 0;) {
      if (!value[i].IsMap()) {
        return BuiltinError(kUnmarshal,
                            "yaml: map merge requires map or sequence of maps "
                            "as the value");
      }
      POLICYD_RETURN_IF_ERROR(AddMapEntries(value[i], merged));
    }
    return absl::OkStatus();
  }
  return BuiltinError(
      kUnmarshal,
      "yaml: map merge requires map or sequence of maps as the value");
}

absl::Status AddMapEntries(const YAML::Node& node,
                           std::vector<ObjectEntry>* entries) {
  std::vector<ObjectEntry> merged;
  for (const auto& kv : node) {
    const YAML::Node& key = kv.first;
    if (key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<") {
      POLICYD_RETURN_IF_ERROR(Merge(kv.second, &merged));
      continue;
    }
    POLICYD_ASSIGN_OR_RETURN(std::string k, KeyText(key));
    POLICYD_ASSIGN_OR_RETURN(Value v, NodeToValue(kv.second));
    entries->emplace_back(Value::String(std::move(k)), std::move(v));
  }
  // Merged entries go first so that the mapping's own keys win (Object
  // keeps the last entry of a repeated key).
  entries->insert(entries->begin(), merged.begin(), merged.end());
  return absl::OkStatus();
}

absl::StatusOr<Value> NodeToValue(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Value::Null();
    case YAML::NodeType::Scalar:
      return ScalarToValue(node);
    case YAML::NodeType::Sequence: {
      std::vector<Value> elems;
      elems.reserve(node.size());
      for (const auto& child : node) {
        absl::StatusOr<Value> v = NodeToValue(child);
        if (!v.ok()) return v;
        elems.push_back(*std::move(v));
      }
      return Value::Array(std::move(elems));
    }
    case YAML::NodeType::Map: {
      std::vector<ObjectEntry> entries;
      POLICYD_RETURN_IF_ERROR(AddMapEntries(node, &entries));
      return Value::Object(std::move(entries));
    }
  }
  return Value::Null();
}

// yaml-cpp's messages for unterminated collections, in libyaml's words (which
// OPA users see): "yaml: line 1: did not find expected ',' or ']'".
std::string ParseErrorText(const YAML::Exception& e) {
  std::string msg = e.msg;
  if (msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) {
    msg = "did not find expected ',' or ']'";
  } else if (msg == YAML::ErrorMsg::END_OF_MAP_FLOW) {
    msg = "did not find expected ',' or '}'";
  } else if (msg == YAML::ErrorMsg::END_OF_SEQ) {
    msg = "did not find expected '-' indicator";
  } else if (msg == YAML::ErrorMsg::END_OF_MAP) {
    msg = "did not find expected key";
  }
  if (e.mark.is_null()) return Concat("yaml: ", msg);
  return Concat("yaml: line ", static_cast<int64_t>(e.mark.line + 1), ": ",
                msg);
}

absl::StatusOr<YAML::Node> Load(std::string_view text) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(ParseErrorText(e));
  }
}

BuiltinResult YamlUnmarshal(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(kUnmarshal, 1, args[0], Kind::kString));
  absl::StatusOr<YAML::Node> node = Load(args[0].string());
  if (!node.ok()) return BuiltinError(kUnmarshal, MessageOf(node.status()));
  POLICYD_ASSIGN_OR_RETURN(Value v, NodeToValue(*node));
  return std::optional<Value>(std::move(v));
}

BuiltinResult YamlIsValid(BuiltinContext&, absl::Span<const Value> args) {
  if (!args[0].is_string()) return BoolResult(false);
  return BoolResult(Load(args[0].string()).ok());
}

// ---------------------------------------------------------------------------
// Value -> YAML text, in go-yaml v2's block style.

// libyaml's printable set (unicode output enabled).
bool Printable(char32_t r) {
  return r == 0x0A || (r >= 0x20 && r <= 0x7E) || r == 0x85 ||
         (r >= 0xA0 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD && r != 0xFEFF) ||
         (r >= 0x10000 && r <= 0x10FFFF);
}

bool IsBase60Float(std::string_view s) {
  // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i >= s.size() || !IsDigit(s[i])) return false;
  while (i < s.size() && (IsDigit(s[i]) || s[i] == '_')) ++i;
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i]) && i - start < 2) ++i;
    size_t n = i - start;
    if (n == 0 || (n == 2 && s[start] > '5')) return false;
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && (IsDigit(s[i]) || s[i] == '_')) ++i;
  }
  return i == s.size();
}

enum class Style { kPlain, kSingle, kDouble, kLiteral };

// The scalar style go-yaml v2 and libyaml settle on for a string.
Style ChooseStyle(std::string_view s, bool simple_key) {
  // go-yaml asks for double quotes when the text would read back as
  // something other than a string (null, bool, number, timestamp).
  Resolved resolved = Resolve(s);
  if (resolved.tag != ScalarTag::kStr || IsBase60Float(s)) {
    return Style::kDouble;
  }
  bool special = false;      // unprintable: only double quotes can hold it
  bool line_breaks = false;
  bool indicators = false;   // would be read as YAML syntax
  bool space_break = false;  // a space before a line break
  bool edge_space = false;   // leading or trailing space or line break
  bool trailing_space = false;
  if (s.substr(0, 3) == "---" || s.substr(0, 3) == "...") indicators = true;
  bool prev_space = false;
  for (size_t i = 0; i < s.size();) {
    char32_t r;
    size_t n = utf8::Decode(s, i, &r);
    bool first = i == 0;
    bool last = i + n == s.size();
    char next = last ? ' ' : s[i + n];
    bool followed_by_blank = last || next == ' ' || next == '\t' ||
                             next == '\n' || next == '\r';
    if ((r == utf8::kRuneError && n == 1) || !Printable(r) || r == 0xFEFF) {
      special = true;
    }
    if (first) {
      if (r < 0x80 && std::string_view("#,[]{}&*!|>'\"%@`").find(
                          static_cast<char>(r)) != std::string_view::npos) {
        indicators = true;
      }
      if ((r == '?' || r == ':' || r == '-') && followed_by_blank) {
        indicators = true;
      }
    } else if ((r == ':' && followed_by_blank) || (r == '#' && prev_space)) {
      indicators = true;
    }
    if (r == ' ' || r == '\n') {
      if (first || last) edge_space = true;
      if (r == ' ' && last) trailing_space = true;
      if (r == '\n') {
        line_breaks = true;
        if (prev_space) space_break = true;
      }
    }
    prev_space = r == ' ';
    i += n;
  }
  if (special || space_break) return Style::kDouble;
  if (line_breaks) {
    if (simple_key || trailing_space || edge_space) return Style::kDouble;
    return Style::kLiteral;
  }
  if (!edge_space && !indicators) return Style::kPlain;
  return Style::kSingle;
}

// libyaml folds plain and quoted scalars at a space once the line is past 80
// columns (go-yaml v2 keeps that default width); the folded space becomes a
// line break and the continuation is indented by `cont`.
constexpr int kBestWidth = 80;

class ScalarWriter {
 public:
  ScalarWriter(std::string* out, int cont, bool allow_breaks)
      : out_(out), cont_(cont), allow_breaks_(allow_breaks) {
    size_t nl = out->rfind('\n');
    std::string_view line = nl == std::string::npos
                                ? std::string_view(*out)
                                : std::string_view(*out).substr(nl + 1);
    column_ = static_cast<int>(utf8::RuneCount(line));
  }

  void Put(std::string_view text) {
    out_->append(text);
    column_ += static_cast<int>(utf8::RuneCount(text));
  }
  bool PastWidth() const { return allow_breaks_ && column_ > kBestWidth; }
  void Break() {
    out_->push_back('\n');
    out_->append(static_cast<size_t>(cont_), ' ');
    column_ = cont_;
  }

 private:
  std::string* out_;
  int cont_;
  bool allow_breaks_;
  int column_ = 0;
};

void AppendPlain(std::string_view s, ScalarWriter& w) {
  bool spaces = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ') {
      bool next_space = i + 1 < s.size() && s[i + 1] == ' ';
      if (!spaces && w.PastWidth() && !next_space) {
        w.Break();
      } else {
        w.Put(" ");
      }
      spaces = true;
    } else {
      size_t n = utf8::Width(s, i);
      w.Put(s.substr(i, n));
      i += n - 1;
      spaces = false;
    }
  }
}

void AppendSingleQuoted(std::string_view s, ScalarWriter& w) {
  w.Put("'");
  bool spaces = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ') {
      bool inner = i != 0 && i + 1 != s.size();
      bool next_space = i + 1 < s.size() && s[i + 1] == ' ';
      if (!spaces && w.PastWidth() && inner && !next_space) {
        w.Break();
      } else {
        w.Put(" ");
      }
      spaces = true;
    } else {
      size_t n = utf8::Width(s, i);
      w.Put(s[i] == '\'' ? "''" : s.substr(i, n));
      i += n - 1;
      spaces = false;
    }
  }
  w.Put("'");
}

void AppendDoubleQuoted(std::string_view s, ScalarWriter& w) {
  w.Put("\"");
  bool spaces = false;
  for (size_t i = 0; i < s.size();) {
    char32_t r;
    size_t n = utf8::Decode(s, i, &r);
    if (r == utf8::kRuneError && n == 1) r = static_cast<unsigned char>(s[i]);
    if (r == ' ') {
      bool inner = i != 0 && i + 1 != s.size();
      if (!spaces && w.PastWidth() && inner) {
        w.Break();
        // A leading space of the continuation would be dropped: escape it.
        if (i + 1 < s.size() && s[i + 1] == ' ') w.Put("\\");
      } else {
        w.Put(" ");
      }
      spaces = true;
      i += n;
      continue;
    }
    spaces = false;
    switch (r) {
      case 0: w.Put("\\0"); break;
      case 0x07: w.Put("\\a"); break;
      case 0x08: w.Put("\\b"); break;
      case 0x09: w.Put("\\t"); break;
      case 0x0A: w.Put("\\n"); break;
      case 0x0B: w.Put("\\v"); break;
      case 0x0C: w.Put("\\f"); break;
      case 0x0D: w.Put("\\r"); break;
      case 0x1B: w.Put("\\e"); break;
      case '"': w.Put("\\\""); break;
      case '\\': w.Put("\\\\"); break;
      case 0x85: w.Put("\\N"); break;
      case 0xA0: w.Put("\\_"); break;
      case 0x2028: w.Put("\\L"); break;
      case 0x2029: w.Put("\\P"); break;
      default:
        if (Printable(r) && r != 0xFEFF) {
          w.Put(s.substr(i, n));
        } else {
          int width = r <= 0xFF ? 2 : (r <= 0xFFFF ? 4 : 8);
          std::string esc = width == 2 ? "\\x" : (width == 4 ? "\\u" : "\\U");
          AppendHex(r, width, HexCase::kUpper, &esc);
          w.Put(esc);
        }
    }
    i += n;
  }
  w.Put("\"");
}

// Writes string `s` as a scalar; `cont` is the indentation of continuation
// lines (folded lines, literal block lines). Keys never fold.
void AppendScalarString(std::string_view s, bool simple_key, int cont,
                        std::string* out) {
  ScalarWriter w(out, cont, !simple_key);
  switch (ChooseStyle(s, simple_key)) {
    case Style::kPlain:
      AppendPlain(s, w);
      return;
    case Style::kSingle:
      AppendSingleQuoted(s, w);
      return;
    case Style::kDouble:
      AppendDoubleQuoted(s, w);
      return;
    case Style::kLiteral: {
      out->push_back('|');
      if (s.back() != '\n') {
        out->push_back('-');
      } else if (s.size() >= 2 && s[s.size() - 2] == '\n') {
        out->push_back('+');
      }
      std::string_view rest = s;
      if (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
      std::string pad(static_cast<size_t>(cont), ' ');
      while (true) {
        size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        out->push_back('\n');
        if (!line.empty()) {
          out->append(pad);
          out->append(line);
        }
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
      }
      return;
    }
  }
}

// go-yaml's yaml.v2 float output: 'g' with the shortest digits.
void AppendNumber(const Value& v, std::string* out) {
  int64_t i;
  if (v.AsInt64(&i)) {
    out->append(std::to_string(i));
    return;
  }
  std::string text = v.NumberText();
  if (v.IsInteger() && text.find_first_of(".eE") == std::string::npos &&
      text[0] != '-' && text.size() <= 20) {
    std::string decimal;
    if (ParseGoInt(text, &decimal)) {  // fits uint64
      out->append(decimal);
      return;
    }
  }
  double d = v.AsDouble();
  if (std::isinf(d)) {
    out->append(d > 0 ? "+Inf" : "-Inf");
    return;
  }
  out->append(FormatGoFloat(d, -4, 6));
}

bool IsEmptyCollection(const Value& v) {
  return v.is_collection() && v.size() == 0;
}

// go-yaml v2's key order: runs of digits compare by value, letters before
// other characters.
bool KeyLess(std::string_view a, std::string_view b) {
  auto is_letter = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
  };
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    auto ac = static_cast<unsigned char>(a[i]);
    auto bc = static_cast<unsigned char>(b[i]);
    bool al = is_letter(ac);
    bool bl = is_letter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return bl;
    int64_t an = 0;
    int64_t bn = 0;
    if (ac == '0' || bc == '0') {
      for (size_t j = i; j-- > 0 && IsDigit(a[j]);) {
        if (a[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    size_t ai = i;
    size_t bi = i;
    for (; ai < a.size() && IsDigit(a[ai]); ++ai) an = an * 10 + (a[ai] - '0');
    for (; bi < b.size() && IsDigit(b[bi]); ++bi) bn = bn * 10 + (b[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return ac < bc;
  }
  return a.size() < b.size();
}

void Emit(const Value& v, int indent, bool inline_first, std::string* out);

// `cont`: the indentation of continuation lines.
void EmitScalar(const Value& v, int cont, std::string* out) {
  switch (v.kind()) {
    case Kind::kNull:
      out->append("null");
      return;
    case Kind::kBoolean:
      out->append(v.boolean() ? "true" : "false");
      return;
    case Kind::kNumber:
      AppendNumber(v, out);
      return;
    case Kind::kString:
      AppendScalarString(v.string(), false, cont, out);
      return;
    default:
      out->append(v.is_object() ? "{}" : "[]");
  }
}

// Writes `v` starting on the current line when `inline_first` (after "- "),
// else at the start of a fresh line indented by `indent` spaces. Ends with a
// newline.
void Emit(const Value& v, int indent, bool inline_first, std::string* out) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (!v.is_collection() || IsEmptyCollection(v)) {
    if (!inline_first) out->append(pad);
    // A sequence item continues at the item's indentation; a document-level
    // scalar at libyaml's default indentation.
    EmitScalar(v, std::max(indent, 2), out);
    out->push_back('\n');
    return;
  }
  bool first = true;
  if (v.is_object()) {
    std::vector<std::pair<std::string, const Value*>> entries;
    for (const auto& e : v.entries()) {
      entries.emplace_back(GoJsonKey(e.first), &e.second);
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) {
                       return KeyLess(a.first, b.first);
                     });
    for (const auto& [key, val] : entries) {
      if (!(first && inline_first)) out->append(pad);
      first = false;
      AppendScalarString(key, true, indent, out);
      out->push_back(':');
      if (!val->is_collection() || IsEmptyCollection(*val)) {
        out->push_back(' ');
        EmitScalar(*val, indent + 2, out);
        out->push_back('\n');
      } else {
        out->push_back('\n');
        Emit(*val, val->is_object() ? indent + 2 : indent, false, out);
      }
    }
    return;
  }
  for (const Value& elem : v.elements()) {
    if (!(first && inline_first)) out->append(pad);
    first = false;
    out->append("- ");
    Emit(elem, indent + 2, true, out);
  }
}

BuiltinResult YamlMarshal(BuiltinContext&, absl::Span<const Value> args) {
  std::string out;
  Emit(args[0], 0, false, &out);
  return std::optional<Value>(Value::String(std::move(out)));
}

}  // namespace

void RegisterYamlBuiltins(BuiltinRegistry& registry) {
  registry.Add({.name = "yaml.marshal", .arity = 1, .fn = YamlMarshal});
  registry.Add({.name = "yaml.unmarshal", .arity = 1, .fn = YamlUnmarshal});
  registry.Add({.name = "yaml.is_valid", .arity = 1, .fn = YamlIsValid});
}

}  // namespace policyd
