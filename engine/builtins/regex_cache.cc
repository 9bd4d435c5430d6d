#include "engine/builtins/regex_cache.h"

#include <string>
#include <utility>

namespace policyd {
namespace {

// Go's regexp/syntax error code texts for RE2's codes.
std::string_view GoErrorText(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape: return "invalid escape sequence";
    case RE2::ErrorBadCharClass: return "invalid character class";
    case RE2::ErrorBadCharRange: return "invalid character class range";
    case RE2::ErrorMissingBracket: return "missing closing ]";
    case RE2::ErrorMissingParen: return "missing closing )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize: return "invalid repeat count";
    case RE2::ErrorRepeatOp: return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp: return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8: return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture: return "invalid named capture";
    case RE2::ErrorPatternTooLarge: return "expression too large";
    default: return "internal error";
  }
}

}  // namespace

absl::StatusOr<CompiledRegex> CompileGoRegex(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(
      re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    std::string message = "error parsing regexp: ";
    message += GoErrorText(re->error_code());
    message += ": `";
    message += re->error_arg();
    message += "`";
    return absl::InvalidArgumentError(message);
  }
  return re;
}

absl::StatusOr<CompiledRegex> RegexCache::Get(
    std::string_view key,
    absl::FunctionRef<absl::StatusOr<CompiledRegex>()> compile) {
  absl::string_view k(key.data(), key.size());
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = map_.find(k);
    if (it != map_.end()) return it->second;
  }
  absl::StatusOr<CompiledRegex> result = compile();
  absl::MutexLock lock(&mu_);
  if (map_.size() >= capacity_) map_.clear();
  map_.emplace(std::string(key), result);
  return result;
}

absl::StatusOr<CompiledRegex> RegexCache::GoRegex(std::string_view pattern) {
  static RegexCache* cache = new RegexCache(1024);
  return cache->Get(pattern, [pattern] { return CompileGoRegex(pattern); });
}

}  // namespace policyd
