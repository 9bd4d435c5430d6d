// The metrics policyd exports on GET /metrics: decisions by API and outcome,
// the worker queue, bundle activations and build info.
#ifndef POLICYD_SERVICE_SERVICE_METRICS_H_
#define POLICYD_SERVICE_SERVICE_METRICS_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "bundles/store.h"
#include "service/metrics.h"

namespace policyd {

// Label values of `api`: "grpc" (Decision API), "ext_authz", "rest",
// "admission" (the webhook).
// Label values of `outcome`: "allow", "deny", "undefined", "error".
enum class Outcome { kAllow, kDeny, kUndefined, kError };
std::string_view OutcomeName(Outcome outcome);

class ServiceMetrics {
 public:
  ServiceMetrics();

  metrics::Registry& registry() { return registry_; }
  // Set by the server from its worker pool before each scrape.
  metrics::Gauge* queue_depth() { return queue_depth_; }

  void ObserveDecision(std::string_view api, Outcome outcome,
                       absl::Duration took);
  // A request refused before evaluation (queue full, malformed input, ...);
  // `reason` is a gRPC code name in lower case ("resource_exhausted").
  void CountError(std::string_view api, std::string_view reason);
  void CountDroppedLogLines(uint64_t n);
  // One download attempt of a remote bundle; `outcome` is "activated",
  // "not_modified", "failed" (network or server) or "rejected" (the bundle
  // did not activate).
  void ObserveBundleDownload(const std::string& bundle, std::string_view outcome,
                             absl::Duration took, uint64_t bytes);
  // Decision log upload: events sent and accepted, events dropped from a
  // full buffer, and failed uploads.
  void CountUploadedLogEvents(uint64_t n);
  void CountDroppedLogEvents(uint64_t n);
  void CountLogUploadFailure();
  // One violation of an admission constraint ("Kind/name") with the action
  // it had at the webhook (deny, warn, dryrun).
  void CountViolation(std::string_view constraint, std::string_view action);
  // Bundle gauges and counters from one reload attempt of the store.
  void ObserveReload(const bundles::ReloadEvent& event,
                     const bundles::StoreStatus& status);

 private:
  metrics::Registry registry_;
  metrics::Family<metrics::Histogram>* decision_seconds_;
  metrics::Family<metrics::Counter>* decisions_;
  metrics::Family<metrics::Counter>* errors_;
  metrics::Gauge* queue_depth_;
  metrics::Family<metrics::Counter>* log_dropped_;
  metrics::Family<metrics::Counter>* violations_;
  metrics::Family<metrics::Counter>* activations_;
  metrics::Family<metrics::Counter>* failures_;
  metrics::Family<metrics::Gauge>* revision_;
  metrics::Family<metrics::Histogram>* activation_seconds_;
  metrics::Family<metrics::Counter>* downloads_;
  metrics::Family<metrics::Histogram>* download_seconds_;
  metrics::Family<metrics::Counter>* download_bytes_;
  metrics::Family<metrics::Counter>* log_events_;
  metrics::Family<metrics::Counter>* log_upload_failures_;

  // The series of the known APIs, by API and outcome, so that a decision
  // does not look its series up by label values.
  static constexpr const char* kApis[] = {"grpc", "ext_authz", "rest"};
  metrics::Histogram* api_seconds_[3][4];
  metrics::Counter* api_decisions_[3][4];

  absl::Mutex mu_;
  // Bundle name -> the version last counted as activated.
  std::map<std::string, std::shared_ptr<const bundles::Bundle>> active_ ABSL_GUARDED_BY(mu_);
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_SERVICE_METRICS_H_
