#include "service/transport/async_unary_method.h"

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "policyd/v1/decision.grpc.pb.h"
#include "service/transport/completion_queue_threads.h"
#include "service/service_metrics.h"
#include "service/transport/worker_pool.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;
using Method = AsyncUnaryMethod<v1::DecideRequest, v1::DecideResponse>;

// Decide served by an AsyncUnaryMethod on an in-process server, with a
// pool of `slots` slots and a queue of `queue`.
class AsyncUnaryMethodTest : public ::testing::Test {
 protected:
  void Start(int slots, size_t queue, Method::Handler handler) {
    pool_ = std::make_unique<WorkerPool>(slots, queue);
    method_ = std::make_unique<Method>(
        "grpc", pool_.get(), &metrics_,
        [this](grpc::ServerContext* context, v1::DecideRequest* request,
               grpc::ServerAsyncResponseWriter<v1::DecideResponse>* writer,
               grpc::ServerCompletionQueue* cq, void* tag) {
          service_.RequestDecide(context, request, writer, cq, cq, tag);
        },
        std::move(handler));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&service_);
    std::unique_ptr<grpc::ServerCompletionQueue> cq =
        builder.AddCompletionQueue();
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    threads_ = std::make_unique<CompletionQueueThreads>(std::move(cq),
                                                        slots + 1);
    method_->Start(threads_->cq(), 2);
    stub_ = v1::DecisionService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ == nullptr) return;
    server_->Shutdown();
    pool_->Shutdown();
    threads_->Shutdown();
  }

  grpc::Status Decide(const std::string& path, v1::DecideResponse* response,
                      bool with_deadline = false) {
    grpc::ClientContext context;
    if (with_deadline) {
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::minutes(1));
    }
    v1::DecideRequest request;
    request.set_path(path);
    return stub_->Decide(&context, request, response);
  }

  // Takes the pool's only slot until the returned notification is given.
  std::unique_ptr<absl::Notification> HoldTheSlot() {
    auto release = std::make_unique<absl::Notification>();
    absl::Notification running;
    EXPECT_TRUE(pool_->TrySubmit([&running, r = release.get()] {
      running.Notify();
      r->WaitForNotification();
    }));
    running.WaitForNotification();
    return release;
  }

  ServiceMetrics metrics_;
  v1::DecisionService::AsyncService service_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<Method> method_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<CompletionQueueThreads> threads_;
  std::unique_ptr<v1::DecisionService::Stub> stub_;
};

grpc::Status EchoPath(const v1::DecideRequest& request, const UnaryCall&,
                      v1::DecideResponse* response) {
  response->set_decision_id(request.path());
  return grpc::Status::OK;
}

TEST_F(AsyncUnaryMethodTest, TheHandlerAnswersTheCall) {
  Start(2, 10, EchoPath);
  v1::DecideResponse response;
  grpc::Status status = Decide("a/b", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.decision_id(), "a/b");
}

TEST_F(AsyncUnaryMethodTest, TheHandlersStatusReachesTheClient) {
  Start(2, 10, [](const v1::DecideRequest&, const UnaryCall&,
                  v1::DecideResponse*) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad path");
  });
  v1::DecideResponse response;
  grpc::Status status = Decide("a", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "bad path");
}

TEST_F(AsyncUnaryMethodTest, TheHandlerSeesTheClientsDeadline) {
  std::atomic<bool> infinite{false}, within{false};
  Start(1, 10, [&](const v1::DecideRequest& request, const UnaryCall& call,
                   v1::DecideResponse*) {
    if (request.path() == "none") {
      infinite.store(call.deadline == absl::InfiniteFuture());
    } else {
      within.store(call.start <= absl::Now() && call.deadline > call.start &&
                   call.deadline < absl::Now() + absl::Minutes(2));
    }
    return grpc::Status::OK;
  });
  v1::DecideResponse response;
  ASSERT_TRUE(Decide("none", &response).ok());
  ASSERT_TRUE(Decide("set", &response, /*with_deadline=*/true).ok());
  EXPECT_TRUE(infinite.load());
  EXPECT_TRUE(within.load());
}

TEST_F(AsyncUnaryMethodTest, ManyCallsAtOnceAreAllAnswered) {
  // More calls in flight than calls requested: each accepted call is
  // replaced by a new request.
  Start(2, 100, EchoPath);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        v1::DecideResponse response;
        std::string path = absl::StrCat(t, "/", i);
        if (Decide(path, &response).ok() && response.decision_id() == path) {
          ok.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& c : clients) c.join();
  EXPECT_EQ(ok.load(), 200);
}

TEST_F(AsyncUnaryMethodTest, ACallWaitsInTheQueueForASlot) {
  Start(1, 1, EchoPath);
  std::unique_ptr<absl::Notification> release = HoldTheSlot();
  grpc::Status status;
  v1::DecideResponse response;
  std::thread client([&] { status = Decide("queued", &response); });
  while (pool_->queue_depth() == 0) std::this_thread::yield();
  release->Notify();
  client.join();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.decision_id(), "queued");
}

TEST_F(AsyncUnaryMethodTest, AFullQueueRefusesAtOnce) {
  Start(1, 1, EchoPath);
  std::unique_ptr<absl::Notification> release = HoldTheSlot();
  ASSERT_TRUE(pool_->TrySubmit([] {}));  // fills the queue
  v1::DecideResponse response;
  grpc::Status status = Decide("refused", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(metrics_.Render(),
              HasSubstr("policyd_request_errors_total{api=\"grpc\","
                        "reason=\"resource_exhausted\"} 1\n"));
  release->Notify();
  ASSERT_TRUE(pool_->WaitIdle(absl::InfiniteFuture()));
  EXPECT_TRUE(Decide("after", &response).ok());
}

}  // namespace
}  // namespace policyd
