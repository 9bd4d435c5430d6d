#include "service/cli/serve_config.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "service/cli/opa_config.h"
#include "yaml-cpp/yaml.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace policyd {
namespace {

enum class Kind { kString, kBool, kInt, kDuration, kAddress, kList, kMode };

struct Setting {
  const char* key;  // the flag is --key with '_' as '-'
  Kind kind;
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

#define STRING_SETTING(name, help)                                   \
  Setting {                                                          \
    #name, Kind::kString, help,                                      \
        [](ServeConfig* c, const std::string& v, bool) {             \
          c->name = v;                                               \
          return absl::OkStatus();                                   \
        }                                                            \
  }

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> settings = {
      STRING_SETTING(bundles, "the bundles directory (required)"),
      {"grpc_addr", Kind::kAddress,
       "gRPC listener, host:port or unix:///path; may repeat (default :9191)",
       [](ServeConfig* c, const std::string& v, bool first) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(ListenAddress a, ParseListenAddress(v));
         if (first) c->grpc_addr.clear();
         c->grpc_addr.push_back(a);
         return absl::OkStatus();
       }},
      {"http_addr", Kind::kAddress,
       "HTTP listener, host:port or unix:///path; may repeat (default :8181)",
       [](ServeConfig* c, const std::string& v, bool first) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(ListenAddress a, ParseListenAddress(v));
         if (first) c->http_addr.clear();
         c->http_addr.push_back(a);
         return absl::OkStatus();
       }},
      {"unix_socket_mode", Kind::kMode, "file mode of Unix sockets (default 0660)",
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
      {"envoy_dry_run", Kind::kBool,
       "ext_authz allows every request, still deciding and logging",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(bool b, ParseBool("envoy_dry_run", v));
         c->envoy_dry_run = b;
         return absl::OkStatus();
       }},
      STRING_SETTING(default_decision,
                     "decision path of POST / (default system/main)"),
      {"workers", Kind::kInt,
       "decisions evaluated at once (default: one per core)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(int n, ParseInt<int>("workers", v, 0));
         c->workers = n;
         return absl::OkStatus();
       }},
      {"queue_size", Kind::kInt,
       "decisions that may wait for a free slot before callers get "
       "RESOURCE_EXHAUSTED / 429 (default 1024)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(int n, ParseInt<int>("queue_size", v, 1));
         c->queue_size = n;
         return absl::OkStatus();
       }},
      {"max_steps", Kind::kInt, "evaluation step budget per decision (0: none)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(int64_t n, ParseInt<int64_t>("max_steps", v, 0));
         c->max_steps = n;
         return absl::OkStatus();
       }},
      {"authentication", Kind::kString,
       "REST API caller identity: off (default) or token (the bearer token)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         if (v != "off" && v != "token") return Invalid("authentication", v, "expected off or token");
         c->authentication = v;
         return absl::OkStatus();
       }},
      {"authorization", Kind::kString,
       "REST API access: off (default) or basic (data.system.authz.allow decides each call)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         if (v != "off" && v != "basic") return Invalid("authorization", v, "expected off or basic");
         c->authorization = v;
         return absl::OkStatus();
       }},
      {"strict_builtin_errors", Kind::kBool, "builtin errors fail the decision",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(bool b, ParseBool("strict_builtin_errors", v));
         c->strict_builtin_errors = b;
         return absl::OkStatus();
       }},
      {"shutdown_grace", Kind::kDuration,
       "time in-flight decisions get on SIGTERM (default 10s)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(absl::Duration d, ParseDur("shutdown_grace", v));
         c->shutdown_grace = d;
         return absl::OkStatus();
       }},
      {"decision_timeout", Kind::kDuration,
       "deadline of a REST API decision (default 5s)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(absl::Duration d, ParseDur("decision_timeout", v));
         c->decision_timeout = d;
         return absl::OkStatus();
       }},
      {"tls_cert_file", Kind::kString, "PEM certificate chain: serve TLS",
       [](ServeConfig* c, const std::string& v, bool) {
         c->tls.cert_file = v;
         return absl::OkStatus();
       }},
      {"tls_key_file", Kind::kString, "PEM private key of the certificate",
       [](ServeConfig* c, const std::string& v, bool) {
         c->tls.key_file = v;
         return absl::OkStatus();
       }},
      {"tls_client_ca_file", Kind::kString,
       "PEM CA bundle: require client certificates (mutual TLS)",
       [](ServeConfig* c, const std::string& v, bool) {
         c->tls.client_ca_file = v;
         return absl::OkStatus();
       }},
      STRING_SETTING(inventory,
                     "directory of Kubernetes objects (YAML/JSON) for "
                     "data.inventory of admission templates"),
      STRING_SETTING(decision_log,
                     "decision log: stdout or a file (default: off)"),
      {"decision_log_mask", Kind::kList,
       "input path to erase from the log, e.g. /input/password; may repeat",
       [](ServeConfig* c, const std::string& v, bool first) {
         if (first) c->decision_log_mask.clear();
         c->decision_log_mask.push_back(v);
         return absl::OkStatus();
       }},
      {"decision_log_buffer", Kind::kInt,
       "log lines buffered before lines are dropped (default 10000)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(int n, ParseInt<int>("decision_log_buffer", v, 1));
         c->decision_log_buffer = n;
         return absl::OkStatus();
       }},
      {"bundle_verification_key", Kind::kList,
       "bundle signing key as ID=ALG:FILE (ALG: RS256, ES256, HS256, ...; FILE: PEM "
       "public key, or the HMAC secret); may repeat. With a key, signed bundles are verified",
       [](ServeConfig* c, const std::string& v, bool first) -> absl::Status {
         size_t eq = v.find('=');
         size_t colon = v.find(':', eq == std::string::npos ? 0 : eq);
         if (eq == std::string::npos || eq == 0 || colon == std::string::npos) {
           return Invalid("bundle_verification_key", v, "expected ID=ALG:FILE");
         }
         std::string alg = v.substr(eq + 1, colon - eq - 1);
         static const std::set<std::string> kAlgorithms = {
             "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512"};
         if (!kAlgorithms.count(alg)) {
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
      {"bundle_signatures_required", Kind::kBool,
       "refuse bundles without .signatures.json (default false)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(bool b, ParseBool("bundle_signatures_required", v));
         c->bundle_signatures.required = b;
         return absl::OkStatus();
       }},
      {"bundle_signature_scope", Kind::kString,
       "the scope claim signed bundles must carry (default: any)",
       [](ServeConfig* c, const std::string& v, bool) {
         c->bundle_signatures.scope = v;
         return absl::OkStatus();
       }},
      {"watch", Kind::kBool, "reload when the bundles directory changes (default true)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(bool b, ParseBool("watch", v));
         c->watch = b;
         return absl::OkStatus();
       }},
      {"watch_poll_interval", Kind::kDuration,
       "how often the directory is polled besides inotify (default 2s)",
       [](ServeConfig* c, const std::string& v, bool) -> absl::Status {
         POLICYD_ASSIGN_OR_RETURN(absl::Duration d, ParseDur("watch_poll_interval", v));
         c->watch_poll_interval = d;
         return absl::OkStatus();
       }},
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
    std::string key = entry.first.as<std::string>();
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
        (setting->kind == Kind::kList || setting->kind == Kind::kAddress)) {
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
      return absl::InvalidArgumentError(absl::StrCat(
          "config ", path, ": ", key, " must be a single value"));
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
      if (setting != nullptr && setting->kind == Kind::kBool) {
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
