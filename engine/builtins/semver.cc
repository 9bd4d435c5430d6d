// semver.is_valid and semver.compare with the Semantic Versioning 2.0.0 rules
// OPA applies: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]; build metadata does
// not affect ordering; a version with a pre-release sorts before the release.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/value/value.h"

namespace policyd {
namespace {

using Args = absl::Span<const Value>;

struct Version {
  int64_t major = 0, minor = 0, patch = 0;
  std::vector<std::string_view> prerelease;  // dot-separated identifiers
};

// Identifiers: non-empty runs of [0-9A-Za-z-], separated by dots.
bool ValidIdentifiers(std::string_view s) {
  if (s.empty()) return true;
  size_t run = 0;
  for (char c : s) {
    if (c == '.') {
      if (run == 0) return false;
      run = 0;
    } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
               (c >= 'A' && c <= 'Z') || c == '-') {
      ++run;
    } else {
      return false;
    }
  }
  return run > 0;
}

// A decimal int64 with an optional sign (Go's strconv.ParseInt).
bool ParseNumber(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    if (v > (uint64_t{1} << 63) / 10) return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > (neg ? (uint64_t{1} << 63) : (uint64_t{1} << 63) - 1)) return false;
  *out = neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

bool ParseVersion(std::string_view s, Version* v) {
  std::string_view build, pre;
  if (size_t plus = s.find('+'); plus != std::string_view::npos) {
    build = s.substr(plus + 1);
    s = s.substr(0, plus);
  }
  if (size_t dash = s.find('-'); dash != std::string_view::npos) {
    pre = s.substr(dash + 1);
    s = s.substr(0, dash);
  }
  size_t d1 = s.find('.');
  if (d1 == std::string_view::npos) return false;
  size_t d2 = s.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  if (!ValidIdentifiers(pre) || !ValidIdentifiers(build)) return false;
  if (!ParseNumber(s.substr(0, d1), &v->major) ||
      !ParseNumber(s.substr(d1 + 1, d2 - d1 - 1), &v->minor) ||
      !ParseNumber(s.substr(d2 + 1), &v->patch)) {
    return false;
  }
  for (size_t start = 0; !pre.empty();) {
    size_t dot = pre.find('.', start);
    v->prerelease.push_back(pre.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

int Sign(int64_t a, int64_t b) { return a < b ? -1 : a > b ? 1 : 0; }

int Compare(const Version& a, const Version& b) {
  if (int c = Sign(a.major, b.major)) return c;
  if (int c = Sign(a.minor, b.minor)) return c;
  if (int c = Sign(a.patch, b.patch)) return c;
  if (a.prerelease.empty() != b.prerelease.empty()) {
    return a.prerelease.empty() ? 1 : -1;
  }
  for (size_t i = 0;; ++i) {
    if (i == a.prerelease.size()) return i == b.prerelease.size() ? 0 : -1;
    if (i == b.prerelease.size()) return 1;
    std::string_view x = a.prerelease[i], y = b.prerelease[i];
    int64_t xi = 0, yi = 0;
    bool xnum = ParseNumber(x, &xi), ynum = ParseNumber(y, &yi);
    // Numeric identifiers sort before alphanumeric ones.
    if (xnum != ynum) return xnum ? -1 : 1;
    if (xnum) {
      if (int c = Sign(xi, yi)) return c;
    }
    if (int c = x.compare(y)) return c < 0 ? -1 : 1;
  }
}

BuiltinResult IsValid(BuiltinContext&, Args args) {
  Version v;
  return BoolResult(args[0].is_string() && ParseVersion(args[0].string(), &v));
}

BuiltinResult CompareBuiltin(BuiltinContext&, Args args) {
  constexpr std::string_view kName = "semver.compare";
  Version v[2];
  for (int i = 0; i < 2; ++i) {
    POLICYD_RETURN_IF_ERROR(CheckOperand(kName, i + 1, args[i], Kind::kString));
    if (!ParseVersion(args[i].string(), &v[i])) {
      return BuiltinError(kName, Concat("operand ", int64_t{i + 1}, ": string ",
                                        args[i].ToRego(),
                                        " is not a valid SemVer"));
    }
  }
  return std::optional<Value>(Value::Int(Compare(v[0], v[1])));
}

}  // namespace

void RegisterSemverBuiltins(BuiltinRegistry& registry) {
  registry.Add({"semver.is_valid", 1, &IsValid});
  registry.Add({"semver.compare", 2, &CompareBuiltin});
}

}  // namespace policyd
