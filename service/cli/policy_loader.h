// Loads policies and data from the paths given to `policyd eval -d`, the way
// OPA's loader does for directories: every `.rego` file below a directory is
// a module, and every `data.json` / `data.yaml` / `data.yml` is placed in
// `data` at its folder's path relative to that directory
// (`-d dir` with `dir/a/b/data.json` gives `data.a.b`). A JSON or YAML file
// named directly is merged at the root of `data`. Documents that meet at the
// same path must both be objects (they are merged key by key, as in bundles).
#ifndef POLICYD_SERVICE_CLI_POLICY_LOADER_H_
#define POLICYD_SERVICE_CLI_POLICY_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "engine/syntax/ast.h"
#include "engine/value/value.h"

namespace policyd {

struct LoadedPolicies {
  std::vector<SourceModule> modules;  // in path order, then file name order
  Value data;                         // an object
};

// Files (and directories) below a directory whose name matches one of the
// `ignore` globs (`.*`, `*_test.rego`; as OPA's --ignore) are skipped.
absl::StatusOr<LoadedPolicies> LoadPolicyPaths(
    const std::vector<std::string>& paths, ast::RegoVersion version,
    const std::vector<std::string>& ignore = {});

// True when a segment of the "/"-separated `relative_path` matches one of
// the `ignore` globs.
bool IsIgnoredPath(std::string_view relative_path,
                   const std::vector<std::string>& ignore);

// Each path is a bundle (a directory or a .tar.gz) read as `policyd serve`
// reads it: data at folder paths relative to the bundle's root, modules in
// the Rego version its manifest gives them, everything within its roots.
// The bundles' data must not conflict.
absl::StatusOr<LoadedPolicies> LoadBundlePaths(
    const std::vector<std::string>& paths);

// A JSON document, or YAML when the name ends in .yaml or .yml.
absl::StatusOr<Value> LoadDocumentFile(const std::string& path);

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_POLICY_LOADER_H_
