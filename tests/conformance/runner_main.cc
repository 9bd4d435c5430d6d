// conformance_runner: runs OPA's conformance cases against the engine,
// prints passed/failed per topic folder and `N passed, M failed`, and
// compares the failures with expected_failures.txt.
//
//   conformance_runner [--dir DIR] [--expected-failures FILE] [--filter TEXT]
//                      [--time-limit-ms N] [--verbose]
//                      [--write-expected-failures]
//
// DIR defaults to $POLICYD_CONFORMANCE_DIR, else ../shared/conformance/opa-v1
// beside the source tree. Exit status 0 when exactly the listed cases fail
// (of those run), 1 otherwise; --write-expected-failures (or
// $POLICYD_WRITE_EXPECTED_FAILURES=1) rewrites the list to match instead.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/match.h"
#include "tests/conformance/conformance_case.h"
#include "tests/conformance/expected_failures.h"
#include "tests/conformance/judge.h"

namespace policyd::conformance {
namespace {

struct Options {
  std::string dir;
  std::string expected_failures = POLICYD_EXPECTED_FAILURES_FILE;
  std::string filter;
  int time_limit_ms = 2000;
  bool verbose = false;
  bool write = false;
};

bool ParseOptions(int argc, char** argv, Options* options) {
  const char* env_dir = std::getenv("POLICYD_CONFORMANCE_DIR");
  options->dir = env_dir != nullptr && *env_dir != '\0'
                     ? env_dir
                     : POLICYD_CONFORMANCE_DEFAULT_DIR;
  const char* env_write = std::getenv("POLICYD_WRITE_EXPECTED_FAILURES");
  options->write = env_write != nullptr && std::string(env_write) == "1";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string text;
    if (arg == "--dir") {
      if (!value(&options->dir)) return false;
    } else if (arg == "--expected-failures") {
      if (!value(&options->expected_failures)) return false;
    } else if (arg == "--filter") {
      if (!value(&options->filter)) return false;
    } else if (arg == "--time-limit-ms") {
      if (!value(&text) || !absl::SimpleAtoi(text, &options->time_limit_ms)) {
        return false;
      }
    } else if (arg == "--verbose" || arg == "-v") {
      options->verbose = true;
    } else if (arg == "--write-expected-failures") {
      options->write = true;
    } else {
      return false;
    }
  }
  return true;
}

struct FolderCount {
  int passed = 0;
  int failed = 0;
};

int Run(const Options& options) {
  absl::StatusOr<std::vector<ConformanceCase>> cases = LoadSuite(options.dir);
  if (!cases.ok()) {
    std::cerr << "conformance: " << cases.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<ExpectedFailures> expected =
      ReadExpectedFailures(options.expected_failures);
  if (!expected.ok()) {
    std::cerr << "conformance: " << expected.status().message() << "\n";
    return 1;
  }

  std::map<std::string, FolderCount> folders;
  std::map<std::string, std::string> failures;  // id -> reason
  std::set<std::string> run_ids;
  for (const ConformanceCase& c : *cases) {
    if (!options.filter.empty() && !absl::StrContains(c.id, options.filter)) {
      continue;
    }
    if (options.verbose) {
      std::cout << "RUN  " << c.id << "  " << c.note << std::endl;
    }
    Verdict verdict =
        RunCase(c, absl::Milliseconds(options.time_limit_ms));
    run_ids.insert(c.id);
    FolderCount& count = folders[c.folder];
    if (verdict.passed) {
      ++count.passed;
    } else {
      ++count.failed;
      failures[c.id] = verdict.reason;
      if (options.verbose) std::cout << "FAIL " << c.id << ": " << verdict.reason << "\n";
    }
  }

  int passed = 0, failed = 0;
  std::cout << absl::StrFormat("%-40s %7s %7s\n", "folder", "passed", "failed");
  for (const auto& [folder, count] : folders) {
    std::cout << absl::StrFormat("%-40s %7d %7d\n", folder, count.passed,
                                 count.failed);
    passed += count.passed;
    failed += count.failed;
  }

  std::vector<std::string> unexpected_failures, unexpected_passes;
  for (const auto& [id, reason] : failures) {
    if (!expected->contains(id)) unexpected_failures.push_back(id);
  }
  for (const std::string& id : run_ids) {
    if (expected->contains(id) && !failures.contains(id)) {
      unexpected_passes.push_back(id);
    }
  }

  int status = 0;
  if (options.write) {
    ExpectedFailures updated;
    for (const auto& [id, reason] : *expected) {
      // Cases outside this run keep their entries.
      bool ran = run_ids.contains(id);
      if (!ran || failures.contains(id)) updated[id] = reason;
    }
    constexpr size_t kMaxReason = 200;
    for (const auto& [id, reason] : failures) {
      updated.emplace(id, reason.size() > kMaxReason
                              ? reason.substr(0, kMaxReason) + "..."
                              : reason);
    }
    absl::Status written =
        WriteExpectedFailures(options.expected_failures, updated);
    if (!written.ok()) {
      std::cerr << "conformance: " << written.message() << "\n";
      status = 1;
    } else {
      std::cout << "wrote " << updated.size() << " expected failures to "
                << options.expected_failures << "\n";
    }
  } else {
    for (const std::string& id : unexpected_failures) {
      std::cout << "UNEXPECTED FAILURE " << id << ": " << failures[id] << "\n";
    }
    for (const std::string& id : unexpected_passes) {
      std::cout << "UNEXPECTED PASS " << id
                << " (remove it from expected_failures.txt)\n";
    }
    std::cout << failures.size() - unexpected_failures.size()
              << " expected failures, " << unexpected_failures.size()
              << " unexpected failures, " << unexpected_passes.size()
              << " unexpected passes\n";
    if (!unexpected_failures.empty() || !unexpected_passes.empty()) status = 1;
  }
  std::cout << passed << " passed, " << failed << " failed" << std::endl;
  return status;
}

}  // namespace
}  // namespace policyd::conformance

int main(int argc, char** argv) {
  policyd::conformance::Options options;
  if (!policyd::conformance::ParseOptions(argc, argv, &options)) {
    std::cerr << "usage: conformance_runner [--dir DIR] [--expected-failures "
                 "FILE] [--filter TEXT] [--time-limit-ms N] [--verbose] "
                 "[--write-expected-failures]\n";
    return 2;
  }
  return policyd::conformance::Run(options);
}
