// glob.match and glob.quote_meta with the glob syntax OPA uses (gobwas/glob):
//   *      any run of runes that are not delimiters
//   **     any run of runes
//   ?      one rune that is not a delimiter
//   [abc] [a-z] [!abc] [!a-z]   one rune in (or not in) the class
//   {a,b}  one of the alternatives (each a pattern itself)
//   \x     the rune x literally
// A glob is translated once into an RE2 expression and cached.
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/regex_cache.h"
#include "engine/value/utf8.h"
#include "engine/value/value.h"
#include "util/hex.h"

namespace policyd {
namespace {

using Args = absl::Span<const Value>;

// The characters glob.quote_meta escapes.
bool IsGlobSpecial(char c) {
  return c == '*' || c == '?' || c == '\\' || c == '[' || c == ']' ||
         c == '{' || c == '}';
}

void AppendRuneEscaped(char32_t r, std::string* out) {
  out->append("\\x{");
  std::string hex;
  do {
    hex.insert(hex.begin(), kHexLower[r & 0xF]);
    r >>= 4;
  } while (r != 0);
  out->append(hex);
  out->push_back('}');
}

class GlobTranslator {
 public:
  GlobTranslator(std::string_view glob, const std::vector<char32_t>& delims)
      : glob_(glob) {
    if (delims.empty()) {
      one_ = "(?:.)";
    } else {
      one_ = "[^";
      for (char32_t d : delims) AppendRuneEscaped(d, &one_);
      one_ += "]";
    }
  }

  absl::StatusOr<std::string> Translate() {
    std::string out = "(?s:";
    POLICYD_RETURN_IF_ERROR(Sequence(false, &out));
    out += ")";
    return out;
  }

 private:
  bool Next(char32_t* r) {
    if (pos_ >= glob_.size()) return false;
    pos_ += utf8::Decode(glob_, pos_, r);
    return true;
  }
  bool Peek(char32_t* r) const {
    if (pos_ >= glob_.size()) return false;
    utf8::Decode(glob_, pos_, r);
    return true;
  }
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(
        Concat(what, " at position ", static_cast<int64_t>(pos_), " of glob ",
               Value::String(glob_).ToRego()));
  }

  // A sequence up to the end, or (inside braces) up to ',' or '}'.
  absl::Status Sequence(bool in_terms, std::string* out) {
    char32_t r;
    while (Peek(&r)) {
      if (in_terms && (r == ',' || r == '}')) return absl::OkStatus();
      Next(&r);
      switch (r) {
        case '\\':
          if (!Next(&r)) return Error("unclosed escape");
          AppendRuneEscaped(r, out);
          break;
        case '*': {
          char32_t n;
          if (Peek(&n) && n == '*') {
            Next(&n);
            *out += "(?:.)*";
          } else {
            *out += one_ + "*";
          }
          break;
        }
        case '?':
          *out += one_;
          break;
        case '[':
          POLICYD_RETURN_IF_ERROR(Class(out));
          break;
        case '{':
          POLICYD_RETURN_IF_ERROR(Terms(out));
          break;
        default:
          AppendRuneEscaped(r, out);
      }
    }
    if (in_terms) return Error("unclosed alternatives '{'");
    return absl::OkStatus();
  }

  absl::Status Class(std::string* out) {
    std::string cls = "[";
    char32_t r;
    if (Peek(&r) && r == '!') {
      Next(&r);
      cls += "^";
    }
    bool empty = true;
    while (true) {
      if (!Next(&r)) return Error("unclosed character class '['");
      if (r == ']') break;
      if (r == '\\' && !Next(&r)) return Error("unclosed escape");
      char32_t dash, hi;
      size_t save = pos_;
      if (Next(&dash) && dash == '-' && Next(&hi) && hi != ']') {
        if (hi < r) return Error("invalid character range");
        AppendRuneEscaped(r, &cls);
        cls += "-";
        AppendRuneEscaped(hi, &cls);
      } else {
        pos_ = save;
        AppendRuneEscaped(r, &cls);
      }
      empty = false;
    }
    if (empty) return Error("empty character class");
    *out += cls + "]";
    return absl::OkStatus();
  }

  absl::Status Terms(std::string* out) {
    if (++depth_ > kMaxDepth) return Error("alternatives nested too deeply");
    *out += "(?:";
    while (true) {
      POLICYD_RETURN_IF_ERROR(Sequence(true, out));
      char32_t r = 0;
      Next(&r);
      if (r == '}') break;
      *out += "|";  // r == ','
    }
    *out += ")";
    --depth_;
    return absl::OkStatus();
  }

  static constexpr int kMaxDepth = 256;
  std::string_view glob_;
  int depth_ = 0;
  size_t pos_ = 0;
  std::string one_;  // one rune that is not a delimiter
};

BuiltinResult Match(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "glob.match";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  std::vector<char32_t> delims;
  if (args[1].is_array()) {
    for (const Value& d : args[1].elements()) {
      if (!d.is_string()) {
        return OperandElementError(kName, 2, args[1], "string", d);
      }
      std::string_view s = d.string();
      char32_t r = 0;
      if (s.empty() || utf8::Decode(s, 0, &r) != s.size()) {
        return OperandElementError(kName, 2, args[1], "rune", d);
      }
      delims.push_back(r);
    }
    if (delims.empty()) delims.push_back('.');
  } else if (!args[1].is_null()) {
    return OperandTypeError(kName, 2, "one of {array, null}", args[1]);
  }
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 3, args[2], Kind::kString));
  std::string_view glob = args[0].string();
  std::string key(glob);
  key.push_back('\0');
  for (char32_t d : delims) utf8::Append(d, &key);
  static RegexCache* cache = new RegexCache(1024);
  absl::StatusOr<CompiledRegex> re = cache->Get(key, [&] {
    absl::StatusOr<std::string> pattern =
        GlobTranslator(glob, delims).Translate();
    if (!pattern.ok()) return absl::StatusOr<CompiledRegex>(pattern.status());
    return CompileGoRegex(*pattern);
  });
  if (!re.ok()) return BuiltinError(kName, MessageOf(re.status()));
  std::string_view text = args[2].string();
  return BoolResult(
      RE2::FullMatch(re2::StringPiece(text.data(), text.size()), **re));
}

BuiltinResult QuoteMeta(BuiltinContext&, Args args) {
  POLICYD_RETURN_IF_ERROR(
      CheckOperand("glob.quote_meta", 1, args[0], Kind::kString));
  std::string_view s = args[0].string();
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    if (IsGlobSpecial(c)) out.push_back('\\');
    out.push_back(c);
  }
  return std::optional<Value>(Value::String(std::move(out)));
}

}  // namespace

void RegisterGlobBuiltins(BuiltinRegistry& registry) {
  registry.Add({"glob.match", 3, &Match});
  registry.Add({"glob.quote_meta", 1, &QuoteMeta});
}

}  // namespace policyd
