#include "engine/builtins/http_request.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using ::policyd::core_testing::V;

std::string Check(std::string_view request) {
  absl::Status s = CheckHttpRequestKeys("b", 1, V(request));
  if (s.ok()) return "ok";
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.message());
}

TEST(HttpRequestTest, AcceptsKnownKeysWithMethodAndUrl) {
  EXPECT_EQ(Check(R"({"method": "get", "url": "u"})"), "ok");
  EXPECT_EQ(Check(R"({"method": 1, "url": 2, "headers": {}, "raise_error": false,
                      "tls_server_name": "x", "cache_ignored_headers": []})"),
            "ok");
}

TEST(HttpRequestTest, NamesUnknownKeysFirst) {
  EXPECT_EQ(Check(R"({"bad_key": 1, "method": "get", "url": "u", 7: 1})"),
            R"(b: operand 1 invalid request parameters(s): {7, "bad_key"})");
  EXPECT_EQ(Check(R"({"bad": 1})"), R"(b: operand 1 invalid request parameters(s): {"bad"})");
}

TEST(HttpRequestTest, NamesMissingKeys) {
  EXPECT_EQ(Check(R"({"method": "get"})"),
            R"(b: operand 1 missing required request parameters(s): {"url"})");
  EXPECT_EQ(Check("{}"),
            R"(b: operand 1 missing required request parameters(s): {"method", "url"})");
}

}  // namespace
}  // namespace policyd
