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
#include "engine/engine.h"
#include "service/management/management_config.h"
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
  // Per decision; 0: no limit. The default stops a runaway rule after a
  // few seconds of evaluation at most (about 6 s on the CI machine, under
  // load), well before the decision timeout of a patient caller.
  int64_t max_steps = 10'000'000;
  // Bytes builtins may allocate for one decision (0: no limit); the engine's
  // default, 256 MiB.
  int64_t max_decision_memory = EvalOptions().max_memory_bytes;
  bool strict_builtin_errors = false;
  absl::Duration shutdown_grace = absl::Seconds(10);
  // Deadline of a decision whose caller set none: every REST decision, and
  // gRPC calls that arrive without a deadline.
  absl::Duration decision_timeout = absl::Seconds(5);
  // Request bodies being read or answered, over all listeners; beyond it
  // new requests get 429 / RESOURCE_EXHAUSTED. 0: no cap.
  size_t max_request_bytes_in_flight = size_t{128} << 20;
  TlsFiles tls;             // for both listeners
  // Limits of each HTTP listener (HttpServerOptions says what each bounds).
  int http_max_connections = 1024;
  int64_t http_max_header_bytes = 64 << 10;
  int64_t http_max_body_bytes = 64 << 20;
  absl::Duration http_request_timeout = absl::Seconds(30);
  absl::Duration http_idle_timeout = absl::Seconds(60);
  absl::Duration http_send_timeout = absl::Seconds(30);
  std::string decision_log;  // "" off, "stdout", or a file
  std::vector<std::string> decision_log_mask;
  int decision_log_buffer = 10000;
  bool watch = true;
  absl::Duration watch_poll_interval = absl::Seconds(2);
  // A changed bundles directory is loaded only once two scans this far
  // apart see the same files (a writer copying file by file is not caught
  // half way, unless it pauses longer than this).
  absl::Duration watch_quiet_period = absl::Seconds(2);
  // An empty bundles directory, or a bundle without files, activates an
  // empty policy set instead of keeping the last good one.
  bool allow_empty = false;
  // Bundle signature verification: keys by id (read from files at start-up),
  // whether unsigned bundles are refused (by default: whenever a key is
  // given), the required `scope` claim.
  bundles::SignatureOptions bundle_signatures;
  bool bundle_signatures_required_given = false;  // by flag or file
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
