// Runs one conformance case against the engine and judges the outcome the
// way OPA's own runner does (../shared/conformance/README.md, "How OPA runs a
// case"): modules named test-N.rego and compiled as Rego v1, `input_term`
// parsed as a Rego term, strict builtin errors on request, `want_error` as a
// substring, `want_error_code` as the exact code, and `want_result` compared
// as a set of rows after turning sets into sorted arrays and non-string keys
// into their JSON text (numbers compare numerically).
#ifndef POLICYD_TESTS_CONFORMANCE_JUDGE_H_
#define POLICYD_TESTS_CONFORMANCE_JUDGE_H_

#include <string>

#include "absl/time/time.h"
#include "engine/engine.h"
#include "tests/conformance/conformance_case.h"

namespace policyd::conformance {

struct Verdict {
  bool passed = false;
  std::string reason;  // why it failed; one line
};

// A case that runs longer than `time_limit` fails (the evaluation is
// cancelled through EvalOptions::deadline).
Verdict RunCase(const ConformanceCase& c, absl::Duration time_limit);

// Judges a finished evaluation against the case's expectations.
Verdict Judge(const ConformanceCase& c, const ResultSet& results);

}  // namespace policyd::conformance

#endif  // POLICYD_TESTS_CONFORMANCE_JUDGE_H_
