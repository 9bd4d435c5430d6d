// Starts the real `policyd serve` and talks to it as its clients do: gRPC
// stubs for the Decision API, ext_authz and health; HTTP for the REST API
// and /metrics.
#include <signal.h>

#include <atomic>
#include <map>
#include <regex>

#include "absl/strings/str_split.h"

#include "engine/value/json.h"
#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "policyd/v1/decision.grpc.pb.h"
#include "tests/integration/policyd_process.h"

namespace policyd {
namespace {

using ::policyd::testing::FreshDir;
using ::policyd::testing::Http;
using ::policyd::testing::PolicydProcess;
using ::policyd::testing::WriteBundle;
using ::testing::HasSubstr;
using ::testing::Not;
namespace auth = envoy::service::auth::v3;
namespace fs = std::filesystem;

constexpr char kAppPolicy[] = R"(package app

allow := input.user == "alice"

reason := "bob is not welcome" if input.user == "bob"

conflict := 1 if input.conflict
conflict := 2 if input.conflict

revision := "one"

# Takes a while: for the drain and queue tests.
slow := count([x | some x in numbers.range(1, input.n)])
)";

constexpr char kEnvoyPolicy[] = R"(package envoy.authz

http := input.attributes.request.http

allow := {"allowed": true, "headers": {"x-user": http.headers["x-user"]},
          "response_headers_to_add": {"x-served-by": "policyd"},
          "dynamic_metadata": {"team": "a"}} if input.parsed_path[0] == "ok"

allow := {"allowed": false, "http_status": 401, "body": "go away",
          "headers": {"x-why": "nope"}} if input.parsed_path[0] == "deny"

allow := true if input.parsed_path[0] == "bool"

allow := false if input.parsed_path[0] == "boolno"

allow := input.parsed_body.ok if {
  input.parsed_path[0] == "json"
  http.method == "POST"
}

allow := input.parsed_query.q[0] == "yes" if input.parsed_path[0] == "query"
)";

constexpr char kSystemPolicy[] = R"(package system

main := {"user": input.user}
)";

std::vector<std::pair<std::string, std::string>> Files(
    const std::string& app = kAppPolicy) {
  return {{"app/policy.rego", app},
          {"envoy/authz/policy.rego", kEnvoyPolicy},
          {"system/main.rego", kSystemPolicy}};
}

class ServeTest : public ::testing::Test {
 protected:
  void StartServer(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--bundles", dir_,
                                     "--watch-poll-interval", "200ms"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string log;
    server_ = PolicydProcess::Start(args, &log);
    ASSERT_NE(server_, nullptr) << log;
    channel_ = grpc::CreateChannel(server_->grpc_target(),
                                   grpc::InsecureChannelCredentials());
    decisions_ = v1::DecisionService::NewStub(channel_);
    authz_ = auth::Authorization::NewStub(channel_);
  }

  void SetUp() override {
    dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  grpc::Status Decide(const std::string& path, const std::string& input_json,
                      v1::DecideResponse* response) {
    v1::DecideRequest request;
    request.set_path(path);
    if (!input_json.empty()) request.mutable_input()->set_json(input_json);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(20));
    return decisions_->Decide(&context, request, response);
  }

  auth::CheckResponse Check(const std::string& method, const std::string& path,
                            std::map<std::string, std::string> headers = {},
                            const std::string& body = "") {
    auth::CheckRequest request;
    auto* http = request.mutable_attributes()->mutable_request()->mutable_http();
    http->set_method(method);
    http->set_path(path);
    for (auto& [k, v] : headers) (*http->mutable_headers())[k] = v;
    http->set_body(body);
    auto* peer = request.mutable_attributes()->mutable_source();
    peer->mutable_address()->mutable_socket_address()->set_address("10.0.0.7");
    peer->mutable_address()->mutable_socket_address()->set_port_value(51234);
    grpc::ClientContext context;
    auth::CheckResponse response;
    grpc::Status status = authz_->Check(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::string Revision() {
    v1::DecideResponse response;
    if (!Decide("app/revision", "", &response).ok()) return "";
    return response.revisions().count("main") ? response.revisions().at("main")
                                              : "";
  }

  std::string dir_;
  std::unique_ptr<PolicydProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::DecisionService::Stub> decisions_;
  std::unique_ptr<auth::Authorization::Stub> authz_;
};

// Polls `done` for up to 20 s.
template <typename F>
bool Eventually(F done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST_F(ServeTest, DecisionApiAllowDenyUndefinedError) {
  WriteBundle(dir_, "main", "r1", Files());
  StartServer();

  v1::DecideResponse allow;
  ASSERT_TRUE(Decide("app/allow", R"({"user": "alice"})", &allow).ok());
  EXPECT_TRUE(allow.result().bool_value());
  EXPECT_FALSE(allow.undefined());
  EXPECT_EQ(allow.revisions().at("main"), "r1");
  EXPECT_EQ(allow.decision_id().size(), 36u);

  v1::DecideResponse deny;
  ASSERT_TRUE(Decide("data.app.allow", R"({"user": "eve"})", &deny).ok());
  EXPECT_TRUE(deny.result().has_bool_value());
  EXPECT_FALSE(deny.result().bool_value());
  EXPECT_NE(deny.decision_id(), allow.decision_id());

  v1::DecideResponse undefined;
  ASSERT_TRUE(Decide("app/reason", R"({"user": "alice"})", &undefined).ok());
  EXPECT_TRUE(undefined.undefined());
  EXPECT_FALSE(undefined.has_result());

  v1::DecideResponse value;
  ASSERT_TRUE(Decide("app/reason", R"({"user": "bob"})", &value).ok());
  EXPECT_EQ(value.result().string_value(), "bob is not welcome");

  // A protobuf Value input works as JSON does.
  v1::DecideRequest request;
  request.set_path("app/allow");
  (*request.mutable_input()->mutable_value()->mutable_struct_value()
        ->mutable_fields())["user"]
      .set_string_value("alice");
  grpc::ClientContext context;
  v1::DecideResponse proto_input;
  ASSERT_TRUE(decisions_->Decide(&context, request, &proto_input).ok());
  EXPECT_TRUE(proto_input.result().bool_value());

  v1::DecideResponse error;
  grpc::Status conflict = Decide("app/conflict", R"({"conflict": true})", &error);
  EXPECT_EQ(conflict.error_code(), grpc::StatusCode::ABORTED);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(conflict.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  v1::ErrorDetail detail;
  ASSERT_TRUE(details.details(0).UnpackTo(&detail));
  EXPECT_EQ(detail.code(), "eval_conflict_error");

  EXPECT_EQ(Decide("app//allow", "{}", &error).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Decide("app/allow", "{not json", &error).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServeTest, DecideBatchAndStatus) {
  WriteBundle(dir_, "main", "r1", Files());
  StartServer();
  v1::DecideBatchRequest request;
  request.set_path("app/allow");
  request.add_inputs()->set_json(R"({"user": "alice"})");
  request.add_inputs()->set_json(R"({"user": "eve"})");
  request.add_inputs();  // no input: undefined
  grpc::ClientContext context;
  v1::DecideBatchResponse response;
  ASSERT_TRUE(decisions_->DecideBatch(&context, request, &response).ok());
  ASSERT_EQ(response.results_size(), 3);
  EXPECT_TRUE(response.results(0).result().bool_value());
  EXPECT_FALSE(response.results(1).result().bool_value());
  EXPECT_TRUE(response.results(2).undefined());
  EXPECT_EQ(response.revisions().at("main"), "r1");

  grpc::ClientContext status_context;
  v1::GetStatusResponse status;
  ASSERT_TRUE(decisions_->GetStatus(&status_context, v1::GetStatusRequest(),
                                    &status).ok());
  ASSERT_EQ(status.bundles_size(), 1);
  EXPECT_EQ(status.bundles(0).name(), "main");
  EXPECT_TRUE(status.bundles(0).active());
  EXPECT_EQ(status.bundles(0).revision(), "r1");
  EXPECT_GT(status.bundles(0).activated().seconds(), 0);
  EXPECT_GE(status.generation(), 1u);
}

TEST_F(ServeTest, ExtAuthzObjectBoolBodyAndUndefined) {
  WriteBundle(dir_, "main", "r1", Files());
  StartServer();

  auth::CheckResponse ok = Check("GET", "/ok/x", {{"x-user", "alice"}});
  EXPECT_EQ(ok.status().code(), 0);
  ASSERT_TRUE(ok.has_ok_response());
  ASSERT_EQ(ok.ok_response().headers_size(), 1);
  EXPECT_EQ(ok.ok_response().headers(0).header().key(), "x-user");
  EXPECT_EQ(ok.ok_response().headers(0).header().value(), "alice");
  ASSERT_EQ(ok.ok_response().response_headers_to_add_size(), 1);
  EXPECT_EQ(ok.ok_response().response_headers_to_add(0).header().value(),
            "policyd");
  EXPECT_EQ(ok.dynamic_metadata().fields().at("team").string_value(), "a");
  EXPECT_EQ(ok.dynamic_metadata().fields().at("decision_id").string_value().size(),
            36u);

  auth::CheckResponse denied = Check("GET", "/deny");
  EXPECT_EQ(denied.status().code(), 7);  // PERMISSION_DENIED
  ASSERT_TRUE(denied.has_denied_response());
  EXPECT_EQ(denied.denied_response().status().code(), 401);
  EXPECT_EQ(denied.denied_response().body(), "go away");
  ASSERT_EQ(denied.denied_response().headers_size(), 1);
  EXPECT_EQ(denied.denied_response().headers(0).header().key(), "x-why");

  EXPECT_EQ(Check("GET", "/bool").status().code(), 0);
  EXPECT_EQ(Check("GET", "/boolno").status().code(), 7);
  EXPECT_EQ(Check("GET", "/query?q=yes&r=1").status().code(), 0);
  EXPECT_EQ(Check("GET", "/query?q=no").status().code(), 7);

  // JSON bodies are parsed into parsed_body.
  std::map<std::string, std::string> json = {
      {"content-type", "application/json"}};
  EXPECT_EQ(Check("POST", "/json", json, R"({"ok": true})").status().code(), 0);
  EXPECT_EQ(Check("POST", "/json", json, R"({"ok": false})").status().code(), 7);

  // Undefined denies.
  auth::CheckResponse undefined = Check("GET", "/nothing/here");
  EXPECT_EQ(undefined.status().code(), 7);
  EXPECT_TRUE(undefined.has_denied_response());
}

TEST_F(ServeTest, ExtAuthzDryRunAllowsEverything) {
  WriteBundle(dir_, "main", "r1", Files());
  StartServer({"--envoy-dry-run"});
  EXPECT_EQ(Check("GET", "/deny").status().code(), 0);
  EXPECT_EQ(Check("GET", "/nothing").status().code(), 0);
}

TEST_F(ServeTest, HealthServingAfterFirstBundle) {
  // A broken bundle first: the server runs, but is not serving.
  WriteBundle(dir_, "main", "r0", {{"app/policy.rego", "package app\nallow :="}});
  StartServer();
  auto health = grpc::health::v1::Health::NewStub(channel_);
  auto status = [&] {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status s =
        health->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
    return s.ok() ? response.status()
                  : grpc::health::v1::HealthCheckResponse::UNKNOWN;
  };
  EXPECT_EQ(status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  v1::DecideResponse response;
  EXPECT_EQ(Decide("app/allow", "{}", &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Http(server_->http_port, "GET", "/health?bundles").status, 500);

  grpc::ClientContext watch_context;
  auto watch = health->Watch(&watch_context, grpc::health::v1::HealthCheckRequest());
  grpc::health::v1::HealthCheckResponse watched;
  ASSERT_TRUE(watch->Read(&watched));
  EXPECT_EQ(watched.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);

  WriteBundle(dir_, "main", "r1", Files());
  EXPECT_TRUE(Eventually([&] {
    return status() == grpc::health::v1::HealthCheckResponse::SERVING;
  }));
  // The stream tells of the change without being asked.
  ASSERT_TRUE(watch->Read(&watched));
  EXPECT_EQ(watched.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  watch_context.TryCancel();
  EXPECT_EQ(Http(server_->http_port, "GET", "/health?bundles").status, 200);

  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest unknown;
  unknown.set_service("no.such.Service");
  grpc::health::v1::HealthCheckResponse ignored;
  EXPECT_EQ(health->Check(&context, unknown, &ignored).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServeTest, RestApi) {
  WriteBundle(dir_, "main", "r1", Files());
  StartServer();
  int port = server_->http_port;

  auto allow = Http(port, "POST", "/v1/data/app/allow", R"({"input": {"user": "alice"}})");
  EXPECT_EQ(allow.status, 200);
  EXPECT_THAT(allow.headers, HasSubstr("Content-Type: application/json"));
  absl::StatusOr<Value> body = ParseJson(allow.body);
  ASSERT_TRUE(body.ok()) << allow.body;
  EXPECT_EQ(*body->Find("result"), Value::Bool(true));
  EXPECT_EQ(body->Find("decision_id")->string().size(), 36u);

  // Undefined: no result key.
  auto undefined = Http(port, "POST", "/v1/data/app/reason", R"({"input": {}})");
  EXPECT_EQ(undefined.status, 200);
  EXPECT_THAT(undefined.body, Not(HasSubstr("result")));
  EXPECT_THAT(undefined.body, HasSubstr("decision_id"));

  auto get = Http(port, "GET", "/v1/data/app/revision");
  EXPECT_EQ(get.status, 200);
  EXPECT_THAT(get.body, HasSubstr(R"("result":"one")"));

  auto malformed = Http(port, "POST", "/v1/data/app/allow", "{nope");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(malformed.body, HasSubstr(R"("code":"invalid_parameter")"));

  auto conflict = Http(port, "POST", "/v1/data/app/conflict",
                       R"({"input": {"conflict": true}})");
  EXPECT_EQ(conflict.status, 500);
  EXPECT_THAT(conflict.body, HasSubstr(R"("code":"internal_error")"));
  EXPECT_THAT(conflict.body, HasSubstr("eval_conflict_error"));

  auto batch = Http(port, "POST", "/v1/batch/data/app/allow",
                    R"({"inputs": {"a": {"user": "alice"}, "b": {"user": "eve"}}})");
  EXPECT_EQ(batch.status, 200);
  absl::StatusOr<Value> batch_body = ParseJson(batch.body);
  ASSERT_TRUE(batch_body.ok()) << batch.body;
  const Value* responses = batch_body->Find("responses");
  ASSERT_NE(responses, nullptr) << batch.body;
  EXPECT_EQ(*responses->Find("a")->Find("result"), Value::Bool(true));
  EXPECT_EQ(*responses->Find("b")->Find("result"), Value::Bool(false));

  auto root = Http(port, "POST", "/", R"({"user": "zed"})");
  EXPECT_EQ(root.status, 200);
  EXPECT_THAT(root.body, HasSubstr(R"({"user":"zed"})"));

  EXPECT_EQ(Http(port, "GET", "/health").status, 200);
  auto missing = Http(port, "GET", "/v2/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(missing.body, HasSubstr(R"("code":"resource_not_found")"));
  // Inside the bundle's roots: refused as OPA refuses it.
  EXPECT_EQ(Http(port, "DELETE", "/v1/data/app").status, 400);
}

// The count of a series in Prometheus text, or -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.size() > series.size() && line.substr(0, series.size()) == series &&
        line[series.size()] == ' ') {
      return std::stod(std::string(line.substr(series.size() + 1)));
    }
  }
  return -1;
}

TEST_F(ServeTest, MetricsMoveAfterDecisions) {
  WriteBundle(dir_, "main", "r1", Files());
  StartServer();
  const std::string count =
      R"(policyd_decision_duration_seconds_count{api="grpc",outcome="allow"})";
  const std::string first_bucket =
      R"(policyd_decision_duration_seconds_bucket{api="grpc",outcome="allow",le="1e-06"})";
  auto before = Http(server_->http_port, "GET", "/metrics");
  EXPECT_EQ(before.status, 200);
  EXPECT_THAT(before.headers, HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(before.body, HasSubstr("# TYPE policyd_decision_duration_seconds histogram"));
  EXPECT_EQ(Sample(before.body, R"(policyd_bundle_active_revision{bundle="main",revision="r1"})"), 1);
  EXPECT_EQ(Sample(before.body, R"(policyd_bundle_activations_total{bundle="main"})"), 1);
  double old_count = std::max(0.0, Sample(before.body, count));

  v1::DecideResponse response;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Decide("app/allow", R"({"user": "alice"})", &response).ok());
  }
  ASSERT_EQ(Decide("app/conflict", R"({"conflict": true})", &response).error_code(),
            grpc::StatusCode::ABORTED);
  auto after = Http(server_->http_port, "GET", "/metrics");
  EXPECT_EQ(Sample(after.body, count), old_count + 3);
  EXPECT_GE(Sample(after.body, first_bucket), 0);  // buckets start at 1 µs
  EXPECT_EQ(Sample(after.body, R"(policyd_decisions_total{api="grpc",outcome="error"})"), 1);
  // Every line is a comment or `name{labels} value`.
  const std::regex line_re(R"(^(#.*|[a-z_]+(\{[^}]*\})? [-+0-9.eInf]+)$)");
  for (absl::string_view line : absl::StrSplit(after.body, '\n')) {
    if (line.empty()) continue;
    EXPECT_TRUE(std::regex_match(std::string(line), line_re)) << line;
  }
}

TEST_F(ServeTest, NewRevisionSwapsWithoutFailedRequests) {
  WriteBundle(dir_, "main", "r1", Files());
  StartServer();
  ASSERT_EQ(Revision(), "r1");

  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, done{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      auto stub = v1::DecisionService::NewStub(channel_);
      while (!stop.load()) {
        v1::DecideRequest request;
        request.set_path("app/revision");
        grpc::ClientContext context;
        v1::DecideResponse response;
        if (!stub->Decide(&context, request, &response).ok() ||
            response.undefined()) {
          failures.fetch_add(1);
        }
        done.fetch_add(1);
      }
    });
  }
  std::string app2 = kAppPolicy;
  app2.replace(app2.find("revision := \"one\""), 17, "revision := \"two\"");
  WriteBundle(dir_, "main", "r2", Files(app2));
  EXPECT_TRUE(Eventually([&] { return Revision() == "r2"; }));
  v1::DecideResponse response;
  ASSERT_TRUE(Decide("app/revision", "", &response).ok());
  EXPECT_EQ(response.result().string_value(), "two");
  stop.store(true);
  for (auto& c : clients) c.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(done.load(), 0);

  // A broken revision leaves r2 serving; the status names the error.
  WriteBundle(dir_, "main", "r3", Files("package app\nallow := {"));
  server_->Signal(SIGHUP);
  grpc::ClientContext context;
  v1::GetStatusResponse status;
  EXPECT_TRUE(Eventually([&] {
    grpc::ClientContext c;
    v1::GetStatusResponse s;
    return decisions_->GetStatus(&c, v1::GetStatusRequest(), &s).ok() &&
           !s.last_error().empty() && s.reloads_failed() > 0;
  }));
  ASSERT_TRUE(decisions_->GetStatus(&context, v1::GetStatusRequest(), &status).ok());
  EXPECT_THAT(status.last_error(), HasSubstr("rego_parse_error"));
  EXPECT_EQ(Revision(), "r2");
  ASSERT_TRUE(Decide("app/revision", "", &response).ok());
  EXPECT_EQ(response.result().string_value(), "two");
  auto metrics = Http(server_->http_port, "GET", "/metrics");
  EXPECT_GE(Sample(metrics.body, R"(policyd_bundle_failures_total{bundle="main"})"), 1);
}

TEST_F(ServeTest, ReloadRpc) {
  WriteBundle(dir_, "main", "r1", Files());
  StartServer({"--watch=false"});
  WriteBundle(dir_, "main", "r2", Files());
  EXPECT_EQ(Revision(), "r1");
  grpc::ClientContext context;
  v1::ReloadResponse response;
  ASSERT_TRUE(decisions_->Reload(&context, v1::ReloadRequest(), &response).ok());
  EXPECT_TRUE(response.ok()) << response.error();
  EXPECT_EQ(Revision(), "r2");
}

TEST_F(ServeTest, SigtermDrainsInFlightDecisions) {
  WriteBundle(dir_, "main", "r1", Files());
  StartServer();
  // An open health Watch stream learns of the shutdown and ends.
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext watch_context;
  auto watch = health->Watch(&watch_context, grpc::health::v1::HealthCheckRequest());
  grpc::health::v1::HealthCheckResponse watched;
  ASSERT_TRUE(watch->Read(&watched));
  EXPECT_EQ(watched.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  grpc::Status slow_status;
  v1::DecideResponse slow;
  std::thread client([&] {
    slow_status = Decide("app/slow", R"({"n": 3000000})", &slow);
  });
  // Let the request reach the server before the signal.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  server_->Signal(SIGTERM);
  client.join();
  EXPECT_TRUE(slow_status.ok()) << slow_status.error_message();
  EXPECT_EQ(slow.result().number_value(), 3000000);
  ASSERT_TRUE(watch->Read(&watched));
  EXPECT_EQ(watched.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(watch->Read(&watched));
  EXPECT_TRUE(watch->Finish().ok());
  EXPECT_EQ(server_->Wait(), 0) << server_->Stderr();
  EXPECT_THAT(server_->Stderr(), HasSubstr("stopped"));
}

TEST_F(ServeTest, SigtermDoesNotWaitForAnIdleConnection) {
  WriteBundle(dir_, "main", "r1", Files());
  // A grace period longer than Wait()'s patience: the server must not spend
  // it on a client that keeps its connection open without calls (this one
  // speaks just enough HTTP/2 to be a connection, and ignores GOAWAY).
  StartServer({"--shutdown-grace", "120s"});
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_->grpc_port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  // The connection preface and an empty SETTINGS frame.
  const std::string hello = std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") +
                            std::string("\0\0\0\x04\0\0\0\0\0", 9);
  ASSERT_EQ(::write(fd, hello.data(), hello.size()),
            static_cast<ssize_t>(hello.size()));
  v1::DecideResponse response;
  ASSERT_TRUE(Decide("app/allow", R"({"user": "alice"})", &response).ok());
  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(), 0) << server_->Stderr();
  EXPECT_THAT(server_->Stderr(), HasSubstr("stopped"));
  ::close(fd);
}

TEST_F(ServeTest, FullQueueAnswersResourceExhausted) {
  WriteBundle(dir_, "main", "r1", Files());
  StartServer({"--workers", "1", "--queue-size", "1"});
  std::atomic<int> ok{0}, exhausted{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 6; ++i) {
    clients.emplace_back([&] {
      v1::DecideResponse response;
      grpc::Status s = Decide("app/slow", R"({"n": 1000000})", &response);
      if (s.ok()) ok.fetch_add(1);
      if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
        exhausted.fetch_add(1);
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_GE(ok.load(), 1);
  EXPECT_GE(exhausted.load(), 1);
  EXPECT_EQ(ok.load() + exhausted.load(), 6);

  // The REST side answers 429 the same way.
  std::atomic<int> too_many{0};
  clients.clear();
  for (int i = 0; i < 6; ++i) {
    clients.emplace_back([&] {
      auto r = Http(server_->http_port, "POST", "/v1/data/app/slow",
                    R"({"input": {"n": 1000000}})");
      if (r.status == 429) too_many.fetch_add(1);
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_GE(too_many.load(), 1);
}

TEST_F(ServeTest, UnixSocketListeners) {
  WriteBundle(dir_, "main", "r1", Files());
  std::string grpc_sock = dir_ + "/grpc.sock";
  std::string http_sock = dir_ + "/http.sock";
  std::string log;
  server_ = PolicydProcess::Start(
      {"--bundles", dir_, "--grpc-addr", "unix://" + grpc_sock, "--http-addr",
       "unix://" + http_sock, "--unix-socket-mode", "0600"},
      &log, /*default_listeners=*/false);
  ASSERT_NE(server_, nullptr) << log;
  auto channel = grpc::CreateChannel("unix://" + grpc_sock,
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::DecisionService::NewStub(channel);
  v1::DecideRequest request;
  request.set_path("app/allow");
  request.mutable_input()->set_json(R"({"user": "alice"})");
  grpc::ClientContext context;
  v1::DecideResponse response;
  ASSERT_TRUE(stub->Decide(&context, request, &response).ok());
  EXPECT_TRUE(response.result().bool_value());
  auto r = Http(0, "POST", "/v1/data/app/allow", R"({"input": {"user": "alice"}})",
                http_sock);
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr(R"("result":true)"));
  EXPECT_EQ(fs::status(http_sock).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(ServeTest, DecisionLogMasksInput) {
  WriteBundle(dir_, "main", "r1", Files());
  std::string log_file = dir_ + "/decisions.log";
  StartServer({"--decision-log", log_file, "--decision-log-mask",
               "/input/password"});
  v1::DecideResponse response;
  ASSERT_TRUE(Decide("app/allow", R"({"user": "alice", "password": "s3cret"})",
                     &response).ok());
  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->Wait(), 0);
  std::ifstream in(log_file);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  absl::StatusOr<Value> entry = ParseJson(line);
  ASSERT_TRUE(entry.ok()) << line;
  EXPECT_EQ(entry->Find("decision_id")->string(), response.decision_id());
  EXPECT_EQ(entry->Find("path")->string(), "app/allow");
  EXPECT_EQ(*entry->Find("result"), Value::Bool(true));
  EXPECT_EQ(entry->Find("input")->Find("password"), nullptr);
  EXPECT_EQ(entry->Find("input")->Find("user")->string(), "alice");
  EXPECT_THAT(line, HasSubstr(R"("erased":["/input/password"])"));
  EXPECT_THAT(line, HasSubstr(R"("bundles":{"main":{"revision":"r1"}})"));
}

TEST_F(ServeTest, BadConfigStopsStartup) {
  std::string log;
  EXPECT_EQ(PolicydProcess::Start({"--bundles", dir_, "--no-such-flag", "1"}, &log),
            nullptr);
  EXPECT_THAT(log, HasSubstr("unknown flag --no-such-flag"));
  std::string config = dir_ + "/policyd.yaml";
  ::policyd::testing::WriteFile(config, "bundles: /x\nqueue_size: -3\n");
  EXPECT_EQ(PolicydProcess::Start({"--config", config}, &log), nullptr);
  EXPECT_THAT(log, HasSubstr("queue_size"));
  ::policyd::testing::WriteFile(config, "bundles: /x\nfrobnicate: 1\n");
  EXPECT_EQ(PolicydProcess::Start({"--config", config}, &log), nullptr);
  EXPECT_THAT(log, HasSubstr("unknown setting \"frobnicate\""));
}

}  // namespace
}  // namespace policyd
