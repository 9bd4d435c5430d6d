#include "service/management/management.h"

#include <utility>

#include "absl/synchronization/mutex.h"

namespace policyd {

// Passes reload and download notices to the status reporter while it
// exists (store listeners cannot be removed, and outlive the reporter).
struct Management::Notifier {
  absl::Mutex mu;
  StatusReporter* reporter ABSL_GUARDED_BY(mu) = nullptr;
  void Notify() {
    absl::MutexLock lock(&mu);
    if (reporter != nullptr) reporter->Notify();
  }
};

absl::StatusOr<std::unique_ptr<Management>> Management::Start(
    const ManagementConfig& config, bundles::Store* store,
    const bundles::LoadOptions& defaults, ServiceMetrics* metrics,
    DecisionLogSink* local_log) {
  std::unique_ptr<Management> m(new Management());
  m->notifier_ = std::make_shared<Notifier>();
  for (const auto& [name, options] : config.services) {
    absl::StatusOr<std::unique_ptr<HttpClient>> client = HttpClient::Create(options);
    if (!client.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("services.", name, ": ", client.status().message()));
    }
    m->clients_[name] = *std::move(client);
  }
  auto client_of = [&m](const std::string& service) -> const HttpClient* {
    auto it = m->clients_.find(service);
    return it == m->clients_.end() ? nullptr : it->second.get();
  };

  std::vector<std::string> expected;
  for (RemoteBundleConfig bundle : config.bundles) {
    expected.push_back(bundle.name);
    if (bundle.signatures.keys.empty()) {
      std::string scope = bundle.signatures.scope;
      bundle.signatures = defaults.signatures;
      if (!scope.empty()) bundle.signatures.scope = scope;
    }
    m->downloaders_.push_back(std::make_unique<BundleDownloader>(
        store, client_of(bundle.service), std::move(bundle),
        config.persistence_directory, defaults.limits, metrics));
  }
  store->Expect(expected);

  m->log_sink_ = local_log;
  if (config.decision_logs.enabled) {
    DecisionLogSink* also = local_log;
    if (config.decision_logs.console && also == nullptr) {
      DecisionLogOptions options;
      absl::StatusOr<std::unique_ptr<DecisionLog>> console = DecisionLog::Open(options);
      if (!console.ok()) return console.status();
      m->console_log_ = *std::move(console);
      also = m->console_log_.get();
    }
    m->uploader_ = std::make_unique<DecisionLogUploader>(
        client_of(config.decision_logs.service), config.decision_logs, config.labels,
        store, metrics, also);
    m->log_sink_ = m->uploader_.get();
  }

  if (config.status.enabled) {
    std::vector<const BundleDownloader*> downloaders;
    for (const auto& d : m->downloaders_) downloaders.push_back(d.get());
    m->status_ = std::make_unique<StatusReporter>(client_of(config.status.service),
                                                  config.status.console, config.labels,
                                                  store, std::move(downloaders));
    absl::MutexLock lock(&m->notifier_->mu);
    m->notifier_->reporter = m->status_.get();
  }
  std::shared_ptr<Notifier> notifier = m->notifier_;
  store->AddListener([notifier](const bundles::ReloadEvent&) { notifier->Notify(); });

  for (const auto& d : m->downloaders_) {
    d->Start([notifier] { notifier->Notify(); });
  }
  if (m->uploader_ != nullptr) m->uploader_->Start();
  if (m->status_ != nullptr) m->status_->Start();
  return m;
}

Management::~Management() {
  {
    absl::MutexLock lock(&notifier_->mu);
    notifier_->reporter = nullptr;
  }
  downloaders_.clear();
  uploader_.reset();  // flushes once
  status_.reset();
}

}  // namespace policyd
