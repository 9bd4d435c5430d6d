// Watches a store's bundles directory and reloads the store when it changes:
// with inotify where available (waking on any change in the directory tree,
// including a Kubernetes ConfigMap's `..data` symlink swap), polling the
// tree's fingerprint otherwise (and as a backstop). A change is acted on
// only once the tree has been quiet for the debounce period, so a writer
// that copies a bundle file by file is never caught half way; if it still
// is (the store refuses a bundle that changes while it is read), the next
// change triggers another attempt.
#ifndef POLICYD_BUNDLES_WATCHER_H_
#define POLICYD_BUNDLES_WATCHER_H_

#include <atomic>
#include <cstdint>
#include <thread>

#include "absl/time/time.h"
#include "bundles/store.h"

namespace policyd::bundles {

struct WatcherOptions {
  // The tree must stay unchanged this long before a reload.
  absl::Duration quiet = absl::Seconds(2);
  // How often the tree is checked without an inotify event.
  absl::Duration poll_interval = absl::Seconds(2);
  // False forces polling (also the fallback when inotify is unavailable).
  bool use_inotify = true;
};

class Watcher {
 public:
  // Starts watching `store->dir()` on a thread of its own. `store` must
  // outlive the watcher.
  Watcher(Store* store, WatcherOptions options);
  ~Watcher();  // stops and joins

  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  bool using_inotify() const { return inotify_fd_ >= 0; }
  // Reload attempts the watcher has made.
  uint64_t reloads() const { return reloads_.load(); }

 private:
  void Run(uint64_t last);
  // Waits up to `timeout` for an inotify event or Stop; false when stopping.
  bool Wait(absl::Duration timeout);
  // Waits the whole `duration` whatever happens; false when stopping.
  bool Sleep(absl::Duration duration);
  void AddWatches();

  Store* const store_;
  const WatcherOptions options_;
  int inotify_fd_ = -1;
  int stop_fd_ = -1;  // eventfd, written by the destructor
  std::atomic<uint64_t> reloads_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_WATCHER_H_
