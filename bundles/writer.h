// Writing a bundle as OPA's `opa build` does: a gzipped tar whose entries
// are named with a leading "/" (`/.manifest`, `/data.json`,
// `/authz/policy.rego`), regular files with mode 0644, in the order given.
#ifndef POLICYD_BUNDLES_WRITER_H_
#define POLICYD_BUNDLES_WRITER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bundles/manifest.h"
#include "bundles/reader.h"

namespace policyd::bundles {

// Writes `files` to `path` (created or replaced). Errors name `path`.
absl::Status WriteBundleTarball(const std::vector<BundleFile>& files,
                                const std::string& path);

// The `.manifest` text of `manifest`: compact JSON with sorted keys (so that
// its raw bytes are what OPA hashes for a JSON file), with `revision`,
// `roots`, `rego_version`, `file_rego_versions` (when any) and `metadata`
// (when not empty).
std::string ManifestJson(const Manifest& manifest);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_WRITER_H_
