// Printing test results the way `opa test` does.
//
// Pretty (the default): under a `FILE:` heading, one line per test that did
// not pass (every test with -v), `data.pkg.test_x: PASS (1.417µs)` (FAIL,
// ERROR, SKIPPED), its print() output indented below it and an error's
// message after it; then a rule of 80 dashes and the counts `PASS: N/M`,
// `FAIL: N/M`, `SKIPPED: N/M`, `ERROR: N/M` (those that are not zero).
// JSON: OPA's array of results, `[{"location": {...}, "package": "data.pkg",
// "name": "test_x", "fail": true, "error": {...}, "skip": true,
// "duration": NS, "output": "BASE64"}]`.
#ifndef POLICYD_SERVICE_CLI_TEST_REPORT_H_
#define POLICYD_SERVICE_CLI_TEST_REPORT_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "service/cli/test_runner.h"

namespace policyd {

std::string FormatTestsPretty(const std::vector<TestResult>& results,
                              bool verbose);
std::string FormatTestsJson(const std::vector<TestResult>& results);

// A duration as Go's time.Duration.String() prints it: "0s", "426ns",
// "1.417µs", "2.5ms", "1m30.2s".
std::string FormatGoDuration(absl::Duration d);

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_TEST_REPORT_H_
