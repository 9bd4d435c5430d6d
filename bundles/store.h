// The store keeps the current Snapshot of a bundles directory and replaces
// it on reload. Readers take the snapshot with one atomic load and keep it
// for the whole decision; a reload builds a complete new snapshot off to the
// side and swaps it in only when every bundle read, verified and compiled.
// On failure the previous snapshot keeps serving and the errors are kept,
// per bundle, for the status API, metrics and the log.
//
//   auto store = Store::Open("/bundles", options);     // first load
//   std::shared_ptr<const Snapshot> s = (*store)->Current();
//   auto query = s->Query("data.authz.allow");
//   (*store)->Reload();                                // e.g. on SIGHUP
#ifndef POLICYD_BUNDLES_STORE_H_
#define POLICYD_BUNDLES_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bundles/bundle.h"
#include "bundles/bundle_dir.h"
#include "bundles/bundle_error.h"
#include "bundles/snapshot.h"

namespace policyd::bundles {

struct StoreOptions : LoadOptions {
  // Builds each snapshot's extension (see Snapshot); none when empty.
  ExtensionBuilder extension;
};

// What one reload attempt did.
struct ReloadEvent {
  absl::Status result;     // OK when swapped or when nothing changed
  bool swapped = false;    // a new snapshot is now current
  absl::Duration took;
  std::shared_ptr<const Snapshot> current;  // after the attempt
  std::vector<BundleError> errors;          // why it failed
};

struct BundleStatus {
  std::string name;
  std::string path;
  bool active = false;          // part of the current snapshot
  std::string revision;         // of the active version
  absl::Time loaded;            // when the active version was read
  std::vector<BundleError> errors;  // of the last failed attempt, if it
                                    // failed because of this bundle
};

struct StoreStatus {
  std::shared_ptr<const Snapshot> current;
  std::vector<BundleStatus> bundles;  // sorted by name
  absl::Time last_attempt;
  absl::Status last_result;
  std::vector<BundleError> errors;  // of the last attempt, when it failed
  uint64_t reloads_succeeded = 0;  // swaps, including the first load
  uint64_t reloads_failed = 0;
};

class Store {
 public:
  // A store with an empty snapshot (no bundles, no data) until the first
  // Reload(). With `dir` empty, only activated bundles (downloads) serve.
  Store(std::string dir, StoreOptions options);

  // Creates the store and loads it once; fails when that load fails.
  static absl::StatusOr<std::unique_ptr<Store>> Open(std::string dir,
                                                     StoreOptions options);

  // Never null. Safe from any thread; lock-free for readers of the pointer.
  std::shared_ptr<const Snapshot> Current() const { return current_.load(); }

  // Re-reads the bundles that changed (by file names, sizes, times), parses
  // only their modules whose text changed, and swaps in a new snapshot when
  // all is well. A bundle that failed and has not changed since is not read
  // again (its error is kept), so repeated reloads cost a directory scan.
  // One reload runs at a time and concurrent calls coalesce: a caller gets
  // the result of a reload that started after it called, shared with every
  // caller that arrived while the previous one ran.
  absl::Status Reload();

  // Bundles from elsewhere than the directory (downloads): the bundle
  // `name` as read (or why it could not be) replaces its earlier version when
  // a snapshot with it builds (roots, data, compile); otherwise the current
  // snapshot keeps serving and the error is returned. A name the directory
  // also has is refused. Listeners are told as for Reload(), which keeps the
  // activated bundles beside the directory's.
  absl::Status Activate(const std::string& name, absl::StatusOr<Bundle> bundle);

  // Names of bundles the store is not ready without (downloads configured
  // but perhaps not activated yet): Status() lists them, inactive until
  // they are.
  void Expect(std::vector<std::string> names);
  // True once the snapshot holds at least one bundle and every expected one.
  bool Ready() const;

  StoreStatus Status() const;

  // Changes what the REST API wrote: `change` edits a copy of the current
  // overlay (it may refuse with an error, e.g. a write inside a bundle's
  // roots; `current` is the snapshot it applies to); then a new snapshot
  // of the same bundles with the new overlay is built off to the side and
  // swapped in. Decisions never wait for it. When `change` or the build
  // fails, nothing changes: InvalidArgument with one error per line
  // (`FILE:LINE:COL: CODE: MESSAGE` for compile errors). Serialised with
  // reloads; reloads keep the overlay.
  absl::Status UpdateOverlay(
      const std::function<absl::Status(Overlay& overlay, const Snapshot& current)>&
          change);

  // Called after every reload attempt, on the reloading thread, while
  // reloads are held off: a listener must not call Reload().
  void AddListener(std::function<void(const ReloadEvent&)> listener);

  const std::string& dir() const { return dir_; }

 private:
  struct Cached {
    std::string path;
    uint64_t fingerprint;
    std::shared_ptr<const Bundle> bundle;  // null when it failed to load
    BundleError error;                     // why, when it failed
  };
  absl::Status ReloadNow();
  absl::Status Finish(ReloadEvent event, absl::Time start,
                      const std::vector<BundleSource>& listed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(reload_mu_);
  // Builds and swaps in a snapshot of `bundles` when it differs from the
  // current one.
  void Swap(std::vector<std::shared_ptr<const Bundle>> bundles, ReloadEvent* event)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(reload_mu_);

  // The serving snapshot: readers copy it, a reload replaces it. A mutex
  // rather than std::atomic<std::shared_ptr>: libstdc++ 12 releases that
  // one's lock bit with relaxed order after a load, which ThreadSanitizer
  // reports as a race with the next store. The critical section is a
  // reference-count increment either way.
  class SnapshotSlot {
   public:
    std::shared_ptr<const Snapshot> load() const {
      std::lock_guard<std::mutex> lock(mu_);
      return snapshot_;
    }
    void store(std::shared_ptr<const Snapshot> next) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        snapshot_.swap(next);
      }
      // The replaced snapshot, if this was its last reference, is freed
      // here, outside the lock.
    }

   private:
    mutable std::mutex mu_;
    std::shared_ptr<const Snapshot> snapshot_;
  };

  const std::string dir_;
  const StoreOptions options_;
  SnapshotSlot current_;

  // Coalescing: calls are numbered; a reload started after call N answers
  // calls up to the number taken when it started.
  absl::Mutex coalesce_mu_;
  bool reloading_ ABSL_GUARDED_BY(coalesce_mu_) = false;
  uint64_t calls_ ABSL_GUARDED_BY(coalesce_mu_) = 0;
  uint64_t answered_ ABSL_GUARDED_BY(coalesce_mu_) = 0;
  absl::Status answer_ ABSL_GUARDED_BY(coalesce_mu_);

  absl::Mutex reload_mu_;  // serialises ReloadNow()
  // The bundles of the last snapshot that failed to build, and why.
  std::vector<std::shared_ptr<const Bundle>> failed_build_
      ABSL_GUARDED_BY(reload_mu_);
  std::vector<BundleError> failed_build_errors_ ABSL_GUARDED_BY(reload_mu_);
  std::map<std::string, Cached> cache_ ABSL_GUARDED_BY(reload_mu_);
  std::shared_ptr<const Overlay> overlay_ ABSL_GUARDED_BY(reload_mu_);
  std::vector<std::function<void(const ReloadEvent&)>> listeners_
      ABSL_GUARDED_BY(reload_mu_);
  // Activated bundles by name, and the directory's bundles as last listed.
  std::map<std::string, std::shared_ptr<const Bundle>> activated_
      ABSL_GUARDED_BY(reload_mu_);
  std::vector<BundleSource> last_listed_ ABSL_GUARDED_BY(reload_mu_);

  mutable absl::Mutex status_mu_;
  absl::Time last_attempt_ ABSL_GUARDED_BY(status_mu_);
  absl::Status last_result_ ABSL_GUARDED_BY(status_mu_);
  uint64_t reloads_succeeded_ ABSL_GUARDED_BY(status_mu_) = 0;
  uint64_t reloads_failed_ ABSL_GUARDED_BY(status_mu_) = 0;
  // Bundle name -> path, as last listed.
  std::map<std::string, std::string> listed_ ABSL_GUARDED_BY(status_mu_);
  std::vector<BundleError> errors_ ABSL_GUARDED_BY(status_mu_);
  std::vector<std::string> expected_ ABSL_GUARDED_BY(status_mu_);
};

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_STORE_H_
