#include "service/envoy/ext_authz.h"

#include <map>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "engine/value/json.h"
#include "service/api/proto_value.h"
#include "service/envoy/proto_wire.h"
#include "util/percent.h"
#include "util/status_macros.h"

namespace policyd {
namespace {

namespace auth = envoy::service::auth::v3;
namespace core = envoy::config::core::v3;

// Debian's abseil has its own string_view.
absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

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
  // Proto3's JSON form leaves empty strings out.
  void AddString(const char* key, std::string_view s) {
    if (!s.empty()) Add(key, Value::String(s));
  }
  Value Build() { return Value::Object(std::move(entries_)); }

 private:
  std::vector<ObjectEntry> entries_;
};

// Decodes a CheckRequest's wire bytes straight into the input document
// (protobuf's JSON form of the message, as OPA's plugin sees it). Fields
// follow protobuf's rules: a repeated scalar or string keeps its last
// value, a map its last value per key; unknown fields are skipped. Any
// malformed bytes make the whole request malformed.
class CheckRequestDecoder {
 public:
  // The fields the parsed_* members of the input are made from.
  struct HttpFields {
    std::string_view path, body, raw_body, content_type, content_length;
  };

  bool ok() const { return ok_; }
  const HttpFields& http() const { return http_; }

  Value Attributes(std::string_view bytes) {
    std::string_view source, destination, request, metadata, route_metadata, tls;
    bool has_source = false, has_destination = false, has_request = false;
    bool has_metadata = false, has_route_metadata = false, has_tls = false;
    std::vector<ObjectEntry> extensions;
    WireReader r(bytes);
    while (r.Next()) {
      switch (r.field()) {
        case 1: source = r.bytes(), has_source = true; break;
        case 2: destination = r.bytes(), has_destination = true; break;
        case 4: request = r.bytes(), has_request = true; break;
        case 10: AddMapEntry(r.bytes(), &extensions); break;
        case 11: metadata = r.bytes(), has_metadata = true; break;
        case 12: tls = r.bytes(), has_tls = true; break;
        case 13: route_metadata = r.bytes(), has_route_metadata = true; break;
      }
    }
    Check(r);
    ObjectBuilder out(7);
    if (!extensions.empty()) out.Add("contextExtensions", Value::Object(std::move(extensions)));
    if (has_destination) out.Add("destination", Peer(destination));
    if (has_metadata) out.Add("metadataContext", Metadata(metadata));
    if (has_request) out.Add("request", Request(request));
    if (has_route_metadata) out.Add("routeMetadataContext", Metadata(route_metadata));
    if (has_source) out.Add("source", Peer(source));
    if (has_tls) {
      std::string_view sni;
      WireReader t(tls);
      while (t.Next()) {
        if (t.field() == 1) sni = t.bytes();
      }
      Check(t);
      ObjectBuilder session(1);
      session.AddString("sni", sni);
      out.Add("tlsSession", session.Build());
    }
    return out.Build();
  }

 private:
  void Check(const WireReader& r) { ok_ = ok_ && r.ok(); }

  // Fields 1 and 2 of a message whose both are strings, as views of the
  // wire bytes.
  std::pair<std::string_view, std::string_view> StringFields12(std::string_view bytes) {
    std::string_view first, second;
    WireReader r(bytes);
    while (r.Next()) {
      if (r.field() == 1) first = r.bytes();
      if (r.field() == 2) second = r.bytes();
    }
    Check(r);
    return {first, second};
  }

  // A map<string, string> entry (key = 1, value = 2), added to `out`;
  // returns its key and value.
  std::pair<std::string_view, std::string_view> AddMapEntry(std::string_view bytes,
                                                            std::vector<ObjectEntry>* out) {
    auto [key, value] = StringFields12(bytes);
    out->emplace_back(Value::String(key), Value::String(value));
    return {key, value};
  }

  Value Peer(std::string_view bytes) {
    std::string_view address, service, principal, certificate;
    bool has_address = false;
    std::vector<ObjectEntry> labels;
    WireReader r(bytes);
    while (r.Next()) {
      switch (r.field()) {
        case 1: address = r.bytes(), has_address = true; break;
        case 2: service = r.bytes(); break;
        case 3: AddMapEntry(r.bytes(), &labels); break;
        case 4: principal = r.bytes(); break;
        case 5: certificate = r.bytes(); break;
      }
    }
    Check(r);
    ObjectBuilder out(5);
    if (has_address) out.Add("address", Address(address));
    out.AddString("certificate", certificate);
    if (!labels.empty()) out.Add("labels", Value::Object(std::move(labels)));
    out.AddString("principal", principal);
    out.AddString("service", service);
    return out.Build();
  }

  // config.core.v3.Address: a oneof of socket_address (1), pipe (2) and
  // envoy_internal_address (3); the last one set wins.
  Value Address(std::string_view bytes) {
    uint32_t which = 0;
    std::string_view chosen;
    WireReader r(bytes);
    while (r.Next()) {
      if (r.field() >= 1 && r.field() <= 3) which = r.field(), chosen = r.bytes();
    }
    Check(r);
    ObjectBuilder out(1);
    if (which == 1) out.Add("socketAddress", SocketAddress(chosen));
    if (which == 2) {
      uint64_t mode = 0;
      std::string_view path;
      WireReader p(chosen);
      while (p.Next()) {
        if (p.field() == 1) path = p.bytes();
        if (p.field() == 2) mode = p.varint();
      }
      Check(p);
      ObjectBuilder pipe(2);
      if (static_cast<uint32_t>(mode) != 0) pipe.Add("mode", Value::Int(static_cast<uint32_t>(mode)));
      pipe.AddString("path", path);
      out.Add("pipe", pipe.Build());
    }
    if (which == 3) {
      auto [listener, endpoint] = StringFields12(chosen);
      ObjectBuilder internal(2);
      internal.AddString("endpointId", endpoint);
      internal.AddString("serverListenerName", listener);
      out.Add("envoyInternalAddress", internal.Build());
    }
    return out.Build();
  }

  Value SocketAddress(std::string_view bytes) {
    std::string_view address, named_port, resolver;
    uint64_t protocol = 0, port_value = 0, ipv4_compat = 0;
    uint32_t port_field = 0;  // the port oneof: 3 (value) or 4 (name)
    WireReader r(bytes);
    while (r.Next()) {
      switch (r.field()) {
        case 1: protocol = r.varint(); break;
        case 2: address = r.bytes(); break;
        case 3: port_value = r.varint(), port_field = 3; break;
        case 4: named_port = r.bytes(), port_field = 4; break;
        case 5: resolver = r.bytes(); break;
        case 6: ipv4_compat = r.varint(); break;
      }
    }
    Check(r);
    ObjectBuilder out(6);
    out.AddString("address", address);
    if (ipv4_compat != 0) out.Add("ipv4Compat", Value::Bool(true));
    if (port_field == 4) out.Add("namedPort", Value::String(named_port));
    if (port_field == 3) out.Add("portValue", Value::Int(static_cast<uint32_t>(port_value)));
    if (static_cast<int32_t>(protocol) == core::SocketAddress::UDP) {
      out.Add("protocol", Value::String("UDP"));
    }
    out.AddString("resolverName", resolver);
    return out.Build();
  }

  // config.core.v3.Metadata holds google.protobuf.Structs: rare in requests,
  // so protobuf's own parser decodes it.
  Value Metadata(std::string_view bytes) {
    core::Metadata metadata;
    if (!metadata.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      ok_ = false;
      return Value();
    }
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

  Value Request(std::string_view bytes) {
    std::string_view time, http;
    bool has_time = false, has_http = false;
    WireReader r(bytes);
    while (r.Next()) {
      if (r.field() == 1) time = r.bytes(), has_time = true;
      if (r.field() == 2) http = r.bytes(), has_http = true;
    }
    Check(r);
    ObjectBuilder out(2);
    if (has_http) out.Add("http", HttpRequest(http));
    if (has_time) out.Add("time", Timestamp(time));
    return out.Build();
  }

  // google.protobuf.Timestamp in RFC 3339, as protobuf's JSON writes it:
  // 0, 3, 6 or 9 fractional digits.
  Value Timestamp(std::string_view bytes) {
    int64_t seconds = 0;
    int32_t nanos = 0;
    WireReader r(bytes);
    while (r.Next()) {
      if (r.field() == 1) seconds = static_cast<int64_t>(r.varint());
      if (r.field() == 2) nanos = static_cast<int32_t>(r.varint());
    }
    Check(r);
    std::string text = absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(seconds),
                                        absl::UTCTimeZone());
    if (nanos > 0 && nanos < 1000000000) {
      std::string digits = absl::StrFormat("%09d", nanos);
      while (digits.size() > 3 && digits.compare(digits.size() - 3, 3, "000") == 0) {
        digits.resize(digits.size() - 3);
      }
      absl::StrAppend(&text, ".", digits);
    }
    return Value::String(text + "Z");
  }

  Value HttpRequest(std::string_view bytes) {
    std::string_view id, method, host, scheme, query, fragment, protocol;
    std::string_view header_map;
    bool has_header_map = false;
    int64_t size = 0;
    std::vector<ObjectEntry> headers;
    WireReader r(bytes);
    while (r.Next()) {
      switch (r.field()) {
        case 1: id = r.bytes(); break;
        case 2: method = r.bytes(); break;
        case 3: {
          // The last value of a repeated header name is the map's.
          auto [name, value] = AddMapEntry(r.bytes(), &headers);
          if (name == "content-type") http_.content_type = value;
          if (name == "content-length") http_.content_length = value;
          break;
        }
        case 4: http_.path = r.bytes(); break;
        case 5: host = r.bytes(); break;
        case 6: scheme = r.bytes(); break;
        case 7: query = r.bytes(); break;
        case 8: fragment = r.bytes(); break;
        case 9: size = static_cast<int64_t>(r.varint()); break;
        case 10: protocol = r.bytes(); break;
        case 11: http_.body = r.bytes(); break;
        case 12: http_.raw_body = r.bytes(); break;
        case 13: header_map = r.bytes(), has_header_map = true; break;
      }
    }
    Check(r);
    ObjectBuilder out(13);
    out.AddString("body", http_.body);
    out.AddString("fragment", fragment);
    if (has_header_map) out.Add("headerMap", HeaderMap(header_map));
    if (!headers.empty()) out.Add("headers", Value::Object(std::move(headers)));
    out.AddString("host", host);
    out.AddString("id", id);
    out.AddString("method", method);
    out.AddString("path", http_.path);
    out.AddString("protocol", protocol);
    out.AddString("query", query);
    if (!http_.raw_body.empty()) {
      out.Add("rawBody", Value::String(absl::Base64Escape(AbslView(http_.raw_body))));
    }
    out.AddString("scheme", scheme);
    // protobuf's JSON writes int64 as a string.
    if (size != 0) out.Add("size", Value::String(absl::StrCat(size)));
    return out.Build();
  }

  Value HeaderMap(std::string_view bytes) {
    std::vector<Value> headers;
    WireReader r(bytes);
    while (r.Next()) {
      if (r.field() != 1) continue;
      std::string_view key, value, raw_value;
      WireReader h(r.bytes());
      while (h.Next()) {
        if (h.field() == 1) key = h.bytes();
        if (h.field() == 2) value = h.bytes();
        if (h.field() == 3) raw_value = h.bytes();
      }
      Check(h);
      ObjectBuilder header(3);
      header.AddString("key", key);
      if (!raw_value.empty()) header.Add("rawValue", Value::String(absl::Base64Escape(AbslView(raw_value))));
      header.AddString("value", value);
      headers.push_back(header.Build());
    }
    Check(r);
    ObjectBuilder out(1);
    if (!headers.empty()) out.Add("headers", Value::Array(std::move(headers)));
    return out.Build();
  }

  bool ok_ = true;
  HttpFields http_;
};


// {name: [values]} in order of appearance, as Go's url.ParseQuery.
Value ParseQuery(absl::string_view query) {
  std::map<std::string, std::vector<Value>> params;
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    if (pair.empty() || absl::StrContains(pair, ';')) continue;
    std::string_view text(pair.data(), pair.size());
    size_t eq = text.find('=');
    std::string key = PercentDecode(text.substr(0, eq), PercentMode::kQuery);
    std::string value = eq == std::string_view::npos
                            ? ""
                            : PercentDecode(text.substr(eq + 1), PercentMode::kQuery);
    params[key].push_back(Value::String(std::move(value)));
  }
  std::vector<ObjectEntry> entries;
  for (auto& [key, values] : params) {
    entries.emplace_back(Value::String(key), Value::Array(std::move(values)));
  }
  return Value::ObjectFromSorted(std::move(entries));
}

}  // namespace

absl::StatusOr<Value> CheckRequestToInput(std::string_view wire) {
  CheckRequestDecoder decoder;
  std::string_view attributes_bytes;
  WireReader r(wire);
  while (r.Next()) {
    if (r.field() == 1) attributes_bytes = r.bytes();
  }
  Value attributes = decoder.Attributes(attributes_bytes);
  if (!r.ok() || !decoder.ok()) {
    return absl::InvalidArgumentError("malformed CheckRequest (protobuf wire format)");
  }
  const CheckRequestDecoder::HttpFields& http = decoder.http();

  absl::string_view full_path = AbslView(http.path);
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
    parsed_path.push_back(Value::String(
        PercentDecode(std::string_view(part.data(), part.size()), PercentMode::kPath)));
  }

  std::string_view body = http.raw_body.empty() ? http.body : http.raw_body;
  bool truncated = false;
  if (!http.content_length.empty()) {
    int64_t n = 0;
    if (absl::SimpleAtoi(AbslView(http.content_length), &n) &&
        n > static_cast<int64_t>(body.size())) {
      truncated = true;
    }
  }
  Value parsed_body;
  if (!body.empty() && !truncated) {
    if (absl::StrContains(AbslView(http.content_type), "application/json")) {
      absl::StatusOr<Value> json = ParseJson(body);
      if (!json.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "request body is not valid JSON: ", json.status().message()));
      }
      parsed_body = *std::move(json);
    } else if (absl::StrContains(AbslView(http.content_type),
                                 "application/x-www-form-urlencoded")) {
      parsed_body = ParseQuery(AbslView(body));
    }
  }

  ObjectBuilder input(6);
  input.Add("attributes", std::move(attributes));
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

absl::StatusOr<Value> CheckRequestToInput(const auth::CheckRequest& request) {
  return CheckRequestToInput(request.SerializeAsString());
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
    // Named apart from the structured binding: clang before 16 cannot
    // capture a binding in a lambda.
    const std::string_view name = key.string();
    auto add = [&](const Value& v) -> absl::Status {
      if (!v.is_string()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "decision field \"", field,
            "\": header values must be strings or arrays of strings"));
      }
      core::HeaderValueOption* option = out->Add();
      option->mutable_header()->set_key(std::string(name));
      option->mutable_header()->set_value(std::string(v.string()));
      return absl::OkStatus();
    };
    if (value.is_array()) {
      for (const Value& v : value.elements()) {
        POLICYD_RETURN_IF_ERROR(add(v));
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
