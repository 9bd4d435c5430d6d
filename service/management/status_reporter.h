// Reports status to a service (OPA's status service API): POST {url}/status
// with OPA's status payload: labels (instance id, version and the configured
// labels) and, per bundle, its name, active revision, the times of the last
// request, successful request, download and activation, the HTTP code of the
// last response and the error of the last attempt. Sent when something
// changed (Notify) and at least every `period`; failures are retried with
// backoff. With `console`, each report is also written to stderr.
#ifndef POLICYD_SERVICE_MANAGEMENT_STATUS_REPORTER_H_
#define POLICYD_SERVICE_MANAGEMENT_STATUS_REPORTER_H_

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bundles/store.h"
#include "engine/value/value.h"
#include "service/management/background_loop.h"
#include "service/management/bundle_downloader.h"
#include "service/transport/http_client.h"

namespace policyd {

class StatusReporter {
 public:
  // `client` is null for console-only reporting. The downloaders and the
  // store must outlive the reporter.
  StatusReporter(const HttpClient* client, bool console,
                 std::map<std::string, std::string> labels,
                 const bundles::Store* store,
                 std::vector<const BundleDownloader*> downloaders,
                 absl::Duration period = absl::Seconds(60));
  ~StatusReporter();

  void Start();
  // Something changed: report soon.
  void Notify();

  // The payload as it stands now.
  Value Payload() const;

  // Sends the payload if it changed since the last report or the period is
  // over; returns the delay until the next check. Public for tests.
  absl::Duration Report();

 private:
  const HttpClient* const client_;
  const bool console_;
  const Value labels_;
  const bundles::Store* const store_;
  const std::vector<const BundleDownloader*> downloaders_;
  const absl::Duration period_;

  // Only the reporting thread.
  std::string last_sent_;
  absl::Time last_time_ = absl::InfinitePast();
  int failures_ = 0;
  std::unique_ptr<BackgroundLoop> loop_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_MANAGEMENT_STATUS_REPORTER_H_
