#include "service/cli/opa_config.h"

#include <functional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace policyd {
namespace {

using FieldReader = std::function<absl::Status(const YAML::Node&, const std::string&)>;

absl::Status Unsupported(const std::string& where) {
  return absl::InvalidArgumentError(absl::StrCat(
      "unsupported key ", where,
      " (policyd reads OPA's services, bundles, decision_logs, status, "
      "persistence_directory, labels and keys; see README \"Running a fleet\")"));
}

// Calls the reader of each key of the mapping `node` (at `where`); a key
// without one is unsupported.
absl::Status ReadFields(const YAML::Node& node, const std::string& where,
                        const std::map<std::string, FieldReader>& fields) {
  if (node.IsNull()) return absl::OkStatus();
  if (!node.IsMap()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": expected a mapping"));
  }
  for (const auto& entry : node) {
    std::string key = entry.first.Scalar();
    std::string path = absl::StrCat(where, ".", key);
    auto it = fields.find(key);
    if (it == fields.end()) return Unsupported(path);
    POLICYD_RETURN_IF_ERROR(it->second(entry.second, path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Scalar(const YAML::Node& node, const std::string& where) {
  if (!node.IsScalar()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": expected a single value"));
  }
  return node.Scalar();
}

FieldReader String(std::string* out) {
  return [out](const YAML::Node& node, const std::string& where) -> absl::Status {
    POLICYD_ASSIGN_OR_RETURN(*out, Scalar(node, where));
    return absl::OkStatus();
  };
}

FieldReader Bool(bool* out) {
  return [out](const YAML::Node& node, const std::string& where) -> absl::Status {
    POLICYD_ASSIGN_OR_RETURN(std::string v, Scalar(node, where));
    if (v == "true") {
      *out = true;
    } else if (v == "false") {
      *out = false;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": expected true or false, not \"", v, "\""));
    }
    return absl::OkStatus();
  };
}

FieldReader Int(int64_t* out, int64_t min) {
  return [out, min](const YAML::Node& node, const std::string& where) -> absl::Status {
    POLICYD_ASSIGN_OR_RETURN(std::string v, Scalar(node, where));
    if (!absl::SimpleAtoi(v, out) || *out < min) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": expected an integer >= ", min, ", not \"", v, "\""));
    }
    return absl::OkStatus();
  };
}

FieldReader Seconds(absl::Duration* out, int64_t min) {
  return [out, min](const YAML::Node& node, const std::string& where) -> absl::Status {
    int64_t n = 0;
    POLICYD_RETURN_IF_ERROR(Int(&n, min)(node, where));
    *out = absl::Seconds(n);
    return absl::OkStatus();
  };
}

// `services`, `bundles` and `keys` are mappings from name to settings;
// OPA also takes `services` as a list of settings with a `name`.
absl::Status ForEachNamed(const YAML::Node& node, const std::string& where,
                          const std::function<absl::Status(const std::string&,
                                                           const YAML::Node&)>& read) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      POLICYD_RETURN_IF_ERROR(read(entry.first.Scalar(), entry.second));
    }
    return absl::OkStatus();
  }
  if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node& item = node[i];
      if (!item.IsMap() || !item["name"] || !item["name"].IsScalar()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, "[", i, "]: expected a mapping with a name"));
      }
      YAML::Node rest = YAML::Clone(item);
      rest.remove("name");
      POLICYD_RETURN_IF_ERROR(read(item["name"].Scalar(), rest));
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(where, ": expected a mapping"));
}

absl::Status CheckDelays(absl::Duration min, absl::Duration max, const std::string& where) {
  if (min > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": min_delay_seconds (", absl::FormatDuration(min),
        ") exceeds max_delay_seconds (", absl::FormatDuration(max), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

bool OpaConfigReader::Handles(absl::string_view key, const YAML::Node& value) {
  if (key == "bundles") return !value.IsScalar();
  return key == "services" || key == "decision_logs" || key == "status" ||
         key == "persistence_directory" || key == "labels" || key == "keys";
}

absl::Status OpaConfigReader::ReadService(const std::string& name,
                                          const YAML::Node& node) {
  std::string where = absl::StrCat("services.", name);
  HttpClientOptions& s = config_.services[name];
  int64_t timeout = 10;
  POLICYD_RETURN_IF_ERROR(ReadFields(
      node, where,
      {{"url", String(&s.url)},
       {"headers",
        [&s](const YAML::Node& n, const std::string& at) -> absl::Status {
          if (!n.IsMap()) return absl::InvalidArgumentError(absl::StrCat(at, ": expected a mapping"));
          for (const auto& h : n) {
            POLICYD_ASSIGN_OR_RETURN(std::string v,
                                     Scalar(h.second, absl::StrCat(at, ".", h.first.Scalar())));
            s.headers.emplace_back(h.first.Scalar(), v);
          }
          return absl::OkStatus();
        }},
       {"response_header_timeout_seconds", Int(&timeout, 1)},
       {"allow_insecure_tls", Bool(&s.allow_insecure_tls)},
       {"tls",
        [&s](const YAML::Node& n, const std::string& at) {
          return ReadFields(n, at, {{"ca_cert", String(&s.ca_cert_file)}});
        }},
       {"credentials",
        [&s](const YAML::Node& n, const std::string& at) {
          return ReadFields(
              n, at,
              {{"bearer",
                [&s](const YAML::Node& b, const std::string& bat) {
                  return ReadFields(b, bat,
                                    {{"token", String(&s.bearer_token)},
                                     {"token_path", String(&s.bearer_token_path)},
                                     {"scheme", String(&s.bearer_scheme)}});
                }},
               {"client_tls", [&s](const YAML::Node& c, const std::string& cat) {
                  return ReadFields(c, cat,
                                    {{"cert", String(&s.client_cert_file)},
                                     {"private_key", String(&s.client_key_file)},
                                     {"ca_cert", String(&s.ca_cert_file)}});
                }}});
        }}}));
  s.response_header_timeout = absl::Seconds(timeout);
  if (s.url.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".url: missing"));
  }
  if (absl::StatusOr<std::unique_ptr<HttpClient>> client = HttpClient::Create(s);
      !client.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", client.status().message()));
  }
  return absl::OkStatus();
}

absl::Status OpaConfigReader::ReadBundle(const std::string& name,
                                         const YAML::Node& node) {
  std::string where = absl::StrCat("bundles.", name);
  RemoteBundleConfig b;
  b.name = name;
  b.resource = absl::StrCat("bundles/", name);
  std::string keyid;
  POLICYD_RETURN_IF_ERROR(ReadFields(
      node, where,
      {{"service", String(&b.service)},
       {"resource", String(&b.resource)},
       {"persist", Bool(&b.persist)},
       {"polling",
        [&b](const YAML::Node& n, const std::string& at) {
          return ReadFields(n, at,
                            {{"min_delay_seconds", Seconds(&b.min_delay, 1)},
                             {"max_delay_seconds", Seconds(&b.max_delay, 1)}});
        }},
       {"signing", [&b, &keyid](const YAML::Node& n, const std::string& at) {
          return ReadFields(n, at,
                            {{"keyid", String(&keyid)},
                             {"scope", String(&b.signatures.scope)}});
        }}}));
  if (b.service.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".service: missing"));
  }
  POLICYD_RETURN_IF_ERROR(CheckDelays(b.min_delay, b.max_delay, where + ".polling"));
  if (!keyid.empty()) bundle_keyids_[name] = keyid;
  config_.bundles.push_back(std::move(b));
  return absl::OkStatus();
}

absl::Status OpaConfigReader::Apply(const std::string& key, const YAML::Node& value) {
  if (key == "services") {
    return ForEachNamed(value, key, [this](const std::string& n, const YAML::Node& v) {
      return ReadService(n, v);
    });
  }
  if (key == "bundles") {
    return ForEachNamed(value, key, [this](const std::string& n, const YAML::Node& v) {
      return ReadBundle(n, v);
    });
  }
  if (key == "keys") {
    return ForEachNamed(value, key, [this](const std::string& n, const YAML::Node& v) {
      bundles::VerificationKey& k = keys_[n];
      std::string scope;
      return ReadFields(v, absl::StrCat("keys.", n),
                        {{"algorithm", String(&k.algorithm)},
                         {"key", String(&k.key)},
                         {"scope", String(&scope)}});
    });
  }
  if (key == "labels") {  // free-form: every key is a label
    if (!value.IsMap()) return absl::InvalidArgumentError("labels: expected a mapping");
    for (const auto& label : value) {
      POLICYD_ASSIGN_OR_RETURN(
          config_.labels[label.first.Scalar()],
          Scalar(label.second, absl::StrCat("labels.", label.first.Scalar())));
    }
    return absl::OkStatus();
  }
  if (key == "persistence_directory") {
    POLICYD_ASSIGN_OR_RETURN(config_.persistence_directory, Scalar(value, key));
    return absl::OkStatus();
  }
  if (key == "decision_logs") {
    DecisionLogsConfig& d = config_.decision_logs;
    d.enabled = true;
    POLICYD_RETURN_IF_ERROR(ReadFields(
        value, key,
        {{"service", String(&d.service)},
         {"resource", String(&d.resource)},
         {"mask_decision", String(&d.mask_decision)},
         {"console", Bool(&d.console)},
         {"reporting", [&d](const YAML::Node& n, const std::string& at) {
            return ReadFields(
                n, at,
                {{"min_delay_seconds", Seconds(&d.min_delay, 1)},
                 {"max_delay_seconds", Seconds(&d.max_delay, 1)},
                 {"upload_size_limit_bytes", Int(&d.upload_size_limit_bytes, 1024)},
                 {"buffer_size_limit_bytes", Int(&d.buffer_size_limit_bytes, 1024)}});
          }}}));
    return CheckDelays(d.min_delay, d.max_delay, "decision_logs.reporting");
  }
  if (key == "status") {
    StatusConfig& s = config_.status;
    s.enabled = true;
    return ReadFields(value, key,
                      {{"service", String(&s.service)}, {"console", Bool(&s.console)}});
  }
  return Unsupported(key);
}

absl::StatusOr<ManagementConfig> OpaConfigReader::Finish() && {
  auto known_service = [this](const std::string& service, const std::string& where) {
    if (config_.services.count(service)) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": no service named \"", service, "\" under services"));
  };
  for (RemoteBundleConfig& b : config_.bundles) {
    POLICYD_RETURN_IF_ERROR(known_service(b.service, absl::StrCat("bundles.", b.name, ".service")));
    auto keyid = bundle_keyids_.find(b.name);
    if (keyid == bundle_keyids_.end()) continue;
    auto key = keys_.find(keyid->second);
    if (key == keys_.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bundles.", b.name, ".signing.keyid: no key named \"", keyid->second,
          "\" under keys"));
    }
    b.signatures.keys[key->first] = key->second;
    b.signatures.required = true;
  }
  const DecisionLogsConfig& d = config_.decision_logs;
  if (d.enabled && d.service.empty() && !d.console) {
    return absl::InvalidArgumentError(
        "decision_logs: needs a service or console: true");
  }
  if (d.enabled && !d.service.empty()) {
    POLICYD_RETURN_IF_ERROR(known_service(d.service, "decision_logs.service"));
  }
  const StatusConfig& s = config_.status;
  if (s.enabled && s.service.empty() && !s.console) {
    return absl::InvalidArgumentError("status: needs a service or console: true");
  }
  if (s.enabled && !s.service.empty()) {
    POLICYD_RETURN_IF_ERROR(known_service(s.service, "status.service"));
  }
  return std::move(config_);
}

}  // namespace policyd
