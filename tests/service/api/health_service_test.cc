#include "service/api/health_service.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "service/transport/completion_queue_threads.h"

namespace policyd {
namespace {

namespace fs = std::filesystem;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// The health service on an in-process server, over a store that starts
// without bundles.
class HealthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Of its own: ctest runs the tests of this suite in parallel processes.
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat("health_service_test_", getpid(), "_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = std::make_unique<bundles::Store>(dir_.string(),
                                              bundles::StoreOptions());
    health_ = std::make_unique<HealthService>(store_.get());
    store_->AddListener(
        [this](const bundles::ReloadEvent&) { health_->Notify(); });
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(health_.get());
    std::unique_ptr<grpc::ServerCompletionQueue> cq =
        builder.AddCompletionQueue();
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    threads_ = std::make_unique<CompletionQueueThreads>(std::move(cq), 2);
    health_->Start(threads_->cq());
    stub_ = Health::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    if (threads_ != nullptr) threads_->Shutdown();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void LoadABundle() {
    fs::create_directories(dir_ / "b");
    std::ofstream(dir_ / "b" / "p.rego") << "package p\n\nx := 1\n";
    ASSERT_TRUE(store_->Reload().ok());
  }

  HealthCheckResponse::ServingStatus Check(
      const std::string& service, grpc::StatusCode code = grpc::StatusCode::OK) {
    grpc::ClientContext context;
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    EXPECT_EQ(stub_->Check(&context, request, &response).error_code(), code);
    return response.status();
  }

  fs::path dir_;
  std::unique_ptr<bundles::Store> store_;
  std::unique_ptr<HealthService> health_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<CompletionQueueThreads> threads_;
  std::unique_ptr<Health::Stub> stub_;
};

TEST_F(HealthServiceTest, CheckFollowsTheStore) {
  EXPECT_EQ(Check(""), HealthCheckResponse::NOT_SERVING);
  LoadABundle();
  EXPECT_EQ(Check(""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check("envoy.service.auth.v3.Authorization"),
            HealthCheckResponse::SERVING);
  Check("no.such.Service", grpc::StatusCode::NOT_FOUND);
  health_->SetShuttingDown();
  EXPECT_EQ(Check("policyd.v1.DecisionService"),
            HealthCheckResponse::NOT_SERVING);
}

TEST_F(HealthServiceTest, WatchStreamsEachChangeAndEndsAtShutdown) {
  grpc::ClientContext context;
  auto watch = stub_->Watch(&context, HealthCheckRequest());
  HealthCheckResponse response;
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  LoadABundle();
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  health_->Notify();  // no change: nothing is sent
  health_->SetShuttingDown();
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(watch->Read(&response));
  EXPECT_TRUE(watch->Finish().ok());
}

TEST_F(HealthServiceTest, WatchOfAnUnknownServiceSaysSo) {
  grpc::ClientContext context;
  HealthCheckRequest request;
  request.set_service("no.such.Service");
  auto watch = stub_->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVICE_UNKNOWN);
  context.TryCancel();
  EXPECT_FALSE(watch->Read(&response));
  EXPECT_EQ(watch->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(HealthServiceTest, AStreamTheClientLeftDoesNotHoldUpShutdown) {
  for (int i = 0; i < 5; ++i) {
    grpc::ClientContext context;
    auto watch = stub_->Watch(&context, HealthCheckRequest());
    HealthCheckResponse response;
    ASSERT_TRUE(watch->Read(&response));
    context.TryCancel();
    EXPECT_FALSE(watch->Read(&response));
    watch->Finish();
  }
  // TearDown's Shutdown has no deadline: it returns only once every
  // accepted stream has ended on the server.
  LoadABundle();  // a change with no one left to tell
}

}  // namespace
}  // namespace policyd
