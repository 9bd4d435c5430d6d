// Regular expression builtins with Go's regexp semantics (RE2 syntax), as OPA
// runs them: successive matches never overlap, and an empty match right after
// the previous match is skipped, exactly as Go's FindAll/ReplaceAll/Split do.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/regex_cache.h"
#include "engine/value/utf8.h"
#include "engine/value/value.h"

namespace policyd {
namespace {

using Args = absl::Span<const Value>;

// The compiled pattern, or OPA's builtin error "NAME: error parsing ...".
absl::StatusOr<CompiledRegex> Regex(std::string_view name,
                                    std::string_view pattern) {
  absl::StatusOr<CompiledRegex> re = RegexCache::GoRegex(pattern);
  if (!re.ok()) return BuiltinError(name, MessageOf(re.status()));
  return re;
}

re2::StringPiece Piece(std::string_view s) {
  return re2::StringPiece(s.data(), s.size());
}

// A match: byte offsets of the whole match and of each group (-1 when the
// group did not take part).
struct Match {
  std::vector<std::pair<int64_t, int64_t>> groups;  // [0] is the match
};

// Go's Regexp.allMatches: up to n matches (all when n < 0) of re in s.
std::vector<Match> AllMatches(const RE2& re, std::string_view s, int64_t n,
                              int ngroups) {
  std::vector<Match> out;
  if (n < 0) n = static_cast<int64_t>(s.size()) + 1;
  std::vector<re2::StringPiece> sub(static_cast<size_t>(ngroups) + 1);
  re2::StringPiece text = Piece(s);
  int64_t prev_end = -1;
  size_t pos = 0;
  while (static_cast<int64_t>(out.size()) < n && pos <= s.size()) {
    if (!re.Match(text, pos, s.size(), RE2::UNANCHORED, sub.data(),
                  static_cast<int>(sub.size()))) {
      break;
    }
    auto begin = static_cast<int64_t>(sub[0].data() - s.data());
    int64_t end = begin + static_cast<int64_t>(sub[0].size());
    bool accept = true;
    if (end == static_cast<int64_t>(pos)) {
      // An empty match: skipped right after a previous match; move on one
      // rune either way.
      if (begin == prev_end) accept = false;
      size_t w = utf8::Width(s, pos);
      pos += w > 0 ? w : 1;
    } else {
      pos = static_cast<size_t>(end);
    }
    prev_end = end;
    if (!accept) continue;
    Match m;
    m.groups.reserve(sub.size());
    for (const re2::StringPiece& g : sub) {
      if (g.data() == nullptr) {
        m.groups.emplace_back(-1, -1);
      } else {
        auto b = static_cast<int64_t>(g.data() - s.data());
        m.groups.emplace_back(b, b + static_cast<int64_t>(g.size()));
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::string_view Slice(std::string_view s, std::pair<int64_t, int64_t> g) {
  if (g.first < 0) return {};
  return s.substr(static_cast<size_t>(g.first),
                  static_cast<size_t>(g.second - g.first));
}

// ---- regex.match, regex.is_valid --------------------------------------------

template <bool kDeprecatedName>
BuiltinResult MatchBuiltin(BuiltinContext&, Args args) {
  constexpr std::string_view kName =
      kDeprecatedName ? "re_match" : "regex.match";
  POLICYD_RETURN_IF_ERROR(CheckStringOperands(kName, args, 2));
  POLICYD_ASSIGN_OR_RETURN(CompiledRegex re, Regex(kName, args[0].string()));
  return BoolResult(RE2::PartialMatch(Piece(args[1].string()), *re));
}

BuiltinResult IsValid(BuiltinContext&, Args args) {
  if (!args[0].is_string()) return BoolResult(false);
  return BoolResult(RegexCache::GoRegex(args[0].string()).ok());
}

// ---- regex.find_n, regex.find_all_string_submatch_n --------------------------

BuiltinResult FindN(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "regex.find_n";
  POLICYD_RETURN_IF_ERROR(CheckStringOperands(kName, args, 2));
  POLICYD_ASSIGN_OR_RETURN(int64_t n, IntOperand(kName, 3, args[2]));
  POLICYD_ASSIGN_OR_RETURN(CompiledRegex re, Regex(kName, args[0].string()));
  std::string_view s = args[1].string();
  std::vector<Value> out;
  for (const Match& m : AllMatches(*re, s, n, 0)) {
    out.push_back(Value::String(Slice(s, m.groups[0])));
  }
  return std::optional<Value>(Value::Array(std::move(out)));
}

BuiltinResult FindAllStringSubmatchN(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "regex.find_all_string_submatch_n";
  POLICYD_RETURN_IF_ERROR(CheckStringOperands(kName, args, 2));
  POLICYD_ASSIGN_OR_RETURN(int64_t n, IntOperand(kName, 3, args[2]));
  POLICYD_ASSIGN_OR_RETURN(CompiledRegex re, Regex(kName, args[0].string()));
  std::string_view s = args[1].string();
  std::vector<Value> out;
  for (const Match& m :
       AllMatches(*re, s, n, re->NumberOfCapturingGroups())) {
    std::vector<Value> groups;
    groups.reserve(m.groups.size());
    for (const auto& g : m.groups) groups.push_back(Value::String(Slice(s, g)));
    out.push_back(Value::Array(std::move(groups)));
  }
  return std::optional<Value>(Value::Array(std::move(out)));
}

// ---- regex.split -------------------------------------------------------------

// Go's Regexp.Split(s, -1).
BuiltinResult Split(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "regex.split";
  POLICYD_RETURN_IF_ERROR(CheckStringOperands(kName, args, 2));
  std::string_view pattern = args[0].string(), s = args[1].string();
  POLICYD_ASSIGN_OR_RETURN(CompiledRegex re, Regex(kName, pattern));
  std::vector<Value> out;
  if (!pattern.empty() && s.empty()) {
    out.push_back(Value::String(""));
    return std::optional<Value>(Value::Array(std::move(out)));
  }
  int64_t beg = 0, end = 0;
  for (const Match& m : AllMatches(*re, s, -1, 0)) {
    end = m.groups[0].first;
    if (m.groups[0].second != 0) out.push_back(Value::String(Slice(s, {beg, end})));
    beg = m.groups[0].second;
  }
  if (end != static_cast<int64_t>(s.size())) {
    out.push_back(Value::String(s.substr(static_cast<size_t>(beg))));
  }
  return std::optional<Value>(Value::Array(std::move(out)));
}

// ---- regex.replace -----------------------------------------------------------

bool IsNameRune(char32_t r) {
  return r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') ||
         (r >= 'A' && r <= 'Z') || r >= 0x80;
}

// Go's Regexp.expand: appends `templ` to out with $1, ${1}, $name, ${name}
// replaced by the groups of match `m`, and $$ by $.
void Expand(const RE2& re, std::string_view templ, std::string_view src,
            const Match& m, std::string* out) {
  while (!templ.empty()) {
    size_t dollar = templ.find('$');
    if (dollar == std::string_view::npos) break;
    out->append(templ.substr(0, dollar));
    templ.remove_prefix(dollar + 1);
    if (!templ.empty() && templ[0] == '$') {
      out->push_back('$');
      templ.remove_prefix(1);
      continue;
    }
    // The name: letters, digits and '_', optionally in braces.
    std::string_view rest = templ;
    bool brace = !rest.empty() && rest[0] == '{';
    if (brace) rest.remove_prefix(1);
    size_t i = 0;
    while (i < rest.size()) {
      char32_t r;
      size_t w = utf8::Decode(rest, i, &r);
      if (!IsNameRune(r)) break;
      i += w;
    }
    bool ok = i > 0 && (!brace || (i < rest.size() && rest[i] == '}'));
    if (!ok) {
      out->push_back('$');  // malformed: the $ is text
      continue;
    }
    std::string_view name = rest.substr(0, i);
    templ = rest.substr(brace ? i + 1 : i);
    int64_t num = 0;
    for (char c : name) {
      if (c < '0' || c > '9' || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + (c - '0');
    }
    if (name[0] == '0' && name.size() > 1) num = -1;
    if (num < 0) {
      const auto& names = re.NamedCapturingGroups();
      auto it = names.find(std::string(name));
      if (it != names.end()) num = it->second;
    }
    if (num >= 0 && static_cast<size_t>(num) < m.groups.size()) {
      out->append(Slice(src, m.groups[static_cast<size_t>(num)]));
    }
  }
  out->append(templ);
}

// Go's Regexp.ReplaceAllString.
std::string ReplaceAll(const RE2& re, std::string_view src,
                       std::string_view templ) {
  int ngroups = templ.find('$') == std::string_view::npos
                    ? 0
                    : re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> sub(static_cast<size_t>(ngroups) + 1);
  re2::StringPiece text = Piece(src);
  std::string out;
  size_t last_end = 0, pos = 0;
  while (pos <= src.size()) {
    if (!re.Match(text, pos, src.size(), RE2::UNANCHORED, sub.data(),
                  static_cast<int>(sub.size()))) {
      break;
    }
    auto a0 = static_cast<size_t>(sub[0].data() - src.data());
    size_t a1 = a0 + sub[0].size();
    out.append(src.substr(last_end, a0 - last_end));
    // No replacement for an empty match right after the previous match.
    if (a1 > last_end || a0 == 0) {
      Match m;
      for (const re2::StringPiece& g : sub) {
        if (g.data() == nullptr) {
          m.groups.emplace_back(-1, -1);
        } else {
          auto b = static_cast<int64_t>(g.data() - src.data());
          m.groups.emplace_back(b, b + static_cast<int64_t>(g.size()));
        }
      }
      Expand(re, templ, src, m, &out);
    }
    last_end = a1;
    size_t width = utf8::Width(src, pos);
    if (pos + width > a1) {
      pos += width;
    } else if (pos + 1 > a1) {
      ++pos;
    } else {
      pos = a1;
    }
  }
  out.append(src.substr(last_end));
  return out;
}

BuiltinResult Replace(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "regex.replace";
  POLICYD_RETURN_IF_ERROR(CheckStringOperands(kName, args, 3));
  POLICYD_ASSIGN_OR_RETURN(CompiledRegex re, Regex(kName, args[1].string()));
  std::string out = ReplaceAll(*re, args[0].string(), args[2].string());
  if (out == args[0].string()) return std::optional<Value>(args[0]);
  return std::optional<Value>(Value::String(std::move(out)));
}

// ---- regex.template_match ----------------------------------------------------

// The pattern for a template such as "urn:foo:{.*}": text outside the
// delimiters is literal, text inside is a regular expression; the whole
// value must match.
absl::StatusOr<CompiledRegex> CompileTemplate(std::string_view templ,
                                              char open, char close) {
  std::vector<size_t> idxs;
  int level = 0;
  size_t idx = 0;
  for (size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] == open) {
      if (++level == 1) idx = i;
    } else if (templ[i] == close) {
      if (--level == 0) {
        idxs.push_back(idx);
        idxs.push_back(i + 1);
      } else if (level < 0) {
        break;
      }
    }
  }
  if (level != 0) {
    std::string quoted = Value::String(templ).ToRego();
    return absl::InvalidArgumentError("unbalanced braces in \"" + quoted +
                                      "\"");
  }
  std::string pattern = "^";
  size_t end = 0;
  for (size_t i = 0; i < idxs.size(); i += 2) {
    std::string_view raw = templ.substr(end, idxs[i] - end);
    end = idxs[i + 1];
    std::string_view inner = templ.substr(idxs[i] + 1, end - 1 - idxs[i] - 1);
    POLICYD_ASSIGN_OR_RETURN(
        CompiledRegex part, CompileGoRegex("^" + std::string(inner) + "$"));
    (void)part;  // each part must be a valid expression on its own
    pattern += RE2::QuoteMeta(Piece(raw));
    pattern += "(";
    pattern += inner;
    pattern += ")";
  }
  pattern += RE2::QuoteMeta(Piece(templ.substr(end)));
  pattern += "$";
  return CompileGoRegex(pattern);
}

BuiltinResult TemplateMatch(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "regex.template_match";
  POLICYD_RETURN_IF_ERROR(CheckStringOperands(kName, args, 4));
  std::string_view start = args[2].string(), end = args[3].string();
  if (start.size() != 1) {
    return BuiltinError(
        kName,
        Concat("start delimiter has to be exactly one character long but is ",
               static_cast<int64_t>(start.size()), " long"));
  }
  if (end.size() != 1) {
    return BuiltinError(
        kName,
        Concat("end delimiter has to be exactly one character long but is ",
               static_cast<int64_t>(end.size()), " long"));
  }
  static RegexCache* cache = new RegexCache(256);
  std::string key = Concat(start, end, args[0].string());
  std::string_view templ = args[0].string();
  absl::StatusOr<CompiledRegex> re = cache->Get(
      key, [&] { return CompileTemplate(templ, start[0], end[0]); });
  if (!re.ok()) return BuiltinError(kName, MessageOf(re.status()));
  return BoolResult(RE2::PartialMatch(Piece(args[1].string()), **re));
}

// ---- regex.globs_match -------------------------------------------------------

// The globs of regex.globs_match (OPA's glob-intersection syntax): a sequence
// of tokens, each a literal rune, '.' (any rune) or a set "[a-z0-9_]", with
// an optional '*' (zero or more) or '+' (one or more) after it.
struct GlobToken {
  std::vector<std::pair<char32_t, char32_t>> ranges;  // runes it accepts
  bool star = false;                                   // may repeat or skip
};

absl::Status GlobSyntaxError(std::string_view input, size_t pos,
                             std::string_view what) {
  return absl::InvalidArgumentError(Concat(
      "input:", input, ", pos:", static_cast<int64_t>(pos), ", ", what,
      ": the input provided is invalid"));
}

// Splits a glob into tokens; '+' becomes the token followed by its starred
// copy, so that the intersection check only knows "once" and "star".
absl::StatusOr<std::vector<GlobToken>> ParseIntersectGlob(
    std::string_view input) {
  std::vector<char32_t> runes;
  for (size_t i = 0; i < input.size();) {
    char32_t r;
    i += utf8::Decode(input, i, &r);
    runes.push_back(r);
  }
  // Reads one rune at *i; an escaped rune is never special.
  auto next = [&](size_t* i, char32_t* r,
                  bool* escaped) -> absl::Status {
    if (runes[*i] == '\\') {
      if (*i + 1 >= runes.size()) {
        return GlobSyntaxError(input, *i,
                               "input ends with a \\ (escape) character");
      }
      *r = runes[*i + 1];
      *escaped = true;
      *i += 2;
    } else {
      *r = runes[*i];
      *escaped = false;
      *i += 1;
    }
    return absl::OkStatus();
  };
  std::vector<GlobToken> tokens;
  bool flaggable = false;  // the last token may take a '*' or '+'
  for (size_t i = 0; i < runes.size();) {
    char32_t r = 0;
    bool escaped = false;
    POLICYD_RETURN_IF_ERROR(next(&i, &r, &escaped));
    if (!escaped && (r == '*' || r == '+')) {
      if (!flaggable) {
        std::string flag;
        utf8::Append(r, &flag);
        return GlobSyntaxError(
            input, i, Concat("flag '", flag, "' must be preceded by a non-flag"));
      }
      if (r == '*') {
        tokens.back().star = true;
      } else {
        GlobToken copy = tokens.back();
        copy.star = true;
        tokens.push_back(std::move(copy));
      }
      flaggable = false;
      continue;
    }
    GlobToken t;
    if (escaped) {
      t.ranges.emplace_back(r, r);
    } else if (r == '.') {
      t.ranges.emplace_back(0, 0x10FFFF);
    } else if (r == ']') {
      return GlobSyntaxError(input, i,
                             "set-close ']' with no preceding '['");
    } else if (r == '[') {
      bool complete = false, prev_exists = false;
      char32_t prev = 0;
      while (i < runes.size()) {
        char32_t c = 0;
        bool esc = false;
        POLICYD_RETURN_IF_ERROR(next(&i, &c, &esc));
        if (!esc && c == ']') {
          complete = true;
          break;
        }
        if (!esc && c == '-') {
          if (!prev_exists) {
            return GlobSyntaxError(
                input, i,
                "range character '-' must be preceded by a Unicode character");
          }
          if (i + 1 >= runes.size()) {
            return GlobSyntaxError(
                input, i,
                "range character '-' must be followed by a Unicode character");
          }
          char32_t hi = 0;
          bool hi_esc = false;
          POLICYD_RETURN_IF_ERROR(next(&i, &hi, &hi_esc));
          if (!hi_esc && (hi == ']' || hi == '-')) {
            return GlobSyntaxError(
                input, i,
                "range character '-' cannot be followed by a special symbol");
          }
          if (hi < prev) {
            std::string a, b;
            utf8::Append(hi, &a);
            utf8::Append(prev, &b);
            return GlobSyntaxError(input, i,
                                   Concat("range is out of order: '", a,
                                          "' comes before '", b,
                                          "' in Unicode"));
          }
          t.ranges.emplace_back(prev, hi);
          prev_exists = false;
          continue;
        }
        t.ranges.emplace_back(c, c);
        prev = c;
        prev_exists = true;
      }
      if (!complete) {
        return GlobSyntaxError(input, i, "found [ without matching ]");
      }
    } else {
      t.ranges.emplace_back(r, r);
    }
    tokens.push_back(std::move(t));
    flaggable = true;
  }
  return tokens;
}

bool Intersects(const GlobToken& a, const GlobToken& b) {
  for (const auto& [alo, ahi] : a.ranges) {
    for (const auto& [blo, bhi] : b.ranges) {
      if (alo <= bhi && blo <= ahi) return true;
    }
  }
  return false;
}

// Whether some string matches both globs: a search over pairs of positions
// (i in a, j in b), where a starred token may be skipped or consumed again.
bool GlobsIntersect(const std::vector<GlobToken>& a,
                    const std::vector<GlobToken>& b) {
  size_t n = a.size(), m = b.size();
  std::vector<bool> seen((n + 1) * (m + 1), false);
  std::vector<std::pair<size_t, size_t>> work;
  auto visit = [&](size_t i, size_t j) {
    if (!seen[i * (m + 1) + j]) {
      seen[i * (m + 1) + j] = true;
      work.emplace_back(i, j);
    }
  };
  visit(0, 0);
  while (!work.empty()) {
    auto [i, j] = work.back();
    work.pop_back();
    if (i == n && j == m) return true;
    // Skip a starred token on either side.
    if (i < n && a[i].star) visit(i + 1, j);
    if (j < m && b[j].star) visit(i, j + 1);
    // Consume one rune accepted by both tokens.
    if (i < n && j < m && Intersects(a[i], b[j])) {
      visit(a[i].star ? i : i + 1, b[j].star ? j : j + 1);
    }
  }
  return false;
}

BuiltinResult GlobsMatch(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "regex.globs_match";
  POLICYD_RETURN_IF_ERROR(CheckStringOperands(kName, args, 2));
  auto a = ParseIntersectGlob(args[0].string());
  if (!a.ok()) return BuiltinError(kName, MessageOf(a.status()));
  auto b = ParseIntersectGlob(args[1].string());
  if (!b.ok()) return BuiltinError(kName, MessageOf(b.status()));
  // The search visits pairs of positions; refuse sizes that would not fit.
  if ((a->size() + 1) * (b->size() + 1) > (size_t{1} << 26)) {
    return BuiltinError(kName, "globs too long");
  }
  return BoolResult(GlobsIntersect(*a, *b));
}

}  // namespace

void RegisterRegexBuiltins(BuiltinRegistry& registry) {
  registry.Add({"regex.match", 2, &MatchBuiltin<false>});
  registry.Add({"re_match", 2, &MatchBuiltin<true>});
  registry.Add({"regex.is_valid", 1, &IsValid});
  registry.Add({"regex.find_n", 3, &FindN});
  registry.Add(
      {"regex.find_all_string_submatch_n", 3, &FindAllStringSubmatchN});
  registry.Add({"regex.split", 2, &Split});
  registry.Add({"regex.replace", 3, &Replace});
  registry.Add({"regex.template_match", 4, &TemplateMatch});
  registry.Add({"regex.globs_match", 2, &GlobsMatch});
}

}  // namespace policyd
