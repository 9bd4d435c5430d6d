// Gatekeeper suite files (`kind: Suite`, as `gator verify` reads them): each
// test names a template and a constraint file, and each of its cases an
// object, optional inventory files and assertions on the violations the
// object gets. Paths are relative to the suite file.
//
// Beyond `gator verify`: `template` and `constraint` may name directories
// (every template and constraint below them) or files of several objects,
// and an `object` file of several objects (manifests holding a Deployment,
// a Service, ...) reviews each of them, the violations adding up.
//
//   tests:
//   - name: required-labels
//     template: template.yaml
//     constraint: constraint.yaml
//     cases:
//     - name: missing-label
//       object: samples/bad-ns.yaml
//       inventory: [samples/namespaces.yaml]
//       assertions:
//       - violations: yes          # yes, no or a number
//         message: must have       # optional regular expression
#ifndef POLICYD_ADMISSION_SUITE_H_
#define POLICYD_ADMISSION_SUITE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd::admission {

struct CaseResult {
  std::string name;  // "SUITE_FILE/TEST/CASE"
  bool passed = false;
  std::string detail;  // why it failed
};

// True when the YAML at `text` is a suite (`kind: Suite`).
bool IsSuite(const Value& object);

// Runs every test of the suite file at `path`. An unreadable suite is an
// error; a test whose template or constraint is bad fails each of its cases.
absl::StatusOr<std::vector<CaseResult>> RunSuiteFile(const std::string& path);

// The suite files at `path`: the file itself, or every YAML file below the
// directory whose documents include a `kind: Suite`.
absl::StatusOr<std::vector<std::string>> FindSuiteFiles(
    const std::string& path);

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_SUITE_H_
