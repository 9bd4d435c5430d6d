// Finds and runs Rego tests the way `opa test` does: every rule whose name
// starts with `test_` (in any package) is a test, evaluated as the query
// `data.<package>.<name>`; it passes when its value is `true`, fails when it
// is undefined or anything else, and errors when evaluation fails. Rules
// named `todo_test_...` are reported as skipped. Several rules with the same
// name run as separate tests, the second named `test_x#01` and so on (OPA's
// numbering). Tests run in file name order, then source order.
#ifndef POLICYD_SERVICE_CLI_TEST_RUNNER_H_
#define POLICYD_SERVICE_CLI_TEST_RUNNER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/engine.h"
#include "engine/syntax/ast.h"
#include "engine/value/value.h"

namespace policyd {

struct TestOptions {
  // Only tests whose full name (`data.pkg.test_x`) this RE2 regex matches
  // somewhere run (Go's regexp.MatchString); empty: all.
  std::string run_regex;
  // Each test's evaluation stops with an error after this long.
  absl::Duration timeout = absl::Seconds(5);
  // Receives every expression and rule evaluated (coverage); not owned.
  EvalTracer* tracer = nullptr;
};

struct TestResult {
  enum class Outcome { kPass, kFail, kError, kSkip };
  std::string file;  // where the test rule is
  ast::Location location;
  std::string package;  // "data.pkg"
  std::string name;     // "test_x", "test_x#01", "a.test_y"
  Outcome outcome = Outcome::kPass;
  absl::Status error;  // kError: the evaluation error
  absl::Duration duration;
  std::string output;  // lines printed by print(), each ending in '\n'
};

struct TestRun {
  std::vector<TestResult> results;
  // The parsed modules (after renaming duplicate tests), for coverage.
  std::vector<ast::Module> modules;
};

// Parses and compiles `modules` over `data`, then runs the tests. A parse,
// compile or regex error is returned as the status (no test runs).
absl::StatusOr<TestRun> RunTests(const std::vector<SourceModule>& modules,
                                 const Value& data,
                                 const TestOptions& options);

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_TEST_RUNNER_H_
