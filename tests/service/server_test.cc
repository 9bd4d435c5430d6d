// The Server object in this process: Start on free ports, WaitForSignals
// (thread-directed signals, so that the test process is never signalled as
// a whole) and Shutdown's drain, refusal and cancellation.
#include "service/server.h"

#include <pthread.h>
#include <signal.h>

#include <sstream>
#include <thread>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "policyd/v1/decision.grpc.pb.h"
#include "tests/integration/policyd_process.h"

namespace policyd {
namespace {

using ::policyd::testing::Eventually;
using ::policyd::testing::FreshDir;
using ::policyd::testing::Http;
using ::policyd::testing::WriteBundle;

constexpr char kPolicy[] = R"(package app
allow := input.user == "alice"
revision := "one"
# n * n steps: long enough to be caught running by a shutdown.
slow := count({i * j % 7 | some i in numbers.range(1, input.n); some j in numbers.range(1, input.n)})
)";

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshDir("server_test");
    WriteBundle(dir_, "main", "r1", {{"app/policy.rego", kPolicy}}, "[\"app\"]");
  }

  ServeConfig Config() {
    ServeConfig config;
    config.bundles = dir_;
    config.grpc_addr = {*ParseListenAddress("127.0.0.1:0")};
    config.http_addr = {*ParseListenAddress("127.0.0.1:0")};
    config.watch = false;
    config.workers = 2;
    config.max_steps = 0;
    config.decision_timeout = absl::Seconds(60);
    return config;
  }

  static grpc::Status Decide(int port, const std::string& path,
                             const std::string& input,
                             v1::DecideResponse* response) {
    auto stub = v1::DecisionService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    v1::DecideRequest request;
    request.set_path(path);
    request.mutable_input()->set_json(input);
    return stub->Decide(&context, request, response);
  }

  std::string dir_;
  std::ostringstream log_;
};

TEST_F(ServerTest, StartsOnFreePortsAndAnswers) {
  Server server(Config(), log_);
  ASSERT_TRUE(server.Start().ok()) << log_.str();
  ASSERT_EQ(server.grpc_ports().size(), 1u);
  ASSERT_EQ(server.http_ports().size(), 1u);
  EXPECT_GT(server.grpc_ports()[0], 0);
  EXPECT_GT(server.http_ports()[0], 0);

  v1::DecideResponse response;
  grpc::Status s = Decide(server.grpc_ports()[0], "app/allow",
                          R"({"user": "alice"})", &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(response.result().bool_value());
  auto http = Http(server.http_ports()[0], "POST", "/v1/data/app/allow",
                   R"({"input": {"user": "bob"}})");
  EXPECT_EQ(http.status, 200);
  EXPECT_NE(http.body.find("\"result\":false"), std::string::npos) << http.body;
  server.Shutdown(absl::Seconds(5));
}

TEST_F(ServerTest, RefusesToReplaceAFileThatIsNotASocket) {
  std::string path = dir_ + "/../server_test_not_a_socket";
  testing::WriteFile(path, "precious");
  ServeConfig config = Config();
  config.http_addr = {*ParseListenAddress("unix://" + path)};
  Server server(config, log_);
  absl::Status s = server.Start();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not a socket"), std::string::npos) << s;
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "precious");
}

TEST_F(ServerTest, ShutdownDrainsInFlightDecisionsAndRefusesNewOnes) {
  Server server(Config(), log_);
  ASSERT_TRUE(server.Start().ok()) << log_.str();
  const int grpc_port = server.grpc_ports()[0];
  const int http_port = server.http_ports()[0];

  grpc::Status slow_status;
  v1::DecideResponse slow;
  std::atomic<bool> answered{false};
  std::thread in_flight([&] {
    slow_status = Decide(grpc_port, "app/slow", R"({"n": 2500})", &slow);
    answered = true;
  });
  ASSERT_TRUE(Eventually([&] { return server.decisions_running() == 1; }));

  std::atomic<bool> shut_down{false};
  std::thread shutdown([&] {
    server.Shutdown(absl::Seconds(60));
    shut_down = true;
  });
  // Both listeners stop taking calls while the decision still runs...
  ASSERT_TRUE(Eventually([&] {
    v1::DecideResponse refused;
    return Http(http_port, "GET", "/health").status == 0 &&
           !Decide(grpc_port, "app/allow", "{}", &refused).ok();
  }));
  EXPECT_FALSE(answered);
  // ... and the decision that was running still gets its answer.
  in_flight.join();
  ASSERT_TRUE(slow_status.ok()) << slow_status.error_message();
  EXPECT_EQ(slow.result().number_value(), 7);
  shutdown.join();
  EXPECT_TRUE(shut_down);
}

TEST_F(ServerTest, ShutdownCancelsWhatStillRunsWhenTheGraceEnds) {
  Server server(Config(), log_);
  ASSERT_TRUE(server.Start().ok()) << log_.str();
  grpc::Status status;
  v1::DecideResponse response;
  std::thread in_flight([&] {
    // Hours of work without the cancellation.
    status = Decide(server.grpc_ports()[0], "app/slow", R"({"n": 10000000})",
                    &response);
  });
  ASSERT_TRUE(Eventually([&] { return server.decisions_running() == 1; }));
  server.Shutdown(absl::Milliseconds(100));
  in_flight.join();
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(server.decisions_running(), 0);
}

TEST_F(ServerTest, WaitForSignalsReloadsOnHupAndReturnsOnTerm) {
  Server server(Config(), log_);
  std::atomic<int> returned{0};
  std::atomic<bool> started{false};
  std::thread waiter([&] {
    Server::BlockSignals();  // before Start: its threads inherit the mask
    ASSERT_TRUE(server.Start().ok());
    started = true;
    returned = server.WaitForSignals();
  });
  ASSERT_TRUE(Eventually([&] { return started.load(); }));
  auto revision = [&] {
    auto bundles = server.store().Current()->bundles();
    return bundles.empty() ? std::string() : bundles[0]->manifest.revision;
  };
  EXPECT_EQ(revision(), "r1");
  WriteBundle(dir_, "main", "r2", {{"app/policy.rego", kPolicy}}, "[\"app\"]");
  pthread_kill(waiter.native_handle(), SIGHUP);
  EXPECT_TRUE(Eventually([&] { return revision() == "r2"; }));
  EXPECT_EQ(returned, 0);
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  EXPECT_EQ(returned, SIGTERM);
  server.Shutdown(absl::Seconds(5));
}

}  // namespace
}  // namespace policyd
