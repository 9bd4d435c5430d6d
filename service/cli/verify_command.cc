#include "service/cli/verify_command.h"

#include "admission/suite.h"

namespace policyd {
namespace {

constexpr char kUsage[] =
    "Usage: policyd verify PATH...\n\n"
    "Runs Gatekeeper suite files (kind: Suite): each test's template and\n"
    "constraint against its cases' objects and inventory, checking the\n"
    "assertions. PATH is a suite file or a directory searched for suites.\n"
    "Prints one line per case and `N passed, M failed`; exits 1 when a case\n"
    "fails.\n";

int RunVerify(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err) {
  if (args.empty()) {
    err << kUsage;
    return 2;
  }
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help") {
      out << kUsage;
      return 0;
    }
    if (!a.empty() && a[0] == '-') {
      err << "policyd verify: unknown flag " << a << "\n" << kUsage;
      return 2;
    }
  }
  int passed = 0;
  int failed = 0;
  for (const std::string& path : args) {
    absl::StatusOr<std::vector<std::string>> suites =
        admission::FindSuiteFiles(path);
    if (!suites.ok()) {
      out << "FAIL " << path << ": " << suites.status().message() << "\n";
      ++failed;
      continue;
    }
    if (suites->empty()) {
      out << "FAIL " << path << ": no suite files (kind: Suite)\n";
      ++failed;
    }
    for (const std::string& suite : *suites) {
      absl::StatusOr<std::vector<admission::CaseResult>> results =
          admission::RunSuiteFile(suite);
      if (!results.ok()) {
        out << "FAIL " << suite << ": " << results.status().message() << "\n";
        ++failed;
        continue;
      }
      for (const admission::CaseResult& r : *results) {
        if (r.passed) {
          out << "ok   " << r.name << "\n";
          ++passed;
        } else {
          out << "FAIL " << r.name << ": " << r.detail << "\n";
          ++failed;
        }
      }
    }
  }
  out << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace

Command VerifyCommand() {
  return {"verify",
          "Run Gatekeeper suite files (templates, constraints, cases)",
          RunVerify};
}

}  // namespace policyd
