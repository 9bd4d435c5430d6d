// A cheap summary of a file tree's state (names, sizes, modification times,
// inodes), used to tell whether a bundle changed since it was last read and
// whether a directory has gone quiet after a write. Follows symbolic links
// and skips `..name` entries as the reader does, so that a Kubernetes
// ConfigMap's `..data` swap shows up as a change of the files behind it.
#ifndef POLICYD_BUNDLES_FINGERPRINT_H_
#define POLICYD_BUNDLES_FINGERPRINT_H_

#include <cstdint>
#include <string>

namespace policyd::bundles {

// Equal fingerprints mean (with overwhelming likelihood) an unchanged tree;
// a missing path has a fingerprint too.
uint64_t TreeFingerprint(const std::string& path);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_FINGERPRINT_H_
