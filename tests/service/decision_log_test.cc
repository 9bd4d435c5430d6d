#include "service/decision_log.h"

#include <fstream>

#include "engine/value/json.h"
#include "gmock/gmock.h"
#include "nlohmann/json.hpp"
#include "gtest/gtest.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;

DecisionLogEntry Entry() {
  DecisionLogEntry e;
  e.decision_id = "id-1";
  e.time = absl::FromUnixSeconds(1700000000);
  e.api = "grpc";
  e.path = "app/allow";
  e.input = *ParseJson(R"({"user": "a", "secret": {"token": "t", "keep": 1}})");
  e.result = Value::Bool(true);
  e.revisions = {{"main", "r1"}};
  e.duration = absl::Microseconds(12);
  return e;
}

TEST(DecisionLogTest, FormatMasksInputPaths) {
  DecisionLogOptions options;
  options.output = ::testing::TempDir() + "/decision_log_test.log";
  options.mask = {"/input/secret/token", "/input/absent"};
  auto log = DecisionLog::Open(options);
  ASSERT_TRUE(log.ok()) << log.status();
  std::string line = (*log)->Format(Entry());
  // Read with a JSON parser that is not policyd's own.
  nlohmann::json v = nlohmann::json::parse(line, nullptr, false);
  ASSERT_FALSE(v.is_discarded()) << line;
  EXPECT_EQ(v["input"], nlohmann::json::parse(R"({"user": "a", "secret": {"keep": 1}})"));
  EXPECT_EQ(v["erased"], nlohmann::json::parse(R"(["/input/secret/token"])"));
  EXPECT_EQ(v["decision_id"], "id-1");
  EXPECT_EQ(v["timestamp"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(v["bundles"], nlohmann::json::parse(R"({"main": {"revision": "r1"}})"));
  EXPECT_THAT(line, HasSubstr(R"("timer_server_handler_ns":12000)"));
}

TEST(DecisionLogTest, WritesLinesToTheFile) {
  DecisionLogOptions options;
  options.output = ::testing::TempDir() + "/decision_log_test_write.log";
  std::remove(options.output.c_str());
  {
    auto log = DecisionLog::Open(options);
    ASSERT_TRUE(log.ok());
    (*log)->Log(Entry());
    (*log)->Log(Entry());
  }  // flushes
  std::ifstream in(options.output);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) ++lines;
  EXPECT_EQ(lines, 2);
}

TEST(DecisionLogTest, BadMaskOrFile) {
  DecisionLogOptions options;
  options.mask = {"password"};
  EXPECT_EQ(DecisionLog::Open(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.mask = {};
  options.output = "/nonexistent-dir/x.log";
  EXPECT_FALSE(DecisionLog::Open(options).ok());
}

}  // namespace
}  // namespace policyd
