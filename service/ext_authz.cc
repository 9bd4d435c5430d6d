#include "service/ext_authz.h"

#include <map>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "engine/value/json.h"
#include "service/proto_value.h"

namespace policyd {
namespace {

namespace auth = envoy::service::auth::v3;
namespace core = envoy::config::core::v3;

// Builds an object whose keys are added in sorted order (the callers below
// list them so), which Value::Object then takes without sorting.
class ObjectBuilder {
 public:
  // `fields`: the most keys the object can have, so that adding never
  // reallocates (growing the vector was a quarter of the conversion's cost)
  // and no more is allocated than needed.
  explicit ObjectBuilder(size_t fields) { entries_.reserve(fields); }

  void Add(const char* key, Value value) {
    entries_.emplace_back(Value::String(key), std::move(value));
  }
  void AddString(const char* key, const std::string& s) {
    if (!s.empty()) Add(key, Value::String(s));
  }
  bool empty() const { return entries_.empty(); }
  Value Build() { return Value::Object(std::move(entries_)); }

 private:
  std::vector<ObjectEntry> entries_;
};

Value StringMap(const google::protobuf::Map<std::string, std::string>& map) {
  std::vector<ObjectEntry> entries;
  entries.reserve(map.size());
  for (const auto& [k, v] : map) {
    entries.emplace_back(Value::String(k), Value::String(v));
  }
  return Value::Object(std::move(entries));
}

Value AddressValue(const core::Address& address) {
  ObjectBuilder out(1);
  if (address.has_socket_address()) {
    const core::SocketAddress& s = address.socket_address();
    ObjectBuilder sock(5);
    sock.AddString("address", s.address());
    if (s.ipv4_compat()) sock.Add("ipv4Compat", Value::Bool(true));
    if (s.port_specifier_case() == core::SocketAddress::kNamedPort) {
      sock.Add("namedPort", Value::String(s.named_port()));
    } else if (s.port_specifier_case() == core::SocketAddress::kPortValue) {
      sock.Add("portValue", Value::Int(s.port_value()));
    }
    if (s.protocol() == core::SocketAddress::UDP) {
      sock.Add("protocol", Value::String("UDP"));
    }
    sock.AddString("resolverName", s.resolver_name());
    out.Add("socketAddress", sock.Build());
  } else if (address.has_pipe()) {
    ObjectBuilder pipe(2);
    if (address.pipe().mode() != 0) {
      pipe.Add("mode", Value::Int(address.pipe().mode()));
    }
    pipe.AddString("path", address.pipe().path());
    out.Add("pipe", pipe.Build());
  } else if (address.has_envoy_internal_address()) {
    ObjectBuilder internal(2);
    internal.AddString("endpointId",
                       address.envoy_internal_address().endpoint_id());
    internal.AddString("serverListenerName",
                       address.envoy_internal_address().server_listener_name());
    out.Add("envoyInternalAddress", internal.Build());
  }
  return out.Build();
}

Value PeerValue(const auth::AttributeContext::Peer& peer) {
  ObjectBuilder out(5);
  if (peer.has_address()) out.Add("address", AddressValue(peer.address()));
  out.AddString("certificate", peer.certificate());
  if (!peer.labels().empty()) out.Add("labels", StringMap(peer.labels()));
  out.AddString("principal", peer.principal());
  out.AddString("service", peer.service());
  return out.Build();
}

Value MetadataValue(const core::Metadata& metadata) {
  ObjectBuilder out(1);
  if (!metadata.filter_metadata().empty()) {
    std::vector<ObjectEntry> entries;
    for (const auto& [name, fields] : metadata.filter_metadata()) {
      entries.emplace_back(Value::String(name), ValueFromProto(fields));
    }
    out.Add("filterMetadata", Value::Object(std::move(entries)));
  }
  return out.Build();
}

std::string Timestamp(const google::protobuf::Timestamp& t) {
  absl::Time time = absl::FromUnixSeconds(t.seconds()) +
                    absl::Nanoseconds(t.nanos());
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", time, absl::UTCTimeZone());
}

Value HttpValue(const auth::AttributeContext::HttpRequest& http) {
  ObjectBuilder out(13);
  out.AddString("body", http.body());
  out.AddString("fragment", http.fragment());
  if (http.has_header_map()) {
    std::vector<Value> headers;
    headers.reserve(http.header_map().headers_size());
    for (const core::HeaderValue& h : http.header_map().headers()) {
      ObjectBuilder header(3);
      header.AddString("key", h.key());
      if (!h.raw_value().empty()) {
        header.Add("rawValue", Value::String(absl::Base64Escape(h.raw_value())));
      }
      header.AddString("value", h.value());
      headers.push_back(header.Build());
    }
    ObjectBuilder map(1);
    if (!headers.empty()) map.Add("headers", Value::Array(std::move(headers)));
    out.Add("headerMap", map.Build());
  }
  if (!http.headers().empty()) out.Add("headers", StringMap(http.headers()));
  out.AddString("host", http.host());
  out.AddString("id", http.id());
  out.AddString("method", http.method());
  out.AddString("path", http.path());
  out.AddString("protocol", http.protocol());
  out.AddString("query", http.query());
  if (!http.raw_body().empty()) {
    out.Add("rawBody", Value::String(absl::Base64Escape(http.raw_body())));
  }
  out.AddString("scheme", http.scheme());
  // protobuf's JSON writes int64 as a string.
  if (http.size() != 0) out.Add("size", Value::String(absl::StrCat(http.size())));
  return out.Build();
}

Value AttributesValue(const auth::AttributeContext& a) {
  ObjectBuilder out(7);
  if (!a.context_extensions().empty()) {
    out.Add("contextExtensions", StringMap(a.context_extensions()));
  }
  if (a.has_destination()) out.Add("destination", PeerValue(a.destination()));
  if (a.has_metadata_context()) {
    out.Add("metadataContext", MetadataValue(a.metadata_context()));
  }
  if (a.has_request()) {
    ObjectBuilder request(2);
    if (a.request().has_http()) request.Add("http", HttpValue(a.request().http()));
    if (a.request().has_time()) {
      request.Add("time", Value::String(Timestamp(a.request().time())));
    }
    out.Add("request", request.Build());
  }
  if (a.has_route_metadata_context()) {
    out.Add("routeMetadataContext", MetadataValue(a.route_metadata_context()));
  }
  if (a.has_source()) out.Add("source", PeerValue(a.source()));
  if (a.has_tls_session()) {
    ObjectBuilder tls(1);
    tls.AddString("sni", a.tls_session().sni());
    out.Add("tlsSession", tls.Build());
  }
  return out.Build();
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX escapes decoded (and '+' as a space in queries); a malformed escape is
// kept as written.
std::string Unescape(absl::string_view s, bool query) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = HexDigit(s[i + 1]);
      int lo = HexDigit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (query && c == '+') ? ' ' : c;
  }
  return out;
}

// {name: [values]} in order of appearance, as Go's url.ParseQuery.
Value ParseQuery(absl::string_view query) {
  std::map<std::string, std::vector<Value>> params;
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    if (pair.empty() || absl::StrContains(pair, ';')) continue;
    size_t eq = pair.find('=');
    std::string key = Unescape(pair.substr(0, eq), true);
    std::string value =
        eq == absl::string_view::npos ? "" : Unescape(pair.substr(eq + 1), true);
    params[key].push_back(Value::String(std::move(value)));
  }
  std::vector<ObjectEntry> entries;
  for (auto& [key, values] : params) {
    entries.emplace_back(Value::String(key), Value::Array(std::move(values)));
  }
  return Value::ObjectFromSorted(std::move(entries));
}

const std::string* Header(const auth::AttributeContext::HttpRequest& http,
                          const std::string& name) {
  auto it = http.headers().find(name);
  return it == http.headers().end() ? nullptr : &it->second;
}

}  // namespace

absl::StatusOr<Value> CheckRequestToInput(const auth::CheckRequest& request) {
  const auth::AttributeContext::HttpRequest& http =
      request.attributes().request().http();
  absl::string_view full_path = http.path();
  size_t question = full_path.find('?');
  absl::string_view path = full_path.substr(0, question);
  absl::string_view query = question == absl::string_view::npos
                                ? absl::string_view()
                                : full_path.substr(question + 1);
  if (size_t hash = query.find('#'); hash != absl::string_view::npos) {
    query = query.substr(0, hash);
  }
  if (size_t hash = path.find('#'); hash != absl::string_view::npos) {
    path = path.substr(0, hash);
  }
  while (absl::StartsWith(path, "/")) path.remove_prefix(1);
  std::vector<Value> parsed_path;
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    parsed_path.push_back(Value::String(Unescape(part, false)));
  }

  const std::string& body = http.raw_body().empty() ? http.body() : http.raw_body();
  bool truncated = false;
  if (const std::string* length = Header(http, "content-length")) {
    int64_t n = 0;
    if (absl::SimpleAtoi(*length, &n) && n > static_cast<int64_t>(body.size())) {
      truncated = true;
    }
  }
  Value parsed_body;
  if (!body.empty() && !truncated) {
    const std::string* type = Header(http, "content-type");
    if (type != nullptr && absl::StrContains(*type, "application/json")) {
      absl::StatusOr<Value> json = ParseJson(body);
      if (!json.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "request body is not valid JSON: ", json.status().message()));
      }
      parsed_body = *std::move(json);
    } else if (type != nullptr &&
               absl::StrContains(*type, "application/x-www-form-urlencoded")) {
      parsed_body = ParseQuery(body);
    }
  }

  ObjectBuilder input(6);
  input.Add("attributes", AttributesValue(request.attributes()));
  input.Add("parsed_body", std::move(parsed_body));
  input.Add("parsed_path", Value::Array(std::move(parsed_path)));
  input.Add("parsed_query", ParseQuery(query));
  input.Add("truncated_body", Value::Bool(truncated));
  // Built once; copies share it.
  static const Value* const kVersion = new Value(
      Value::Object({{Value::String("encoding"), Value::String("protojson")},
                     {Value::String("ext_authz"), Value::String("v3")}}));
  input.Add("version", *kVersion);
  return input.Build();
}

namespace {

// `headers` as {name: value} or {name: [values]}.
absl::Status AddHeaders(
    const Value& headers, const char* field,
    google::protobuf::RepeatedPtrField<core::HeaderValueOption>* out) {
  if (!headers.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("decision field \"", field, "\" must be an object"));
  }
  for (const auto& [key, value] : headers.entries()) {
    if (!key.is_string()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "decision field \"", field, "\": header names must be strings"));
    }
    auto add = [&](const Value& v) -> absl::Status {
      if (!v.is_string()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "decision field \"", field,
            "\": header values must be strings or arrays of strings"));
      }
      core::HeaderValueOption* option = out->Add();
      option->mutable_header()->set_key(std::string(key.string()));
      option->mutable_header()->set_value(std::string(v.string()));
      return absl::OkStatus();
    };
    if (value.is_array()) {
      for (const Value& v : value.elements()) {
        if (absl::Status s = add(v); !s.ok()) return s;
      }
    } else if (absl::Status s = add(value); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status AddStrings(const Value& list, const char* field,
                        google::protobuf::RepeatedPtrField<std::string>* out) {
  if (!list.is_array() && !list.is_set()) {
    return absl::InvalidArgumentError(
        absl::StrCat("decision field \"", field, "\" must be an array"));
  }
  for (const Value& v : list.elements()) {
    if (!v.is_string()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "decision field \"", field, "\" must hold strings"));
    }
    out->Add(std::string(v.string()));
  }
  return absl::OkStatus();
}

absl::Status AddQueryParameters(
    const Value& params,
    google::protobuf::RepeatedPtrField<core::QueryParameter>* out) {
  google::protobuf::RepeatedPtrField<core::HeaderValueOption> as_headers;
  if (absl::Status s = AddHeaders(params, "query_parameters_to_set", &as_headers);
      !s.ok()) {
    return s;
  }
  for (const core::HeaderValueOption& h : as_headers) {
    core::QueryParameter* p = out->Add();
    p->set_key(h.header().key());
    p->set_value(h.header().value());
  }
  return absl::OkStatus();
}

// Reads the decision object into the response; the boolean verdict in
// `allowed`.
absl::Status ApplyObject(const Value& result, bool* allowed,
                         auth::CheckResponse* response) {
  const Value* allow = result.Find("allowed");
  if (allow == nullptr || !allow->is_bool()) {
    return absl::InvalidArgumentError(
        "the decision object needs a boolean \"allowed\"");
  }
  *allowed = allow->boolean();
  if (*allowed) {
    auth::OkHttpResponse* ok = response->mutable_ok_response();
    if (const Value* v = result.Find("headers")) {
      if (auto s = AddHeaders(*v, "headers", ok->mutable_headers()); !s.ok()) return s;
    }
    if (const Value* v = result.Find("response_headers_to_add")) {
      if (auto s = AddHeaders(*v, "response_headers_to_add",
                              ok->mutable_response_headers_to_add());
          !s.ok()) {
        return s;
      }
    }
    if (const Value* v = result.Find("request_headers_to_remove")) {
      if (auto s = AddStrings(*v, "request_headers_to_remove",
                              ok->mutable_headers_to_remove());
          !s.ok()) {
        return s;
      }
    }
    if (const Value* v = result.Find("query_parameters_to_set")) {
      if (auto s = AddQueryParameters(*v, ok->mutable_query_parameters_to_set());
          !s.ok()) {
        return s;
      }
    }
    if (const Value* v = result.Find("query_parameters_to_remove")) {
      if (auto s = AddStrings(*v, "query_parameters_to_remove",
                              ok->mutable_query_parameters_to_remove());
          !s.ok()) {
        return s;
      }
    }
  } else {
    auth::DeniedHttpResponse* denied = response->mutable_denied_response();
    if (const Value* v = result.Find("headers")) {
      if (auto s = AddHeaders(*v, "headers", denied->mutable_headers()); !s.ok()) {
        return s;
      }
    }
    if (const Value* v = result.Find("body")) {
      if (!v->is_string()) {
        return absl::InvalidArgumentError("decision field \"body\" must be a string");
      }
      denied->set_body(std::string(v->string()));
    }
  }
  if (const Value* v = result.Find("http_status")) {
    int64_t code = 0;
    if (!v->is_number() || !v->AsInt64(&code) || code < 100 || code > 599) {
      return absl::InvalidArgumentError(
          "decision field \"http_status\" must be an HTTP status code (100-599)");
    }
    if (!*allowed) {
      response->mutable_denied_response()->mutable_status()->set_code(
          static_cast<envoy::type::v3::StatusCode>(code));
    }
  }
  if (const Value* v = result.Find("dynamic_metadata")) {
    if (!v->is_object()) {
      return absl::InvalidArgumentError(
          "decision field \"dynamic_metadata\" must be an object");
    }
    ObjectToStruct(*v, response->mutable_dynamic_metadata());
  }
  return absl::OkStatus();
}

}  // namespace

Outcome CheckResponseFromDecision(const AuthzDecision& decision, bool dry_run,
                                  auth::CheckResponse* response) {
  Outcome outcome = Outcome::kError;
  bool allowed = false;
  std::string why;
  if (!decision.status.ok()) {
    why = std::string(decision.status.message());
  } else if (!decision.result.has_value()) {
    outcome = Outcome::kUndefined;
    why = "the decision is undefined";
  } else if (decision.result->is_bool()) {
    allowed = decision.result->boolean();
    outcome = allowed ? Outcome::kAllow : Outcome::kDeny;
  } else if (decision.result->is_object()) {
    absl::Status applied = ApplyObject(*decision.result, &allowed, response);
    if (applied.ok()) {
      outcome = allowed ? Outcome::kAllow : Outcome::kDeny;
    } else {
      allowed = false;
      why = std::string(applied.message());
      response->clear_http_response();
      response->clear_dynamic_metadata();
    }
  } else {
    why = "the decision must be a boolean or an object with \"allowed\"";
  }
  if (dry_run) allowed = true;
  (*response->mutable_dynamic_metadata()->mutable_fields())["decision_id"]
      .set_string_value(decision.decision_id);
  if (allowed) {
    if (!response->has_ok_response()) response->clear_http_response();
    response->mutable_ok_response();
    response->mutable_status()->set_code(0);  // OK
  } else {
    if (!response->has_denied_response()) {
      response->clear_http_response();
      response->mutable_denied_response();
    }
    response->mutable_status()->set_code(7);  // PERMISSION_DENIED
    response->mutable_status()->set_message(why);
  }
  return outcome;
}

}  // namespace policyd
