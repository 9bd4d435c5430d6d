#include "service/envoy/ext_authz.h"

#include "engine/value/json.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

namespace auth = envoy::service::auth::v3;

Value Json(const char* text) { return *ParseJson(text); }

auth::CheckRequest Request(const std::string& method, const std::string& path) {
  auth::CheckRequest request;
  auto* http = request.mutable_attributes()->mutable_request()->mutable_http();
  http->set_method(method);
  http->set_path(path);
  (*http->mutable_headers())[":path"] = path;
  return request;
}

TEST(ExtAuthzTest, InputHasOpaEnvoyPluginShape) {
  auth::CheckRequest request = Request("GET", "/api/v1/a%20b?x=1&x=2&y=a+b&z");
  auto* src = request.mutable_attributes()->mutable_source();
  src->mutable_address()->mutable_socket_address()->set_address("10.0.0.7");
  src->mutable_address()->mutable_socket_address()->set_port_value(51234);
  src->set_principal("spiffe://a");
  request.mutable_attributes()->mutable_request()->mutable_http()->set_size(12);
  absl::StatusOr<Value> input = CheckRequestToInput(request);
  ASSERT_TRUE(input.ok()) << input.status();
  EXPECT_EQ(*input->Find("parsed_path"), Json(R"(["api", "v1", "a b"])"));
  EXPECT_EQ(*input->Find("parsed_query"),
            Json(R"({"x": ["1", "2"], "y": ["a b"], "z": [""]})"));
  EXPECT_EQ(*input->Find("parsed_body"), Value::Null());
  EXPECT_EQ(*input->Find("truncated_body"), Value::Bool(false));
  EXPECT_EQ(*input->Find("version"),
            Json(R"({"encoding": "protojson", "ext_authz": "v3"})"));
  const Value& attrs = *input->Find("attributes");
  EXPECT_EQ(*attrs.Find("source"),
            Json(R"({"address": {"socketAddress": {"address": "10.0.0.7",
                    "portValue": 51234}}, "principal": "spiffe://a"})"));
  const Value& http = *attrs.Find("request")->Find("http");
  EXPECT_EQ(*http.Find("method"), Value::String("GET"));
  EXPECT_EQ(*http.Find("size"), Value::String("12"));  // int64 as protojson
  EXPECT_EQ(http.Find("body"), nullptr);  // empty fields are left out
}

TEST(ExtAuthzTest, JsonAndFormBodies) {
  auth::CheckRequest json = Request("POST", "/");
  auto* http = json.mutable_attributes()->mutable_request()->mutable_http();
  (*http->mutable_headers())["content-type"] = "application/json; charset=utf-8";
  http->set_body(R"({"a": [1, 2]})");
  EXPECT_EQ(*CheckRequestToInput(json)->Find("parsed_body"),
            Json(R"({"a": [1, 2]})"));

  http->set_body("{broken");
  EXPECT_EQ(CheckRequestToInput(json).status().code(),
            absl::StatusCode::kInvalidArgument);

  // Envoy sent less than Content-Length: not parsed, flagged.
  http->set_body(R"({"a": 1})");
  (*http->mutable_headers())["content-length"] = "1000";
  absl::StatusOr<Value> truncated = CheckRequestToInput(json);
  EXPECT_EQ(*truncated->Find("truncated_body"), Value::Bool(true));
  EXPECT_EQ(*truncated->Find("parsed_body"), Value::Null());

  auth::CheckRequest form = Request("POST", "/");
  http = form.mutable_attributes()->mutable_request()->mutable_http();
  (*http->mutable_headers())["content-type"] = "application/x-www-form-urlencoded";
  http->set_raw_body("a=1&b=x%2By&a=2");
  absl::StatusOr<Value> parsed = CheckRequestToInput(form);
  EXPECT_EQ(*parsed->Find("parsed_body"),
            Json(R"({"a": ["1", "2"], "b": ["x+y"]})"));
  EXPECT_NE(parsed->Find("attributes")->Find("request")->Find("http")->Find("rawBody"),
            nullptr);
}

// The input's `attributes` is the CheckRequest's attributes in protobuf's
// JSON form: compared with protobuf's own printer over every field the
// decoder reads from the wire.
TEST(ExtAuthzTest, AttributesMatchProtobufJson) {
  auth::CheckRequest request = Request("POST", "/a/b?c=d");
  auth::AttributeContext* a = request.mutable_attributes();
  auto* src = a->mutable_source();
  auto* sock = src->mutable_address()->mutable_socket_address();
  sock->set_address("10.0.0.7");
  sock->set_port_value(0);  // set, so printed although 0
  sock->set_protocol(envoy::config::core::v3::SocketAddress::UDP);
  sock->set_resolver_name("r");
  sock->set_ipv4_compat(true);
  src->set_service("svc");
  (*src->mutable_labels())["app"] = "web";
  src->set_principal("spiffe://src");
  src->set_certificate("PEM");
  auto* dst = a->mutable_destination();
  dst->mutable_address()->mutable_socket_address()->set_named_port("http");
  a->mutable_source()->mutable_address();  // merged, still a socket address
  (*a->mutable_context_extensions())["zone"] = "eu";
  auto& filter = (*a->mutable_metadata_context()->mutable_filter_metadata())["f"];
  (*filter.mutable_fields())["n"].set_number_value(1.5);
  (*filter.mutable_fields())["s"].set_string_value("x");
  a->mutable_route_metadata_context();
  a->mutable_tls_session()->set_sni("example.com");
  auto* time = a->mutable_request()->mutable_time();
  time->set_seconds(1700000000);
  time->set_nanos(500000000);
  auto* http = a->mutable_request()->mutable_http();
  http->set_id("42");
  http->set_host("example.com");
  http->set_scheme("https");
  http->set_query("c=d");
  http->set_fragment("frag");
  http->set_size(-3);
  http->set_protocol("HTTP/2");
  http->set_body("hello");
  http->set_raw_body(std::string("\x00\xff", 2));
  auto* header = http->mutable_header_map()->add_headers();
  header->set_key("k");
  header->set_value("v");
  header->set_raw_value("raw");

  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*a, &json).ok());
  absl::StatusOr<Value> input = CheckRequestToInput(request);
  ASSERT_TRUE(input.ok()) << input.status();
  EXPECT_EQ(input->Find("attributes")->ToJson(), Json(json.c_str()).ToJson());

  // A pipe address and an internal address, the other members of the oneof.
  auth::CheckRequest other;
  auto* o = other.mutable_attributes();
  o->mutable_source()->mutable_address()->mutable_pipe()->set_path("/run/x.sock");
  o->mutable_source()->mutable_address()->mutable_pipe()->set_mode(0600);
  auto* internal = o->mutable_destination()->mutable_address()->mutable_envoy_internal_address();
  internal->set_server_listener_name("l");
  internal->set_endpoint_id("e");
  json.clear();
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*o, &json).ok());
  EXPECT_EQ(CheckRequestToInput(other)->Find("attributes")->ToJson(), Json(json.c_str()).ToJson());
}

TEST(ExtAuthzTest, MalformedWireBytesAreInvalidArgument) {
  auth::CheckRequest request = Request("GET", "/x");
  std::string wire = request.SerializeAsString();
  EXPECT_TRUE(CheckRequestToInput(wire).ok());
  for (size_t cut = 1; cut < wire.size(); ++cut) {
    absl::StatusOr<Value> input = CheckRequestToInput(std::string_view(wire).substr(0, cut));
    EXPECT_EQ(input.status().code(), absl::StatusCode::kInvalidArgument) << cut;
  }
  EXPECT_EQ(CheckRequestToInput(std::string("\x0a\xff\xff", 3)).status().code(),
            absl::StatusCode::kInvalidArgument);
  // No attributes at all is a valid (empty) request.
  EXPECT_TRUE(CheckRequestToInput(std::string_view()).ok());
}

TEST(ExtAuthzTest, BooleanDecisions) {
  auth::CheckResponse allow;
  EXPECT_EQ(CheckResponseFromDecision({Value::Bool(true), {}, "id1"}, false, &allow),
            Outcome::kAllow);
  EXPECT_EQ(allow.status().code(), 0);
  EXPECT_TRUE(allow.has_ok_response());
  EXPECT_EQ(allow.dynamic_metadata().fields().at("decision_id").string_value(), "id1");

  auth::CheckResponse deny;
  EXPECT_EQ(CheckResponseFromDecision({Value::Bool(false), {}, "id2"}, false, &deny),
            Outcome::kDeny);
  EXPECT_EQ(deny.status().code(), 7);
  EXPECT_TRUE(deny.has_denied_response());
}

TEST(ExtAuthzTest, ObjectDecisions) {
  auth::CheckResponse allow;
  Value ok = Json(R"({"allowed": true, "headers": {"x-a": "1", "x-b": ["2", "3"]},
      "response_headers_to_add": {"x-r": "r"},
      "request_headers_to_remove": ["cookie"],
      "query_parameters_to_set": {"q": "v"},
      "query_parameters_to_remove": ["debug"],
      "dynamic_metadata": {"k": "v"}})");
  EXPECT_EQ(CheckResponseFromDecision({ok, {}, "id"}, false, &allow), Outcome::kAllow);
  const auth::OkHttpResponse& r = allow.ok_response();
  ASSERT_EQ(r.headers_size(), 3);
  EXPECT_EQ(r.headers(1).header().key(), "x-b");
  EXPECT_EQ(r.headers(2).header().value(), "3");
  EXPECT_EQ(r.response_headers_to_add(0).header().key(), "x-r");
  EXPECT_EQ(r.headers_to_remove(0), "cookie");
  EXPECT_EQ(r.query_parameters_to_set(0).key(), "q");
  EXPECT_EQ(r.query_parameters_to_remove(0), "debug");
  EXPECT_EQ(allow.dynamic_metadata().fields().at("k").string_value(), "v");
  EXPECT_EQ(allow.dynamic_metadata().fields().at("decision_id").string_value(), "id");

  auth::CheckResponse deny;
  Value no = Json(R"({"allowed": false, "http_status": 401, "body": "nope",
                      "headers": {"www-authenticate": "Bearer"}})");
  EXPECT_EQ(CheckResponseFromDecision({no, {}, "id"}, false, &deny), Outcome::kDeny);
  EXPECT_EQ(deny.status().code(), 7);
  EXPECT_EQ(deny.denied_response().status().code(), 401);
  EXPECT_EQ(deny.denied_response().body(), "nope");
  EXPECT_EQ(deny.denied_response().headers(0).header().key(), "www-authenticate");
}

TEST(ExtAuthzTest, UndefinedErrorsAndMalformedDecisionsDeny) {
  auth::CheckResponse undefined;
  EXPECT_EQ(CheckResponseFromDecision({std::nullopt, {}, "id"}, false, &undefined),
            Outcome::kUndefined);
  EXPECT_EQ(undefined.status().code(), 7);

  auth::CheckResponse error;
  EXPECT_EQ(CheckResponseFromDecision({std::nullopt, absl::AbortedError("boom"), "id"},
                                      false, &error),
            Outcome::kError);
  EXPECT_EQ(error.status().code(), 7);
  EXPECT_EQ(error.status().message(), "boom");

  auth::CheckResponse malformed;
  EXPECT_EQ(CheckResponseFromDecision({Json(R"({"allowed": "yes"})"), {}, "id"},
                                      false, &malformed),
            Outcome::kError);
  EXPECT_EQ(malformed.status().code(), 7);
  auth::CheckResponse number;
  EXPECT_EQ(CheckResponseFromDecision({Value::Int(1), {}, "id"}, false, &number),
            Outcome::kError);
}

TEST(ExtAuthzTest, DryRunAllowsButKeepsTheOutcome) {
  auth::CheckResponse response;
  EXPECT_EQ(CheckResponseFromDecision({Value::Bool(false), {}, "id"}, true, &response),
            Outcome::kDeny);
  EXPECT_EQ(response.status().code(), 0);
  EXPECT_TRUE(response.has_ok_response());
}

}  // namespace
}  // namespace policyd
