#include "service/cli/test_command.h"

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "service/cli/coverage.h"
#include "service/cli/eval_output.h"
#include "service/cli/flag_args.h"
#include "service/cli/policy_loader.h"
#include "service/cli/test_report.h"
#include "service/cli/test_runner.h"

namespace policyd {
namespace {

constexpr std::string_view kUsage =
    "Usage: policyd test [-v] [-b] [--run REGEX] [--format pretty|json]\n"
    "                    [--v0-compatible] [--coverage] [--timeout D] PATH...\n"
    "\n"
    "Runs the Rego tests (rules named test_*, in any package) of the .rego\n"
    "files and data files found at PATH (files or directories, loaded as\n"
    "`policyd eval -d` loads them). Rules named todo_test_* are skipped.\n"
    "\n"
    "  -v, --verbose        print every test with its duration and print()\n"
    "                       output, not only those that did not pass\n"
    "  -b, --bundle         each PATH is a bundle (directory or .tar.gz), read\n"
    "                       as `policyd serve` reads it\n"
    "  -r, --run REGEX      run only tests whose name (data.pkg.test_x)\n"
    "                       matches REGEX\n"
    "  -f, --format FMT     pretty (default) or json (OPA's result array)\n"
    "  --v0-compatible      parse modules as Rego v0\n"
    "  -c, --coverage       print OPA's JSON coverage report instead\n"
    "  -t, --timeout D      time limit of each test (default 5s)\n"
    "\n"
    "Exit status: 0 when all tests pass, 2 when a test fails or errors,\n"
    "1 on a load or compile error.\n";

struct TestArgs {
  std::vector<std::string> paths;
  bool verbose = false;
  bool json = false;
  bool v0 = false;
  bool coverage = false;
  bool bundle = false;
  TestOptions options;
};

absl::StatusOr<TestArgs> ParseArgs(const std::vector<std::string>& args) {
  TestArgs parsed;
  std::string format = "pretty";
  for (size_t i = 0; i < args.size(); ++i) {
    std::string value;
    const std::string& arg = args[i];
    if (TakeFlagValue(args, &i, "-r", "--run", &value)) {
      parsed.options.run_regex = value;
    } else if (TakeFlagValue(args, &i, "-f", "--format", &value)) {
      format = value;
    } else if (TakeFlagValue(args, &i, "-t", "--timeout", &value)) {
      if (!absl::ParseDuration(value, &parsed.options.timeout) ||
          parsed.options.timeout <= absl::ZeroDuration()) {
        return absl::InvalidArgumentError("--timeout: not a positive duration: \"" +
                                          value + "\" (e.g. 5s, 500ms)");
      }
    } else if (arg == "-v" || arg == "--verbose") {
      parsed.verbose = true;
    } else if (arg == "-c" || arg == "--coverage") {
      parsed.coverage = true;
    } else if (arg == "-b" || arg == "--bundle") {
      parsed.bundle = true;
    } else if (arg == "--v0-compatible") {
      parsed.v0 = true;
    } else if (absl::StartsWith(arg, "-")) {
      return absl::InvalidArgumentError("unknown or incomplete flag " + arg);
    } else {
      parsed.paths.push_back(arg);
    }
  }
  if (format != "pretty" && format != "json") {
    return absl::InvalidArgumentError("unknown format \"" + format +
                                      "\" (use pretty or json)");
  }
  parsed.json = format == "json";
  if (parsed.paths.empty()) {
    return absl::InvalidArgumentError("expected at least one PATH");
  }
  return parsed;
}

int RunTestCommand(const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err) {
  if (WantsHelp(args)) {
    out << kUsage;
    return 0;
  }
  absl::StatusOr<TestArgs> parsed = ParseArgs(args);
  if (!parsed.ok()) {
    err << "policyd test: " << parsed.status().message() << "\n\n" << kUsage;
    return 2;
  }
  absl::StatusOr<LoadedPolicies> loaded =
      parsed->bundle
          ? LoadBundlePaths(parsed->paths)
          : LoadPolicyPaths(parsed->paths, parsed->v0 ? ast::RegoVersion::kV0
                                                      : ast::RegoVersion::kV1);
  CoverageTracer coverage;
  if (parsed->coverage) parsed->options.tracer = &coverage;
  absl::StatusOr<TestRun> run =
      loaded.ok() ? RunTests(loaded->modules, loaded->data, parsed->options)
                  : absl::StatusOr<TestRun>(loaded.status());
  if (!run.ok()) {
    err << (parsed->json ? FormatErrorsJson(run.status())
                         : FormatErrorsPretty(run.status()));
    return 1;
  }
  bool all_passed = true;
  for (const TestResult& result : run->results) {
    if (result.outcome == TestResult::Outcome::kFail ||
        result.outcome == TestResult::Outcome::kError) {
      all_passed = false;
    }
  }
  if (parsed->coverage) {
    // As OPA: the report only when every test passed; else what failed.
    if (all_passed) {
      out << CoverageReportJson(coverage, run->modules);
    } else {
      out << FormatTestsPretty(run->results, false);
    }
  } else if (parsed->json) {
    out << FormatTestsJson(run->results);
  } else {
    out << FormatTestsPretty(run->results, parsed->verbose);
  }
  return all_passed ? 0 : 2;
}

}  // namespace

Command TestCommand() {
  return {"test", "Run the Rego tests (test_* rules) of policy files",
          RunTestCommand};
}

}  // namespace policyd
