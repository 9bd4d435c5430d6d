// Reads OPA's management keys of a `--config` file (services, bundles as a
// mapping, decision_logs, status, persistence_directory, labels, keys) into
// a ManagementConfig. Every key below them is checked: one policyd does not
// support is an error naming it (`unsupported key services.acme.foo`), never
// ignored.
#ifndef POLICYD_SERVICE_CLI_OPA_CONFIG_H_
#define POLICYD_SERVICE_CLI_OPA_CONFIG_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bundles/signature.h"
#include "service/management/management_config.h"
#include "yaml-cpp/yaml.h"

namespace policyd {

class OpaConfigReader {
 public:
  // True when the top-level `key` with `value` is one of OPA's management
  // keys (`bundles` only when it is a mapping: a scalar is policyd's
  // directory).
  static bool Handles(absl::string_view key, const YAML::Node& value);

  // Reads one top-level key.
  absl::Status Apply(const std::string& key, const YAML::Node& value);

  // Checks references (a bundle's service, a signing key id) and returns the
  // whole configuration.
  absl::StatusOr<ManagementConfig> Finish() &&;

 private:
  absl::Status ReadService(const std::string& name, const YAML::Node& node);
  absl::Status ReadBundle(const std::string& name, const YAML::Node& node);

  ManagementConfig config_;
  std::map<std::string, bundles::VerificationKey> keys_;
  // Bundle name -> the `signing.keyid` it names.
  std::map<std::string, std::string> bundle_keyids_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_OPA_CONFIG_H_
