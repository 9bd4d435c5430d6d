// An immutable, complete view of policy: the compiled engine over the merged
// data of a set of bundles, with each bundle's name, revision and load time.
// Every decision runs against exactly one snapshot, so it never sees a mix
// of two revisions. Prepared queries are cached per query text.
#ifndef POLICYD_BUNDLES_SNAPSHOT_H_
#define POLICYD_BUNDLES_SNAPSHOT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bundles/bundle.h"
#include "bundles/bundle_error.h"
#include "bundles/overlay.h"
#include "engine/engine.h"

namespace policyd::bundles {

// What a layer above bundles (the admission policies) builds from a
// snapshot's bundles and merged data. It is built with the snapshot, so a
// failure fails the reload like a compile error and the previous snapshot
// keeps serving.
class SnapshotExtension {
 public:
  virtual ~SnapshotExtension() = default;
};

// Returns nullptr and appends to `errors` (naming the bundle at fault when
// there is one) on failure.
using ExtensionBuilder = std::function<std::shared_ptr<const SnapshotExtension>(
    const std::vector<std::shared_ptr<const Bundle>>& bundles,
    const Value& data, std::vector<BundleError>* errors)>;

class Snapshot {
 public:
  // Checks that the bundles' roots do not overlap, merges their data and
  // parses and compiles all their modules. The snapshot keeps the compiled
  // plan only: parse trees are many times the size of their source, so none
  // is kept for the next reload. On failure `errors` gets one entry per
  // problem, naming the bundle(s) at fault. `extension`, when set, builds the
  // snapshot's extension() once the engine compiled. The `overlay`'s
  // policies and data (when given) join the bundles'.
  static std::shared_ptr<const Snapshot> Build(
      std::vector<std::shared_ptr<const Bundle>> bundles, uint64_t generation,
      std::vector<BundleError>* errors,
      const ExtensionBuilder* extension = nullptr,
      std::shared_ptr<const Overlay> overlay = nullptr);

  const Engine& engine() const { return *engine_; }
  const std::shared_ptr<const Engine>& shared_engine() const {
    return engine_;
  }
  const Value& data() const { return engine_->data(); }
  // Sorted by name.
  const std::vector<std::shared_ptr<const Bundle>>& bundles() const {
    return bundles_;
  }
  // What the REST API wrote (never null; empty when nothing was).
  const Overlay& overlay() const { return *overlay_; }
  // Counts successful reloads of the store, from 1.
  uint64_t generation() const { return generation_; }
  absl::Time created() const { return created_; }
  // Null unless the store has an extension builder.
  const std::shared_ptr<const SnapshotExtension>& extension() const {
    return extension_;
  }

  // The prepared form of `query` (e.g. "data.authz.allow"), compiled on
  // first use and shared afterwards. Up to kMaxCachedQueries are kept.
  absl::StatusOr<std::shared_ptr<const PreparedQuery>> Query(
      std::string_view query) const;
  static constexpr size_t kMaxCachedQueries = 4096;

  Snapshot(std::shared_ptr<const Engine> engine,
           std::vector<std::shared_ptr<const Bundle>> bundles,
           uint64_t generation,
           std::shared_ptr<const SnapshotExtension> extension = nullptr,
           std::shared_ptr<const Overlay> overlay = nullptr);

 private:
  std::shared_ptr<const Engine> engine_;
  std::vector<std::shared_ptr<const Bundle>> bundles_;
  std::shared_ptr<const Overlay> overlay_;
  uint64_t generation_;
  absl::Time created_;
  std::shared_ptr<const SnapshotExtension> extension_;

  // A standard mutex rather than absl::Mutex so that ThreadSanitizer, which
  // cannot see into the distribution's uninstrumented absl, checks it.
  mutable std::shared_mutex mu_;
  mutable absl::flat_hash_map<std::string, std::shared_ptr<const PreparedQuery>>
      queries_;  // guarded by mu_
};

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_SNAPSHOT_H_
