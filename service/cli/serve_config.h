// The settings of `policyd serve`, from a YAML config file (--config) and
// flags. Every setting has both forms: the flag `--grpc-addr` is the key
// `grpc_addr`; flags win over the file. Unknown or invalid settings are
// errors that name the setting.
#ifndef POLICYD_SERVICE_CLI_SERVE_CONFIG_H_
#define POLICYD_SERVICE_CLI_SERVE_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bundles/signature.h"
#include "service/management_config.h"
#include "service/transport/listen_address.h"
#include "service/transport/tls_files.h"

namespace policyd {

struct ServeConfig {
  std::string bundles;  // required unless bundles are downloaded
  // Each may repeat (a TCP address and a Unix socket, say).
  std::vector<ListenAddress> grpc_addr;  // default :9191
  std::vector<ListenAddress> http_addr;  // default :8181
  unsigned unix_socket_mode = 0660;
  std::string envoy_decision = "envoy/authz/allow";
  bool envoy_dry_run = false;
  std::string default_decision = "system/main";  // POST /
  int workers = 0;          // 0: one per core
  int queue_size = 1024;    // decisions waiting for a free slot
  int64_t max_steps = 0;    // per decision; 0: no limit
  bool strict_builtin_errors = false;
  absl::Duration shutdown_grace = absl::Seconds(10);
  // Deadline of a REST decision (HTTP requests carry none of their own).
  absl::Duration decision_timeout = absl::Seconds(5);
  TlsFiles tls;             // for both listeners
  std::string decision_log;  // "" off, "stdout", or a file
  std::vector<std::string> decision_log_mask;
  int decision_log_buffer = 10000;
  bool watch = true;
  absl::Duration watch_poll_interval = absl::Seconds(2);
  // Bundle signature verification: keys by id (read from files at start-up),
  // whether unsigned bundles are refused, the required `scope` claim.
  bundles::SignatureOptions bundle_signatures;
  // OPA's management keys of the config file: bundles downloaded from
  // services, decision log and status upload.
  ManagementConfig management;
  // Kubernetes objects (YAML/JSON files) for data.inventory of admission
  // templates; "" for none.
  std::string inventory;
  // OPA's --authentication (off or token) and --authorization (off or
  // basic) of the REST API.
  std::string authentication = "off";
  std::string authorization = "off";
};

// Parses `policyd serve` arguments (a --config file first, then the other
// flags over it). `help` is set for -h/--help.
absl::StatusOr<ServeConfig> ParseServeArgs(const std::vector<std::string>& args,
                                           bool* help);

// The flags and keys, for --help.
std::string ServeUsage();

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_SERVE_CONFIG_H_
