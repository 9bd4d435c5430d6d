// OPA's management plane for one server: an HTTP client per configured
// service, a downloader per remote bundle, the decision log uploader and the
// status reporter, started together and stopped together (uploads flushed
// once on the way out). The store expects every remote bundle, so that
// readiness waits until each has been activated once.
#ifndef POLICYD_SERVICE_MANAGEMENT_MANAGEMENT_H_
#define POLICYD_SERVICE_MANAGEMENT_MANAGEMENT_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bundles/bundle.h"
#include "bundles/store.h"
#include "service/management/bundle_downloader.h"
#include "service/decision_log.h"
#include "service/management/decision_log_uploader.h"
#include "service/management/management_config.h"
#include "service/service_metrics.h"
#include "service/management/status_reporter.h"
#include "service/transport/http_client.h"

namespace policyd {

class Management {
 public:
  // Creates the clients (failing on bad TLS files) and starts every part.
  // `defaults` are the store's load options: remote bundles without a
  // signing key of their own use its keys. `local_log` (may be null) is the
  // local decision log, logged to beside the upload.
  static absl::StatusOr<std::unique_ptr<Management>> Start(
      const ManagementConfig& config, bundles::Store* store,
      const bundles::LoadOptions& defaults, ServiceMetrics* metrics,
      DecisionLogSink* local_log);
  ~Management();

  // Where decisions are logged: the uploader when decision logs are
  // configured, else the local log given to Start (maybe null).
  DecisionLogSink* log_sink() const { return log_sink_; }

  const std::vector<std::unique_ptr<BundleDownloader>>& downloaders() const {
    return downloaders_;
  }
  DecisionLogUploader* uploader() const { return uploader_.get(); }

 private:
  struct Notifier;
  Management() = default;

  std::map<std::string, std::unique_ptr<HttpClient>> clients_;
  std::unique_ptr<DecisionLog> console_log_;
  std::unique_ptr<StatusReporter> status_;
  std::vector<std::unique_ptr<BundleDownloader>> downloaders_;
  std::unique_ptr<DecisionLogUploader> uploader_;
  DecisionLogSink* log_sink_ = nullptr;
  std::shared_ptr<Notifier> notifier_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_MANAGEMENT_MANAGEMENT_H_
