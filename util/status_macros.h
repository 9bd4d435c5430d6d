// Early returns for absl::Status and absl::StatusOr, so that error paths read
// as one line: every layer uses these instead of writing the check by hand.
#ifndef POLICYD_UTIL_STATUS_MACROS_H_
#define POLICYD_UTIL_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define POLICYD_STATUS_CONCAT_INNER_(a, b) a##b
#define POLICYD_STATUS_CONCAT_(a, b) POLICYD_STATUS_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the calling function unless it is OK.
#define POLICYD_RETURN_IF_ERROR(expr)          \
  do {                                         \
    if (absl::Status _policyd_status = (expr); \
        !_policyd_status.ok()) {               \
      return _policyd_status;                  \
    }                                          \
  } while (0)

// Declares `lhs` from the value of the StatusOr `rexpr`, or returns its error.
#define POLICYD_ASSIGN_OR_RETURN(lhs, rexpr) \
  POLICYD_ASSIGN_OR_RETURN_IMPL_(            \
      POLICYD_STATUS_CONCAT_(_policyd_statusor_, __LINE__), lhs, rexpr)
#define POLICYD_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                   \
  if (!statusor.ok()) return statusor.status();              \
  lhs = std::move(statusor).value()

#endif  // POLICYD_UTIL_STATUS_MACROS_H_
