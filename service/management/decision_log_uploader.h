// Uploads decision log events to a service (OPA's decision log service
// API): each decision becomes an event in OPA's format (decision_id, path,
// input, result, requested_by, timestamp, metrics, bundles with revisions,
// labels, erased and masked paths) masked by the mask policy
// (`decision_logs.mask_decision`, data.system.log.mask by default), and
// events are POSTed to `{url}/logs` (or the configured resource) as
// gzip-compressed JSON arrays of at most upload_size_limit_bytes.
//
// Log() never waits for an upload: events wait in a buffer of at most
// buffer_size_limit_bytes, which drops its oldest events when full (counted
// in /metrics). An event leaves the buffer only when the service accepted
// the upload holding it (2xx), so a failed upload is retried with backoff
// and nothing is sent twice.
#ifndef POLICYD_SERVICE_MANAGEMENT_DECISION_LOG_UPLOADER_H_
#define POLICYD_SERVICE_MANAGEMENT_DECISION_LOG_UPLOADER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bundles/store.h"
#include "service/management/background_loop.h"
#include "service/decision_log.h"
#include "service/management/management_config.h"
#include "service/service_metrics.h"
#include "service/transport/http_client.h"

namespace policyd {

// The labels of every event and status report: `id` (a random instance id,
// the same for the life of the process), `version`, and the configured ones.
Value ManagementLabels(const std::map<std::string, std::string>& configured);

class DecisionLogUploader : public DecisionLogSink {
 public:
  // `labels` go into every event (with `id` and `version`). `also`, when
  // given, is logged to as well (the console or a local file).
  DecisionLogUploader(const HttpClient* client, DecisionLogsConfig config,
                      std::map<std::string, std::string> labels,
                      const bundles::Store* store, ServiceMetrics* metrics,
                      DecisionLogSink* also);
  // Stops the loop and tries once more to upload what is buffered.
  ~DecisionLogUploader() override;

  // Uploads on a thread of its own from now on.
  void Start();

  void Log(DecisionLogEntry entry) override;

  // Uploads every buffered event (several requests when they exceed the
  // upload size limit) until the buffer is empty or an upload fails;
  // returns the delay until the next round. Public for tests.
  absl::Duration Upload();

  // The JSON of `entry`'s event, masked.
  std::string Encode(const DecisionLogEntry& entry) const;

  uint64_t dropped() const;
  size_t buffered_bytes() const;

 private:
  struct Event {
    uint64_t seq;
    std::string json;
  };
  // Sends the events from the front of the buffer that fit in one upload;
  // false when the upload failed.
  bool UploadOne(bool* more);

  const HttpClient* const client_;
  const DecisionLogsConfig config_;
  const Value labels_;
  const bundles::Store* const store_;
  ServiceMetrics* const metrics_;
  DecisionLogSink* const also_;
  std::string mask_query_;  // "" when mask_decision is not a valid path

  mutable absl::Mutex mu_;
  std::deque<Event> buffer_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
  // Uploads in a row that failed; for the backoff.
  int failures_ = 0;  // only the uploading thread
  // Uncompressed bytes per compressed byte, as last seen, to size chunks.
  double ratio_ = 4;  // only the uploading thread
  std::unique_ptr<BackgroundLoop> loop_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_MANAGEMENT_DECISION_LOG_UPLOADER_H_
