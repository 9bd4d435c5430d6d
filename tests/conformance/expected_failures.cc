#include "tests/conformance/expected_failures.h"

#include <filesystem>
#include <fstream>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace policyd::conformance {

ExpectedFailures ParseExpectedFailures(const std::string& text) {
  ExpectedFailures failures;
  for (const std::string& raw : std::vector<std::string>(absl::StrSplit(text, '\n'))) {
    std::string line(absl::StripAsciiWhitespace(raw));
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.find_first_of(" \t");
    std::string id = line.substr(0, space);
    std::string reason =
        space == std::string::npos
            ? ""
            : std::string(absl::StripAsciiWhitespace(line.substr(space)));
    failures[id] = reason;
  }
  return failures;
}

std::string FormatExpectedFailures(const ExpectedFailures& failures) {
  std::string out =
      "# Conformance cases that are known to fail: case id, then why.\n"
      "# The conformance test fails when a case outside this list fails, and\n"
      "# when a listed case passes. Regenerate with\n"
      "#   conformance_runner --write-expected-failures\n"
      "# (reasons of cases still listed are kept).\n";
  for (const auto& [id, reason] : failures) {
    absl::StrAppend(&out, id, reason.empty() ? "" : " ", reason, "\n");
  }
  return out;
}

absl::StatusOr<ExpectedFailures> ReadExpectedFailures(const std::string& path) {
  if (!std::filesystem::exists(path)) return ExpectedFailures();
  POLICYD_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseExpectedFailures(text);
}

absl::Status WriteExpectedFailures(const std::string& path,
                                   const ExpectedFailures& failures) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << FormatExpectedFailures(failures);
  file.close();
  if (!file) return absl::UnavailableError(absl::StrCat(path, ": write failed"));
  return absl::OkStatus();
}

}  // namespace policyd::conformance
