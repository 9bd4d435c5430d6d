// The layout of a bundles directory (`policyd serve --bundles DIR`): each
// subdirectory and each `.tar.gz`/`.tgz` file of DIR is one bundle named
// after the entry (without the extension); a DIR that itself holds a
// `.manifest` is a single bundle named after DIR. Hidden entries (`.x`,
// ConfigMap internals `..data`) are not bundles; other files are ignored.
#ifndef POLICYD_BUNDLES_BUNDLE_DIR_H_
#define POLICYD_BUNDLES_BUNDLE_DIR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace policyd::bundles {

struct BundleSource {
  std::string name;
  std::string path;
};

// Sorted by name. NotFound when DIR is missing or not a directory.
absl::StatusOr<std::vector<BundleSource>> ListBundleSources(
    const std::string& dir);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_BUNDLE_DIR_H_
