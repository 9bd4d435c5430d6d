// Compiled RE2 patterns for the regex and glob builtins. Policies call these
// builtins with a handful of constant patterns on the hot path, so compiled
// patterns are cached process-wide: thread-safe, bounded, failures included.
#ifndef POLICYD_ENGINE_BUILTINS_REGEX_CACHE_H_
#define POLICYD_ENGINE_BUILTINS_REGEX_CACHE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "re2/re2.h"

namespace policyd {

using CompiledRegex = std::shared_ptr<const RE2>;

// Compiles `pattern` with Go's regexp syntax (RE2's Perl-like mode, which Go
// follows). The error reads like Go's: "error parsing regexp: missing closing
// ]: `[a`".
absl::StatusOr<CompiledRegex> CompileGoRegex(std::string_view pattern);

class RegexCache {
 public:
  explicit RegexCache(size_t capacity) : capacity_(capacity) {}

  // The cached result for `key`, or `compile()`'s result, stored for next
  // time. When the cache is full it starts over empty (bounded memory; the
  // patterns of a policy refill it at once).
  absl::StatusOr<CompiledRegex> Get(
      std::string_view key,
      absl::FunctionRef<absl::StatusOr<CompiledRegex>()> compile);

  // Get(pattern, CompileGoRegex(pattern)) on a shared cache.
  static absl::StatusOr<CompiledRegex> GoRegex(std::string_view pattern);

 private:
  const size_t capacity_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::StatusOr<CompiledRegex>> map_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_REGEX_CACHE_H_
