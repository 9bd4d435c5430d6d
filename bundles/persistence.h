// Where downloaded bundles are kept across restarts (OPA's `persist: true`):
// `<dir>/bundles/<name>/bundle.tar.gz`, written atomically (a temporary file
// in the same folder, flushed to disk, then renamed over the old one), so
// that a crash mid-write leaves the previous copy, never half of a new one.
#ifndef POLICYD_BUNDLES_PERSISTENCE_H_
#define POLICYD_BUNDLES_PERSISTENCE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace policyd::bundles {

// The file that holds the persisted copy of bundle `name`. InvalidArgument
// for a name that cannot be a folder name ("", ".", "..", or with "/").
absl::StatusOr<std::string> PersistedBundlePath(const std::string& dir,
                                                const std::string& name);

// Replaces the persisted copy of bundle `name` with `bytes` (a .tar.gz).
absl::Status PersistBundle(const std::string& dir, const std::string& name,
                           const std::string& bytes);

// The persisted copy of bundle `name`; NotFound when there is none.
absl::StatusOr<std::string> LoadPersistedBundle(const std::string& dir,
                                                const std::string& name);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_PERSISTENCE_H_
