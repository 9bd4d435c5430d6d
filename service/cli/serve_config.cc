#include "service/cli/serve_config.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "engine/builtins/jose/jws.h"
#include "service/cli/opa_config.h"
#include "yaml-cpp/yaml.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace policyd {
namespace {

enum class SettingKind { kString, kBool, kInt, kDuration, kAddress, kList, kMode };

struct Setting {
  const char* key;  // the flag is --key with '_' as '-'
  SettingKind kind;
  const char* help;
  // Sets the value from its text; `first` is true for the first time the
  // setting is given in its source (lists restart then).
  std::function<absl::Status(ServeConfig*, const std::string&, bool first)> set;
};

absl::Status Invalid(const char* key, const std::string& value,
                     std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid ", key, " \"", value, "\": ", std::string(why)));
}

absl::StatusOr<bool> ParseBool(const char* key, const std::string& v) {
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return Invalid(key, v, "expected true or false");
}

template <typename T>
absl::StatusOr<T> ParseInt(const char* key, const std::string& v, T min) {
  T n;
  if (!absl::SimpleAtoi(v, &n) || n < min) {
    return Invalid(key, v, absl::StrCat("expected an integer >= ", min));
  }
  return n;
}

absl::StatusOr<absl::Duration> ParseDur(const char* key, const std::string& v) {
  absl::Duration d;
  if (!absl::ParseDuration(v, &d) || d < absl::ZeroDuration()) {
    return Invalid(key, v, "expected a duration such as 10s or 500ms");
  }
  return d;
}

#define INT_SETTING(name, type, min, help)                               \
  Setting {                                                             \
    #name, SettingKind::kInt, help,                                     \
        [](ServeConfig* c, const std::string& v, bool) -> absl::Status { \
          POLICYD_ASSIGN_OR_RETURN(type n, ParseInt<type>(#name, v, min)); \
          c->name = n;                                                  \
          return absl::OkStatus();                                      \
        }                                                               \
  }

#define DURATION_SETTING(name, help)                                    \
  Setting {                                                             \
    #name, SettingKind::kDuration, help,                                \
        [](ServeConfig* c, const std::string& v, bool) -> absl::Status { \
          POLICYD_ASSIGN_OR_RETURN(absl::Duration d, ParseDur(#name, v)); \
          c->name = d;                                                  \
          return absl::OkStatus();                                      \
        }                                                               \
  }

#define STRING_SETTING(name, help)                                   \
  Setting {                                                          \
    #name, SettingKind::kString, help,                                      \
        [](ServeConfig* c, const std::string& v, bool) {             \
          c->name = v;                                               \
          return absl::OkStatus();                                   \
        }                                                            \
  }

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> settings = {
      STRING_SETTING(bundles, "the bundles directory (required)"),
      {"grpc_addr", SettingKind::kAddress,
       "gRPC listener, host:port or unix:///path; may repeat (default :9191)",
       [](ServeConfig* c, const std::string& v, bool first) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(ListenAddress a, ParseListenAddress(v));
         if (first) c->grpc_addr.clear();
         c->grpc_addr.push_back(a);
         return absl::OkStatus();
       }},
      {"http_addr", SettingKind::kAddress,
       "HTTP listener, host:port or unix:///path; may repeat (default :8181)",
       [](ServeConfig* c, const std::string& v, bool first) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(ListenAddress a, ParseListenAddress(v));
         if (first) c->http_addr.clear();
         c->http_addr.push_back(a);
         return absl::OkStatus();
       }},
      {"unix_socket_mode", SettingKind::kMode, "file mode of Unix sockets (default 0660)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         unsigned mode = 0;
         for (char ch : v) {
           if (ch < '0' || ch > '7') return Invalid("unix_socket_mode", v, "expected octal, e.g. 0660");
           mode = mode * 8 + (ch - '0');
         }
         if (v.empty() || mode > 0777) return Invalid("unix_socket_mode", v, "expected octal, e.g. 0660");
         c->unix_socket_mode = mode;
         return absl::OkStatus();
       }},
      STRING_SETTING(envoy_decision,
                     "decision path for ext_authz (default envoy/authz/allow)"),
      {"envoy_dry_run", SettingKind::kBool,
       "ext_authz allows every request, still deciding and logging",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(bool b, ParseBool("envoy_dry_run", v));
         c->envoy_dry_run = b;
         return absl::OkStatus();
       }},
      STRING_SETTING(default_decision,
                     "decision path of POST / (default system/main)"),
      INT_SETTING(workers, int, 0,
                  "decisions evaluated at once (default: one per core)"),
      INT_SETTING(queue_size, int, 1,
                  "decisions that may wait for a free slot before callers get "
                  "RESOURCE_EXHAUSTED / 429 (default 1024)"),
      INT_SETTING(max_steps, int64_t, 0,
                  "evaluation step budget per decision (default 10000000; 0: none)"),
      INT_SETTING(max_decision_memory, int64_t, 0,
                  "bytes builtins may allocate for one decision's values; beyond "
                  "it the decision fails with eval_limit_error (default "
                  "268435456; 0: none)"),
      {"authentication", SettingKind::kString,
       "REST API caller identity: off (default) or token (the bearer token)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         if (v != "off" && v != "token") return Invalid("authentication", v, "expected off or token");
         c->authentication = v;
         return absl::OkStatus();
       }},
      {"authorization", SettingKind::kString,
       "REST API access: off (default) or basic (data.system.authz.allow decides each call)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         if (v != "off" && v != "basic") return Invalid("authorization", v, "expected off or basic");
         c->authorization = v;
         return absl::OkStatus();
       }},
      {"strict_builtin_errors", SettingKind::kBool, "builtin errors fail the decision",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(bool b, ParseBool("strict_builtin_errors", v));
         c->strict_builtin_errors = b;
         return absl::OkStatus();
       }},
      DURATION_SETTING(shutdown_grace,
                       "time in-flight decisions get on SIGTERM (default 10s)"),
      DURATION_SETTING(decision_timeout,
                       "deadline of a decision whose caller set none: REST, gRPC "
                       "calls without a deadline (default 5s)"),
      {"tls_cert_file", SettingKind::kString, "PEM certificate chain: serve TLS",
       [](ServeConfig* c, const std::string& v, bool) {
         c->tls.cert_file = v;
         return absl::OkStatus();
       }},
      {"tls_key_file", SettingKind::kString, "PEM private key of the certificate",
       [](ServeConfig* c, const std::string& v, bool) {
         c->tls.key_file = v;
         return absl::OkStatus();
       }},
      {"tls_client_ca_file", SettingKind::kString,
       "PEM CA bundle: require client certificates (mutual TLS)",
       [](ServeConfig* c, const std::string& v, bool) {
         c->tls.client_ca_file = v;
         return absl::OkStatus();
       }},
      STRING_SETTING(inventory,
                     "directory of Kubernetes objects (YAML/JSON) for "
                     "data.inventory of admission templates"),
      INT_SETTING(http_max_connections, int, 1,
                  "HTTP connections per listener; beyond it idle ones are "
                  "closed first, then new ones get 503 (default 1024)"),
      INT_SETTING(http_max_header_bytes, int64_t, 1024,
                  "bytes of an HTTP request's line and headers (default 65536)"),
      INT_SETTING(http_max_body_bytes, int64_t, 0,
                  "bytes of an HTTP request body, also after gzip "
                  "decompression (default 67108864)"),
      DURATION_SETTING(http_request_timeout,
                       "time to read a whole HTTP request (default 30s)"),
      DURATION_SETTING(http_idle_timeout,
                       "an idle keep-alive HTTP connection is closed after "
                       "(default 60s)"),
      DURATION_SETTING(http_send_timeout,
                       "time to write one HTTP answer (default 30s)"),
      STRING_SETTING(decision_log,
                     "decision log: stdout or a file (default: off)"),
      {"decision_log_mask", SettingKind::kList,
       "input path to erase from the log, e.g. /input/password; may repeat",
       [](ServeConfig* c, const std::string& v, bool first) {
         if (first) c->decision_log_mask.clear();
         c->decision_log_mask.push_back(v);
         return absl::OkStatus();
       }},
      INT_SETTING(decision_log_buffer, int, 1,
                  "log lines buffered before lines are dropped (default 10000)"),
      {"bundle_verification_key", SettingKind::kList,
       "bundle signing key as ID=ALG:FILE (ALG: RS/PS/ES/HS 256/384/512 or EdDSA; FILE: PEM "
       "public key, or the HMAC secret); may repeat. With a key, signed bundles are verified",
       [](ServeConfig* c, const std::string& v, bool first) -> absl::Status {
         size_t eq = v.find('=');
         size_t colon = v.find(':', eq == std::string::npos ? 0 : eq);
         if (eq == std::string::npos || eq == 0 || colon == std::string::npos) {
           return Invalid("bundle_verification_key", v, "expected ID=ALG:FILE");
         }
         std::string alg = v.substr(eq + 1, colon - eq - 1);
         if (FindJwsAlgorithm(alg) == nullptr) {
           return Invalid("bundle_verification_key", v, "unknown algorithm " + alg);
         }
         absl::StatusOr<std::string> key = ReadFile(v.substr(colon + 1));
         if (!key.ok()) {
           return Invalid("bundle_verification_key", v, "cannot read " + v.substr(colon + 1));
         }
         if (first) c->bundle_signatures.keys.clear();
         c->bundle_signatures.keys[v.substr(0, eq)] = {alg, *std::move(key)};
         return absl::OkStatus();
       }},
      {"bundle_signatures_required", SettingKind::kBool,
       "refuse bundles without .signatures.json (default: true when a "
       "verification key is given)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(bool b, ParseBool("bundle_signatures_required", v));
         c->bundle_signatures.required = b;
         c->bundle_signatures_required_given = true;
         return absl::OkStatus();
       }},
      {"bundle_signature_scope", SettingKind::kString,
       "the scope claim signed bundles must carry (default: any)",
       [](ServeConfig* c, const std::string& v, bool) {
         c->bundle_signatures.scope = v;
         return absl::OkStatus();
       }},
      {"watch", SettingKind::kBool, "reload when the bundles directory changes (default true)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(bool b, ParseBool("watch", v));
         c->watch = b;
         return absl::OkStatus();
       }},
      DURATION_SETTING(watch_poll_interval,
                       "how often the directory is polled besides inotify (default 2s)"),
      {"watch_quiet_period", SettingKind::kDuration,
       "a changed bundle loads once two scans this far apart agree "
       "(default 2s, at least 1s)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(absl::Duration d, ParseDur("watch_quiet_period", v));
         if (d < absl::Seconds(1)) {
           return Invalid("watch_quiet_period", v, "must be at least 1s");
         }
         c->watch_quiet_period = d;
         return absl::OkStatus();
       }},
      {"allow_empty", SettingKind::kBool,
       "an emptied bundles directory (or a bundle without files) activates "
       "no policy instead of keeping the last good one (default false)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(bool b, ParseBool("allow_empty", v));
         c->allow_empty = b;
         return absl::OkStatus();
       }},
      INT_SETTING(max_request_bytes_in_flight, uint64_t, 0,
                  "request bytes read or answered at once over all listeners; "
                  "beyond it 429 / RESOURCE_EXHAUSTED (default 134217728; 0: no cap)"),
  };
  return settings;
}

const Setting* FindSetting(std::string_view key) {
  for (const Setting& s : Settings()) {
    if (key == s.key) return &s;
  }
  return nullptr;
}

absl::Status ApplyFile(const std::string& path, ServeConfig* config) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", path, ": ", e.what()));
  }
  if (root.IsNull()) return absl::OkStatus();
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", path, ": expected a mapping of settings"));
  }
  OpaConfigReader opa;
  for (const auto& entry : root) {
    if (!entry.first.IsScalar()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config ", path, ": a setting's name must be a string"));
    }
    std::string key = entry.first.Scalar();
    if (OpaConfigReader::Handles(key, entry.second)) {
      if (absl::Status s = opa.Apply(key, entry.second); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("config ", path, ": ", s.message()));
      }
      continue;
    }
    const Setting* setting = FindSetting(key);
    if (setting == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("config ", path, ": unknown setting \"", key, "\""));
    }
    const YAML::Node& value = entry.second;
    std::vector<std::string> values;
    if (value.IsSequence() &&
        (setting->kind == SettingKind::kList || setting->kind == SettingKind::kAddress)) {
      for (const auto& item : value) {
        if (!item.IsScalar()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "config ", path, ": ", key, " must be a list of strings"));
        }
        values.push_back(item.Scalar());
      }
    } else if (value.IsScalar()) {
      values.push_back(value.Scalar());
    } else {
      const char* shape = value.IsMap()        ? "a mapping"
                          : value.IsSequence() ? "a list"
                                               : "empty";
      return absl::InvalidArgumentError(absl::StrCat(
          "config ", path, ": ", key, " must be a single value, not ", shape));
    }
    bool first = true;
    for (const std::string& v : values) {
      if (absl::Status s = setting->set(config, v, first); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("config ", path, ": ", s.message()));
      }
      first = false;
    }
  }
  absl::StatusOr<ManagementConfig> management = std::move(opa).Finish();
  if (!management.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", path, ": ", management.status().message()));
  }
  config->management = *std::move(management);
  return absl::OkStatus();
}

}  // namespace

std::string ServeUsage() {
  std::string out =
      "Usage: policyd serve --bundles DIR [--grpc-addr ADDR] [--http-addr ADDR]\n"
      "                     [--envoy-decision PATH] [--config policyd.yaml] ...\n"
      "\n"
      "Serves decisions over the bundles in DIR: the Decision API, Envoy\n"
      "ext_authz, gRPC health and reflection on the gRPC listener; OPA's REST\n"
      "API, /health and /metrics on the HTTP listener. SIGHUP reloads the\n"
      "bundles; SIGTERM drains and exits.\n"
      "\n"
      "Every flag has a config file twin (--grpc-addr is grpc_addr):\n";
  for (const Setting& s : Settings()) {
    std::string flag = absl::StrCat("--", absl::StrReplaceAll(s.key, {{"_", "-"}}));
    absl::StrAppend(&out, "  ", flag,
                    std::string(flag.size() < 24 ? 24 - flag.size() : 1, ' '),
                    s.help, "\n");
  }
  out += "  --config FILE           YAML file of settings (flags win)\n";
  return out;
}

absl::StatusOr<ServeConfig> ParseServeArgs(const std::vector<std::string>& args,
                                           bool* help) {
  *help = false;
  ServeConfig config;
  // Flags as (key, value) pairs, after the config file is applied.
  std::vector<std::pair<const Setting*, std::string>> flags;
  std::string config_file;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      *help = true;
      return config;
    }
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", arg, "\""));
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    std::string key = absl::StrReplaceAll(name, {{"-", "_"}});
    const Setting* setting = key == "config" ? nullptr : FindSetting(key);
    if (key != "config" && setting == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name, " (see --help)"));
    }
    if (!value.has_value()) {
      if (setting != nullptr && setting->kind == SettingKind::kBool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("flag --", name, " needs a value"));
      }
    }
    if (key == "config") {
      config_file = *value;
    } else {
      flags.emplace_back(setting, *value);
    }
  }
  if (!config_file.empty()) {
    POLICYD_RETURN_IF_ERROR(ApplyFile(config_file, &config));
  }
  std::vector<const Setting*> seen;
  for (const auto& [setting, value] : flags) {
    bool first = std::find(seen.begin(), seen.end(), setting) == seen.end();
    if (first) seen.push_back(setting);
    POLICYD_RETURN_IF_ERROR(setting->set(&config, value, first));
  }
  // A verification key means bundles must be signed, unless the operator
  // says otherwise explicitly: deleting .signatures.json must not turn
  // verification off.
  if (!config.bundle_signatures_required_given) {
    config.bundle_signatures.required = !config.bundle_signatures.keys.empty();
  }
  if (config.bundles.empty() && config.management.bundles.empty()) {
    return absl::InvalidArgumentError(
        "missing --bundles DIR (or `bundles:` in the config file: a directory, "
        "or OPA's bundles to download)");
  }
  if (config.grpc_addr.empty()) config.grpc_addr.push_back(*ParseListenAddress(":9191"));
  if (config.http_addr.empty()) config.http_addr.push_back(*ParseListenAddress(":8181"));
  if (config.tls.enabled() != !config.tls.key_file.empty()) {
    return absl::InvalidArgumentError(
        "tls_cert_file and tls_key_file go together");
  }
  if (!config.tls.client_ca_file.empty() && !config.tls.enabled()) {
    return absl::InvalidArgumentError(
        "tls_client_ca_file needs tls_cert_file and tls_key_file");
  }
  return config;
}

}  // namespace policyd
