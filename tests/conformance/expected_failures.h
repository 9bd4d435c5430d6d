// The checked-in list of conformance cases known to fail, one per line:
//   folder/file.json#index  one-line reason
// Blank lines and lines starting with '#' are comments.
#ifndef POLICYD_TESTS_CONFORMANCE_EXPECTED_FAILURES_H_
#define POLICYD_TESTS_CONFORMANCE_EXPECTED_FAILURES_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace policyd::conformance {

// Case id -> reason.
using ExpectedFailures = std::map<std::string, std::string>;

ExpectedFailures ParseExpectedFailures(const std::string& text);
std::string FormatExpectedFailures(const ExpectedFailures& failures);

// A missing file is an empty list.
absl::StatusOr<ExpectedFailures> ReadExpectedFailures(const std::string& path);
absl::Status WriteExpectedFailures(const std::string& path,
                                   const ExpectedFailures& failures);

}  // namespace policyd::conformance

#endif  // POLICYD_TESTS_CONFORMANCE_EXPECTED_FAILURES_H_
