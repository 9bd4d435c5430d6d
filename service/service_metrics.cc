#include "service/service_metrics.h"

namespace policyd {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAllow:
      return "allow";
    case Outcome::kDeny:
      return "deny";
    case Outcome::kUndefined:
      return "undefined";
    case Outcome::kError:
      return "error";
  }
  return "error";
}

ServiceMetrics::ServiceMetrics() {
  registry_.AddGauge("policyd_build_info", "Build information; always 1.",
                     {"version"})
      ->Get({POLICYD_VERSION})
      ->Set(1);
  decision_seconds_ = registry_.AddHistogram(
      "policyd_decision_duration_seconds",
      "Time to make a decision, from request to response, by API and "
      "outcome.",
      {"api", "outcome"}, metrics::LatencyBuckets());
  decisions_ = registry_.AddCounter("policyd_decisions_total",
                                    "Decisions made, by API and outcome.",
                                    {"api", "outcome"});
  errors_ = registry_.AddCounter(
      "policyd_request_errors_total",
      "Requests refused before or instead of a decision, by API and reason.",
      {"api", "reason"});
  queue_depth_ = registry_
                     .AddGauge("policyd_worker_queue_depth",
                               "Decisions waiting for an evaluation slot.")
                     ->Get({});
  log_dropped_ = registry_.AddCounter(
      "policyd_decision_log_dropped_total",
      "Decision log lines dropped because the writer fell behind.");
  violations_ = registry_.AddCounter(
      "policyd_admission_violations_total",
      "Violations of admission constraints (Kind/name) found by the webhook, "
      "by the action they had.",
      {"constraint", "action"});
  activations_ = registry_.AddCounter(
      "policyd_bundle_activations_total",
      "New versions of a bundle made active.", {"bundle"});
  failures_ = registry_.AddCounter(
      "policyd_bundle_failures_total",
      "Failed attempts to activate a version of a bundle.", {"bundle"});
  revision_ = registry_.AddGauge(
      "policyd_bundle_active_revision",
      "1 for the revision of each bundle that is active now.",
      {"bundle", "revision"});
  activation_seconds_ = registry_.AddHistogram(
      "policyd_bundle_activation_duration_seconds",
      "Time to read, compile and swap in a new snapshot of the bundles.", {},
      metrics::LatencyBuckets());
  downloads_ = registry_.AddCounter(
      "policyd_bundle_downloads_total",
      "Download attempts of remote bundles, by bundle and outcome "
      "(activated, not_modified, failed, rejected).",
      {"bundle", "outcome"});
  download_seconds_ = registry_.AddHistogram(
      "policyd_bundle_download_duration_seconds",
      "Time of one download attempt of a remote bundle.", {"bundle"},
      metrics::LatencyBuckets());
  download_bytes_ = registry_.AddCounter(
      "policyd_bundle_download_bytes_total",
      "Bytes of remote bundles downloaded.", {"bundle"});
  log_events_ = registry_.AddCounter(
      "policyd_decision_log_events_total",
      "Decision log events for upload, by outcome (uploaded, dropped when "
      "the buffer was full).",
      {"outcome"});
  log_upload_failures_ = registry_.AddCounter(
      "policyd_decision_log_upload_failures_total",
      "Decision log uploads that failed (they are retried).");
  for (int a = 0; a < 3; ++a) {
    for (int o = 0; o < 4; ++o) {
      std::vector<std::string> labels = {
          kApis[a], std::string(OutcomeName(static_cast<Outcome>(o)))};
      api_seconds_[a][o] = decision_seconds_->Get(labels);
      api_decisions_[a][o] = decisions_->Get(labels);
    }
  }
}

void ServiceMetrics::CountViolation(std::string_view constraint,
                                    std::string_view action) {
  violations_->Get({std::string(constraint), std::string(action)})->Inc();
}

void ServiceMetrics::ObserveDecision(std::string_view api, Outcome outcome,
                                     absl::Duration took) {
  for (int a = 0; a < 3; ++a) {
    if (api == kApis[a]) {
      int o = static_cast<int>(outcome);
      api_seconds_[a][o]->Observe(absl::ToDoubleSeconds(took));
      api_decisions_[a][o]->Inc();
      return;
    }
  }
  std::vector<std::string> labels = {std::string(api),
                                     std::string(OutcomeName(outcome))};
  decision_seconds_->Get(labels)->Observe(absl::ToDoubleSeconds(took));
  decisions_->Get(labels)->Inc();
}

void ServiceMetrics::CountError(std::string_view api, std::string_view reason) {
  errors_->Get({std::string(api), std::string(reason)})->Inc();
}

void ServiceMetrics::CountDroppedLogLines(uint64_t n) {
  log_dropped_->Get({})->Inc(n);
}

void ServiceMetrics::ObserveBundleDownload(const std::string& bundle,
                                           std::string_view outcome,
                                           absl::Duration took, uint64_t bytes) {
  downloads_->Get({bundle, std::string(outcome)})->Inc();
  download_seconds_->Get({bundle})->Observe(absl::ToDoubleSeconds(took));
  if (bytes > 0) download_bytes_->Get({bundle})->Inc(bytes);
}

void ServiceMetrics::CountUploadedLogEvents(uint64_t n) {
  log_events_->Get({"uploaded"})->Inc(n);
}

void ServiceMetrics::CountDroppedLogEvents(uint64_t n) {
  log_events_->Get({"dropped"})->Inc(n);
}

void ServiceMetrics::CountLogUploadFailure() { log_upload_failures_->Get({})->Inc(); }

void ServiceMetrics::ObserveReload(const bundles::ReloadEvent& event,
                                   const bundles::StoreStatus& status) {
  for (const bundles::BundleError& error : event.errors) {
    failures_->Get({error.bundle.empty() ? "_" : error.bundle})->Inc();
  }
  if (!event.swapped || event.current == nullptr) return;
  activation_seconds_->Get({})->Observe(absl::ToDoubleSeconds(event.took));
  absl::MutexLock lock(&mu_);
  std::map<std::string, std::shared_ptr<const bundles::Bundle>> active;
  revision_->Clear();
  for (const auto& bundle : event.current->bundles()) {
    active[bundle->name] = bundle;
    auto it = active_.find(bundle->name);
    if (it == active_.end() || it->second != bundle) {
      activations_->Get({bundle->name})->Inc();
    }
    revision_->Get({bundle->name, bundle->manifest.revision})->Set(1);
  }
  active_ = std::move(active);
}

}  // namespace policyd
