// The metrics policyd exports on GET /metrics: decisions by API and outcome,
// the worker queue, bundle activations and build info. Kept in a
// prometheus-cpp registry and written by its text serializer (exposition
// format 0.0.4). Label values come from small, known sets (APIs, outcomes,
// error reasons, bundle names and revisions), never from request data.
#ifndef POLICYD_SERVICE_SERVICE_METRICS_H_
#define POLICYD_SERVICE_SERVICE_METRICS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bundles/store.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace policyd {

// Label values of `api`: "grpc" (Decision API), "ext_authz", "rest".
// Label values of `outcome`: "allow", "deny", "undefined", "error".
enum class Outcome { kAllow, kDeny, kUndefined, kError };
std::string_view OutcomeName(Outcome outcome);

// Bucket bounds of the latency histograms, in seconds: 1 µs up to 10 s,
// 1-2.5-5 per decade.
std::vector<double> LatencyBuckets();

class ServiceMetrics {
 public:
  ServiceMetrics();

  // Set by the server from its worker pool before each scrape.
  prometheus::Gauge* queue_depth() { return queue_depth_; }

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

  // Runs before each Render(), to refresh gauges that are cheaper to read
  // on demand (queue depth).
  void AddCollector(std::function<void()> collect);
  // Every series in the text exposition format.
  std::string Render();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Histogram>* decision_seconds_;
  prometheus::Family<prometheus::Counter>* decisions_;
  prometheus::Family<prometheus::Counter>* errors_;
  prometheus::Gauge* queue_depth_;
  prometheus::Counter* log_dropped_;
  prometheus::Family<prometheus::Counter>* violations_;
  prometheus::Family<prometheus::Counter>* activations_;
  prometheus::Family<prometheus::Counter>* failures_;
  prometheus::Family<prometheus::Gauge>* revision_;
  prometheus::Histogram* activation_seconds_;
  prometheus::Family<prometheus::Counter>* downloads_;
  prometheus::Family<prometheus::Histogram>* download_seconds_;
  prometheus::Family<prometheus::Counter>* download_bytes_;
  prometheus::Family<prometheus::Counter>* log_events_;
  prometheus::Counter* log_upload_failures_;

  // The series of the known APIs, by API and outcome, so that a decision
  // does not look its series up by label values.
  static constexpr const char* kApis[] = {"grpc", "ext_authz", "rest"};
  prometheus::Histogram* api_seconds_[3][4];
  prometheus::Counter* api_decisions_[3][4];

  absl::Mutex mu_;
  std::vector<std::function<void()>> collectors_ ABSL_GUARDED_BY(mu_);
  // Bundle name -> the version last counted as activated.
  std::map<std::string, std::shared_ptr<const bundles::Bundle>> active_ ABSL_GUARDED_BY(mu_);
  // The series of revision_ now set (removed when the revision changes).
  std::vector<prometheus::Gauge*> revision_series_ ABSL_GUARDED_BY(mu_);
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_SERVICE_METRICS_H_
