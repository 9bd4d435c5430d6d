// Reads the files of one bundle — a directory or a `.tar.gz` file — into
// memory, refusing hostile input: more bytes or files than the limits allow,
// entry names that climb out of the bundle (`..`), and links whose target is
// outside the bundle (absolute, or climbing out). Nothing is ever written to
// disk, so a tarball's leading "/" (as `opa build` writes it) simply means the
// bundle's top.
#ifndef POLICYD_BUNDLES_READER_H_
#define POLICYD_BUNDLES_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace policyd::bundles {

struct ReadLimits {
  // Sum of the uncompressed sizes of all files of one bundle.
  uint64_t max_total_bytes = uint64_t{1} << 30;
  uint64_t max_files = 100000;
};

struct BundleFile {
  std::string path;  // bundle-relative, "/"-separated, no leading "/"
  std::string content;
};

// True for a path the reader treats as a gzipped tarball.
bool IsTarballPath(const std::string& path);

// All regular files of the bundle at `path`, sorted by path. Entries named
// `..something` (Kubernetes ConfigMap internals such as `..data`) are
// skipped; links inside the bundle are followed. Errors start with `path`.
absl::StatusOr<std::vector<BundleFile>> ReadBundleFiles(
    const std::string& path, const ReadLimits& limits);

// The same for a `.tar.gz` bundle held in memory (a download); `name`
// starts the errors.
absl::StatusOr<std::vector<BundleFile>> ReadTarballBytes(
    const std::string& name, const std::string& bytes,
    const ReadLimits& limits);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_READER_H_
