// Keeps one remote bundle current (OPA's bundle service API): polls
// `GET {service url}/{resource}` with If-None-Match, so that an unchanged
// bundle costs a 304; a 200 is read as a .tar.gz bundle and activated in the
// store through the same checks as a bundle of the directory (limits,
// signatures, roots, compile), so a bad download never replaces the serving
// revision. Polls at a random delay between the configured minimum and
// maximum; after failures, backs off exponentially up to the maximum. With
// `persist`, each activated download is written to the persistence
// directory, and the persisted copy is activated at start before the first
// poll, so a restart without the network serves the last good revision.
#ifndef POLICYD_SERVICE_MANAGEMENT_BUNDLE_DOWNLOADER_H_
#define POLICYD_SERVICE_MANAGEMENT_BUNDLE_DOWNLOADER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bundles/store.h"
#include "service/management/background_loop.h"
#include "service/management/management_config.h"
#include "service/service_metrics.h"
#include "service/transport/http_client.h"

namespace policyd {

// What the status report says of a bundle (OPA's status API fields).
struct BundleDownloadStatus {
  std::string name;
  std::string active_revision;
  absl::Time last_request = absl::InfinitePast();
  absl::Time last_successful_request = absl::InfinitePast();
  absl::Time last_successful_download = absl::InfinitePast();
  absl::Time last_successful_activation = absl::InfinitePast();
  int http_code = 0;  // of the last response, 0 when none
  std::string error;  // of the last attempt, "" when it succeeded
  uint64_t size = 0;  // bytes of the last download
};

class BundleDownloader {
 public:
  // `client` talks to the bundle's service and must outlive the downloader.
  BundleDownloader(bundles::Store* store, const HttpClient* client,
                   RemoteBundleConfig config, std::string persistence_dir,
                   bundles::ReadLimits limits, ServiceMetrics* metrics);
  ~BundleDownloader();  // stops polling

  // Activates the persisted copy (with `persist`), then polls on a thread
  // of its own. `on_change` is called after every attempt.
  void Start(std::function<void()> on_change);

  // One download attempt; returns the delay until the next. Public for
  // tests, which drive it without the thread.
  absl::Duration Poll();

  BundleDownloadStatus Status() const;

 private:
  // Reads `bytes` as the bundle and activates it.
  absl::Status Activate(const std::string& bytes);

  bundles::Store* const store_;
  const HttpClient* const client_;
  const RemoteBundleConfig config_;
  const std::string persistence_dir_;
  const bundles::ReadLimits limits_;
  ServiceMetrics* const metrics_;
  std::function<void()> on_change_;

  mutable absl::Mutex mu_;
  std::string etag_ ABSL_GUARDED_BY(mu_);
  int failures_ ABSL_GUARDED_BY(mu_) = 0;
  BundleDownloadStatus status_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<BackgroundLoop> loop_;  // last: stops before the rest goes
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_MANAGEMENT_BUNDLE_DOWNLOADER_H_
