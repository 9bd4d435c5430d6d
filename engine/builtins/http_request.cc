#include "engine/builtins/http_request.h"

#include <string_view>
#include <utility>
#include <vector>

#include "engine/builtins/args.h"

namespace policyd {
namespace {

// Every key http.send accepts in a request object.
constexpr std::string_view kRequestKeys[] = {
    "method",
    "url",
    "body",
    "enable_redirect",
    "force_json_decode",
    "force_yaml_decode",
    "headers",
    "raw_body",
    "tls_use_system_certs",
    "tls_ca_cert",
    "tls_ca_cert_file",
    "tls_ca_cert_env_variable",
    "tls_client_cert",
    "tls_client_cert_file",
    "tls_client_cert_env_variable",
    "tls_client_key",
    "tls_client_key_file",
    "tls_client_key_env_variable",
    "tls_insecure_skip_verify",
    "tls_server_name",
    "timeout",
    "cache",
    "force_cache",
    "force_cache_duration_seconds",
    "raise_error",
    "caching_mode",
    "max_retry_attempts",
    "cache_ignored_headers",
};

bool KnownKey(const Value& key) {
  if (!key.is_string()) return false;
  for (std::string_view k : kRequestKeys) {
    if (key.string() == k) return true;
  }
  return false;
}

absl::Status KeysError(std::string_view name, int pos, std::string_view what,
                       std::vector<Value> keys) {
  return absl::InvalidArgumentError(Concat(name, ": operand ", pos, " ", what,
                                           " request parameters(s): ",
                                           Value::Set(std::move(keys)).ToRego()));
}

}  // namespace

absl::Status CheckHttpRequestKeys(std::string_view name, int pos, const Value& request) {
  std::vector<Value> unknown;
  for (const auto& entry : request.entries()) {
    if (!KnownKey(entry.first)) unknown.push_back(entry.first);
  }
  if (!unknown.empty()) return KeysError(name, pos, "invalid", std::move(unknown));
  std::vector<Value> missing;
  for (std::string_view key : {std::string_view("method"), std::string_view("url")}) {
    if (request.Find(key) == nullptr) missing.push_back(Value::String(key));
  }
  if (!missing.empty()) return KeysError(name, pos, "missing required", std::move(missing));
  return absl::OkStatus();
}

}  // namespace policyd
