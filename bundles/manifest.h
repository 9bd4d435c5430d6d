// The `.manifest` of a bundle (OPA's format): a JSON object with
//   revision            string, default ""
//   roots               array of "/"-separated data paths the bundle owns;
//                       default [""] (the whole data tree)
//   rego_version        0 or 1, default 1: the syntax of the bundle's modules
//   file_rego_versions  {"path/or/glob*.rego": 0|1}: per-file exceptions
//   metadata            any object, kept as is
// Unknown fields (e.g. OPA's `wasm`) are ignored, as OPA ignores them.
#ifndef POLICYD_BUNDLES_MANIFEST_H_
#define POLICYD_BUNDLES_MANIFEST_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/syntax/ast.h"
#include "engine/value/value.h"

namespace policyd::bundles {

struct Manifest {
  std::string revision;
  // Normalised: no leading or trailing "/"; "" is the whole tree.
  std::vector<std::string> roots = {""};
  ast::RegoVersion rego_version = ast::RegoVersion::kV1;
  // Patterns normalised without a leading "/", sorted.
  std::vector<std::pair<std::string, ast::RegoVersion>> file_rego_versions;
  Value metadata = Value::Object({});

  // The syntax of the module at `path` (bundle-relative, no leading "/"):
  // an exact `file_rego_versions` entry, else the first matching pattern,
  // else `rego_version`.
  // Patterns match like shell globs: `*` and `?` stay within one path
  // segment, `**` crosses segments.
  ast::RegoVersion VersionOf(std::string_view path) const;
};

// Parses `.manifest` text. Errors name the field and what is wrong with it.
absl::StatusOr<Manifest> ParseManifest(std::string_view text);

// True when `path` matches the glob `pattern` (see Manifest::VersionOf).
bool GlobMatch(std::string_view pattern, std::string_view path);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_MANIFEST_H_
