#include "service/management/bundle_downloader.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "bundles/bundle.h"
#include "bundles/persistence.h"
#include "bundles/reader.h"

namespace policyd {
namespace {

// The first wait after a failure; doubled per failure up to the maximum
// polling delay.
constexpr absl::Duration kFirstRetry = absl::Milliseconds(500);

}  // namespace

BundleDownloader::BundleDownloader(bundles::Store* store, const HttpClient* client,
                                   RemoteBundleConfig config,
                                   std::string persistence_dir,
                                   bundles::ReadLimits limits, ServiceMetrics* metrics)
    : store_(store),
      client_(client),
      config_(std::move(config)),
      persistence_dir_(std::move(persistence_dir)),
      limits_(limits),
      metrics_(metrics) {
  status_.name = config_.name;
}

BundleDownloader::~BundleDownloader() { loop_.reset(); }

void BundleDownloader::Start(std::function<void()> on_change) {
  on_change_ = std::move(on_change);
  if (config_.persist) {
    absl::StatusOr<std::string> bytes =
        bundles::LoadPersistedBundle(persistence_dir_, config_.name);
    if (bytes.ok()) (void)Activate(*bytes);
  }
  loop_ = std::make_unique<BackgroundLoop>([this] { return Poll(); });
}

absl::Status BundleDownloader::Activate(const std::string& bytes) {
  absl::StatusOr<std::vector<bundles::BundleFile>> files =
      bundles::ReadTarballBytes(config_.name, bytes, limits_);
  absl::StatusOr<bundles::Bundle> bundle =
      files.ok() ? bundles::BundleFromFiles(config_.name, *files, config_.signatures)
                 : absl::StatusOr<bundles::Bundle>(files.status());
  std::string revision = bundle.ok() ? bundle->manifest.revision : "";
  absl::Status activated = store_->Activate(config_.name, std::move(bundle));
  if (activated.ok()) {
    absl::MutexLock lock(&mu_);
    status_.active_revision = revision;
    status_.last_successful_activation = absl::Now();
  }
  return activated;
}

absl::Duration BundleDownloader::Poll() {
  HttpClientRequest request;
  request.resource = config_.resource;
  {
    absl::MutexLock lock(&mu_);
    if (!etag_.empty()) request.headers.emplace_back("If-None-Match", etag_);
  }
  absl::Time start = absl::Now();
  absl::StatusOr<HttpClientResponse> response = client_->Send(request);
  absl::Duration took = absl::Now() - start;

  std::string outcome;
  std::string error;
  uint64_t bytes = 0;
  absl::Time now = absl::Now();
  if (!response.ok()) {
    outcome = "failed";
    error = std::string(response.status().message());
  } else if (response->status == 304) {
    outcome = "not_modified";
  } else if (response->status == 200) {
    bytes = response->body.size();
    absl::Status activated = Activate(response->body);
    if (activated.ok()) {
      outcome = "activated";
      if (config_.persist) {
        if (absl::Status s = bundles::PersistBundle(persistence_dir_, config_.name,
                                                    response->body);
            !s.ok()) {
          error = absl::StrCat("activated, but not persisted: ", s.message());
        }
      }
    } else {
      outcome = "rejected";
      error = std::string(activated.message());
    }
  } else {
    outcome = "failed";
    error = absl::StrCat(client_->UrlOf(config_.resource), ": the server answered ",
                         response->status);
  }
  metrics_->ObserveBundleDownload(config_.name, outcome, took, bytes);

  absl::Duration delay;
  {
    absl::MutexLock lock(&mu_);
    status_.last_request = now;
    status_.http_code = response.ok() ? response->status : 0;
    status_.error = error;
    if (outcome == "not_modified" || outcome == "activated") {
      status_.last_successful_request = now;
    }
    if (outcome == "activated") {
      status_.last_successful_download = now;
      status_.size = bytes;
      etag_ = response->Header("ETag");
    }
    // A rejected bundle is downloaded again at the next poll (its ETag is
    // not kept), so that fixing it on the server is enough.
    if (outcome == "failed" || outcome == "rejected") {
      ++failures_;
      delay = BackoffDelay(failures_, kFirstRetry, config_.max_delay);
    } else {
      failures_ = 0;
      delay = RandomDelay(config_.min_delay, config_.max_delay);
    }
  }
  if (on_change_) on_change_();
  return delay;
}

BundleDownloadStatus BundleDownloader::Status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

}  // namespace policyd
