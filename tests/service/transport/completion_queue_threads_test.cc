#include "service/transport/completion_queue_threads.h"

#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "grpcpp/alarm.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

// Records the one event it is given.
class RecordingTag final : public CompletionQueueTag {
 public:
  void Proceed(bool ok) override {
    ok_ = ok;
    thread_ = std::this_thread::get_id();
    done_.Notify();
  }
  bool WaitOk() {
    done_.WaitForNotification();
    return ok_;
  }
  std::thread::id thread() const { return thread_; }

 private:
  bool ok_ = false;
  std::thread::id thread_;
  absl::Notification done_;
};

class CompletionQueueThreadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    std::unique_ptr<grpc::ServerCompletionQueue> cq =
        builder.AddCompletionQueue();
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    threads_ = std::make_unique<CompletionQueueThreads>(std::move(cq), 2);
  }
  void TearDown() override {
    server_->Shutdown();
    threads_->Shutdown();
  }

  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<CompletionQueueThreads> threads_;
};

TEST_F(CompletionQueueThreadsTest, HandsEachEventToItsTagOnAPollingThread) {
  RecordingTag tag;
  grpc::Alarm alarm;
  alarm.Set(threads_->cq(), std::chrono::system_clock::now(), tag.tag());
  EXPECT_TRUE(tag.WaitOk());
  EXPECT_NE(tag.thread(), std::this_thread::get_id());
}

TEST_F(CompletionQueueThreadsTest, CancelledOperationsAreNotOk) {
  RecordingTag tag;
  grpc::Alarm alarm;
  auto later = std::chrono::system_clock::now() + std::chrono::hours(1);
  alarm.Set(threads_->cq(), later, tag.tag());
  alarm.Cancel();
  EXPECT_FALSE(tag.WaitOk());
}

TEST_F(CompletionQueueThreadsTest, ShutdownIsIdempotent) {
  server_->Shutdown();
  threads_->Shutdown();
  threads_->Shutdown();
}

}  // namespace
}  // namespace policyd
