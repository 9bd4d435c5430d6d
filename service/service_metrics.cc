#include "service/service_metrics.h"

#include "prometheus/text_serializer.h"

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

std::vector<double> LatencyBuckets() {
  // Written out rather than computed by repeated multiplication, whose
  // rounding (1e-06 * 10 = 9.999999999999999e-06) prometheus-cpp's
  // serializer, printing 16 digits, would show in the `le` labels.
  return {1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4,
          5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1,
          0.25, 0.5, 1,    2.5,    5,    10};
}

ServiceMetrics::ServiceMetrics()
    : registry_(std::make_shared<prometheus::Registry>()) {
  prometheus::BuildGauge()
      .Name("policyd_build_info")
      .Help("Build information; always 1.")
      .Register(*registry_)
      .Add({{"version", POLICYD_VERSION}})
      .Set(1);
  decision_seconds_ = &prometheus::BuildHistogram()
                           .Name("policyd_decision_duration_seconds")
                           .Help("Time to make a decision, from request to "
                                 "response, by API and outcome.")
                           .Register(*registry_);
  decisions_ = &prometheus::BuildCounter()
                    .Name("policyd_decisions_total")
                    .Help("Decisions made, by API and outcome.")
                    .Register(*registry_);
  errors_ = &prometheus::BuildCounter()
                 .Name("policyd_request_errors_total")
                 .Help("Requests refused before or instead of a decision, by "
                       "API and reason.")
                 .Register(*registry_);
  queue_depth_ = &prometheus::BuildGauge()
                      .Name("policyd_worker_queue_depth")
                      .Help("Decisions waiting for an evaluation slot.")
                      .Register(*registry_)
                      .Add({});
  log_dropped_ = &prometheus::BuildCounter()
                      .Name("policyd_decision_log_dropped_total")
                      .Help("Decision log lines dropped because the writer "
                            "fell behind.")
                      .Register(*registry_)
                      .Add({});
  violations_ = &prometheus::BuildCounter()
                     .Name("policyd_admission_violations_total")
                     .Help("Violations of admission constraints (Kind/name) "
                           "found by the webhook, by the action they had.")
                     .Register(*registry_);
  activations_ = &prometheus::BuildCounter()
                      .Name("policyd_bundle_activations_total")
                      .Help("New versions of a bundle made active.")
                      .Register(*registry_);
  failures_ = &prometheus::BuildCounter()
                   .Name("policyd_bundle_failures_total")
                   .Help("Failed attempts to activate a version of a bundle.")
                   .Register(*registry_);
  revision_ = &prometheus::BuildGauge()
                   .Name("policyd_bundle_active_revision")
                   .Help("1 for the revision of each bundle that is active now.")
                   .Register(*registry_);
  activation_seconds_ =
      &prometheus::BuildHistogram()
           .Name("policyd_bundle_activation_duration_seconds")
           .Help("Time to read, compile and swap in a new snapshot of the "
                 "bundles.")
           .Register(*registry_)
           .Add({}, LatencyBuckets());
  downloads_ = &prometheus::BuildCounter()
                    .Name("policyd_bundle_downloads_total")
                    .Help("Download attempts of remote bundles, by bundle and "
                          "outcome (activated, not_modified, failed, rejected).")
                    .Register(*registry_);
  download_seconds_ = &prometheus::BuildHistogram()
                           .Name("policyd_bundle_download_duration_seconds")
                           .Help("Time of one download attempt of a remote bundle.")
                           .Register(*registry_);
  download_bytes_ = &prometheus::BuildCounter()
                         .Name("policyd_bundle_download_bytes_total")
                         .Help("Bytes of remote bundles downloaded.")
                         .Register(*registry_);
  log_events_ = &prometheus::BuildCounter()
                     .Name("policyd_decision_log_events_total")
                     .Help("Decision log events for upload, by outcome "
                           "(uploaded, dropped when the buffer was full).")
                     .Register(*registry_);
  log_upload_failures_ = &prometheus::BuildCounter()
                              .Name("policyd_decision_log_upload_failures_total")
                              .Help("Decision log uploads that failed (they are "
                                    "retried).")
                              .Register(*registry_)
                              .Add({});
  const std::vector<double> buckets = LatencyBuckets();
  for (int a = 0; a < 3; ++a) {
    for (int o = 0; o < 4; ++o) {
      prometheus::Labels labels = {
          {"api", kApis[a]},
          {"outcome", std::string(OutcomeName(static_cast<Outcome>(o)))}};
      api_seconds_[a][o] = &decision_seconds_->Add(labels, buckets);
      api_decisions_[a][o] = &decisions_->Add(labels);
    }
  }
}

void ServiceMetrics::ObserveDecision(std::string_view api, Outcome outcome,
                                     absl::Duration took) {
  for (int a = 0; a < 3; ++a) {
    if (api == kApis[a]) {
      int o = static_cast<int>(outcome);
      api_seconds_[a][o]->Observe(absl::ToDoubleSeconds(took));
      api_decisions_[a][o]->Increment();
      return;
    }
  }
  prometheus::Labels labels = {{"api", std::string(api)},
                               {"outcome", std::string(OutcomeName(outcome))}};
  decision_seconds_->Add(labels, LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(took));
  decisions_->Add(labels).Increment();
}

void ServiceMetrics::CountError(std::string_view api, std::string_view reason) {
  errors_->Add({{"api", std::string(api)}, {"reason", std::string(reason)}})
      .Increment();
}

void ServiceMetrics::CountDroppedLogLines(uint64_t n) {
  log_dropped_->Increment(static_cast<double>(n));
}

void ServiceMetrics::ObserveBundleDownload(const std::string& bundle,
                                           std::string_view outcome,
                                           absl::Duration took, uint64_t bytes) {
  downloads_->Add({{"bundle", bundle}, {"outcome", std::string(outcome)}})
      .Increment();
  download_seconds_->Add({{"bundle", bundle}}, LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(took));
  if (bytes > 0) {
    download_bytes_->Add({{"bundle", bundle}}).Increment(static_cast<double>(bytes));
  }
}

void ServiceMetrics::CountUploadedLogEvents(uint64_t n) {
  log_events_->Add({{"outcome", "uploaded"}}).Increment(static_cast<double>(n));
}

void ServiceMetrics::CountDroppedLogEvents(uint64_t n) {
  log_events_->Add({{"outcome", "dropped"}}).Increment(static_cast<double>(n));
}

void ServiceMetrics::CountLogUploadFailure() { log_upload_failures_->Increment(); }

void ServiceMetrics::CountViolation(std::string_view constraint,
                                    std::string_view action) {
  violations_
      ->Add({{"constraint", std::string(constraint)}, {"action", std::string(action)}})
      .Increment();
}

void ServiceMetrics::ObserveReload(const bundles::ReloadEvent& event,
                                   const bundles::StoreStatus& status) {
  for (const bundles::BundleError& error : event.errors) {
    failures_->Add({{"bundle", error.bundle.empty() ? "_" : error.bundle}})
        .Increment();
  }
  if (!event.swapped || event.current == nullptr) return;
  activation_seconds_->Observe(absl::ToDoubleSeconds(event.took));
  absl::MutexLock lock(&mu_);
  std::map<std::string, std::shared_ptr<const bundles::Bundle>> active;
  for (prometheus::Gauge* series : revision_series_) revision_->Remove(series);
  revision_series_.clear();
  for (const auto& bundle : event.current->bundles()) {
    active[bundle->name] = bundle;
    auto it = active_.find(bundle->name);
    if (it == active_.end() || it->second != bundle) {
      activations_->Add({{"bundle", bundle->name}}).Increment();
    }
    prometheus::Gauge& series = revision_->Add(
        {{"bundle", bundle->name}, {"revision", bundle->manifest.revision}});
    series.Set(1);
    revision_series_.push_back(&series);
  }
  active_ = std::move(active);
}

void ServiceMetrics::AddCollector(std::function<void()> collect) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collect));
}

std::string ServiceMetrics::Render() {
  {
    absl::MutexLock lock(&mu_);
    for (const auto& collect : collectors_) collect();
  }
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace policyd
