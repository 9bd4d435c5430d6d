// OPA's management settings as `policyd serve --config` reads them: the
// services policyd talks to, the bundles it downloads from them, and where it
// uploads decision logs and status reports. The keys and their meaning are
// OPA's (https://www.openpolicyagent.org/docs/configuration), so that an
// existing OPA configuration file works unchanged.
#ifndef POLICYD_SERVICE_MANAGEMENT_MANAGEMENT_CONFIG_H_
#define POLICYD_SERVICE_MANAGEMENT_MANAGEMENT_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bundles/signature.h"
#include "service/transport/http_client.h"

namespace policyd {

// One entry of `bundles:` (a map from bundle name to its settings).
struct RemoteBundleConfig {
  std::string name;
  std::string service;   // a key of `services`
  std::string resource;  // default "bundles/<name>"
  absl::Duration min_delay = absl::Seconds(60);
  absl::Duration max_delay = absl::Seconds(120);
  bool persist = false;
  // From `signing` and the top-level `keys`: with a key, the bundle must be
  // signed by it.
  bundles::SignatureOptions signatures;
};

struct DecisionLogsConfig {
  bool enabled = false;
  std::string service;  // "" with console only
  std::string resource = "/logs";
  absl::Duration min_delay = absl::Seconds(300);
  absl::Duration max_delay = absl::Seconds(600);
  // One upload's gzip-compressed body stays under this.
  int64_t upload_size_limit_bytes = 32768;
  // Events waiting for upload hold at most this many bytes (OPA leaves it
  // unlimited; policyd never does); the oldest are dropped beyond it.
  int64_t buffer_size_limit_bytes = int64_t{64} << 20;
  // The rule that masks events before upload, as OPA's mask policy.
  std::string mask_decision = "/system/log/mask";
  bool console = false;
};

struct StatusConfig {
  bool enabled = false;
  std::string service;
  bool console = false;
};

struct ManagementConfig {
  std::map<std::string, HttpClientOptions> services;
  std::vector<RemoteBundleConfig> bundles;
  DecisionLogsConfig decision_logs;
  StatusConfig status;
  std::string persistence_directory = ".opa";
  std::map<std::string, std::string> labels;

  bool empty() const {
    return bundles.empty() && !decision_logs.enabled && !status.enabled;
  }
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_MANAGEMENT_MANAGEMENT_CONFIG_H_
