// Errors the engine reports, carrying OPA's error code (rego_parse_error,
// eval_conflict_error, ...) as a status payload so that callers can branch on
// it, and OPA's message shape `FILE:LINE: CODE: MESSAGE` as the text.
#ifndef POLICYD_ENGINE_ERRORS_H_
#define POLICYD_ENGINE_ERRORS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace policyd {

inline constexpr std::string_view kRegoParseError = "rego_parse_error";
inline constexpr std::string_view kRegoCompileError = "rego_compile_error";
inline constexpr std::string_view kRegoTypeError = "rego_type_error";
inline constexpr std::string_view kRegoUnsafeVarError = "rego_unsafe_var_error";
inline constexpr std::string_view kRegoRecursionError = "rego_recursion_error";
inline constexpr std::string_view kEvalConflictError = "eval_conflict_error";
inline constexpr std::string_view kEvalTypeError = "eval_type_error";
inline constexpr std::string_view kEvalBuiltinError = "eval_builtin_error";
inline constexpr std::string_view kEvalCancelError = "eval_cancel_error";
inline constexpr std::string_view kEvalLimitError = "eval_limit_error";

// `file` may be empty (query errors); `line`/`col` 0 when unknown. Compile
// errors (rego_*) are InvalidArgument; evaluation errors are Aborted, except
// deadline/step-budget errors, which are DeadlineExceeded /
// ResourceExhausted.
absl::Status MakeError(std::string_view code, std::string_view file, int line,
                       int col, std::string_view message);

// The OPA error code of a status made by MakeError; empty otherwise.
std::string ErrorCode(const absl::Status& status);

// `FILE:LINE:COL` of a status made by MakeError with a line (OPA's message
// text names the line only, except for parse errors); empty otherwise.
std::string ErrorLocation(const absl::Status& status);

}  // namespace policyd

#endif  // POLICYD_ENGINE_ERRORS_H_
