// One case of OPA's conformance suite (../shared/conformance/README.md
// describes the file format) and the loading of a whole suite directory.
#ifndef POLICYD_TESTS_CONFORMANCE_CONFORMANCE_CASE_H_
#define POLICYD_TESTS_CONFORMANCE_CONFORMANCE_CASE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd::conformance {

struct ConformanceCase {
  std::string id;      // "folder/file.json#index": notes are not unique
  std::string folder;  // the topic
  std::string note;
  std::string query;
  std::vector<std::string> modules;  // named test-0.rego, test-1.rego, ...
  std::optional<Value> data;
  std::optional<Value> input;
  std::optional<std::string> input_term;  // wins over `input`
  std::optional<Value> want_result;       // an array of {var: value} rows
  std::optional<std::string> want_error;  // a substring of the message
  std::optional<std::string> want_error_code;
  bool sort_bindings = false;
  bool strict_error = false;
  bool ignore_generated_vars = false;
  std::vector<std::pair<std::string, std::string>> env;
};

// The cases of one file; `id_prefix` is "folder/file.json".
absl::StatusOr<std::vector<ConformanceCase>> ParseCaseFile(
    const std::string& text, const std::string& id_prefix);

// Every case of every `<dir>/<folder>/*.json`, ordered by folder, file name
// and index.
absl::StatusOr<std::vector<ConformanceCase>> LoadSuite(const std::string& dir);

}  // namespace policyd::conformance

#endif  // POLICYD_TESTS_CONFORMANCE_CONFORMANCE_CASE_H_
