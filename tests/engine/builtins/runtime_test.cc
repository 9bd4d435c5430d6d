#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using ::policyd::core_testing::Eval;

TEST(RuntimeTest, OpaRuntimeIsEmptyWithoutRuntimeConfig) {
  EXPECT_EQ(Eval("opa.runtime"), "{}");
  EXPECT_TRUE(BuiltinRegistry::Default().Find("opa.runtime")->nondeterministic);
}

TEST(RuntimeTest, TraceIsTrueForAString) {
  EXPECT_EQ(Eval("trace", R"("note")"), "true");
  EXPECT_EQ(Eval("trace", "1"), "type error: trace: operand 1 must be string but got number");
}

TEST(RuntimeTest, HttpSendIsRegisteredButRefuses) {
  const Builtin* send = BuiltinRegistry::Default().Find("http.send");
  ASSERT_NE(send, nullptr);
  EXPECT_TRUE(send->nondeterministic);
  EXPECT_EQ(Eval("http.send", R"({"method": "get", "url": "http://example.com"})"),
            "builtin error: http.send: not supported by policyd");
  EXPECT_EQ(Eval("http.send", "[]"),
            "type error: http.send: operand 1 must be object but got array");
}

TEST(RuntimeTest, HttpSendChecksTheRequestFirst) {
  EXPECT_EQ(Eval("http.send", R"({"method": "get"})"),
            "type error: http.send: operand 1 missing required request parameters(s): {\"url\"}");
  EXPECT_EQ(Eval("http.send", R"({"method": "get", "url": "u", "raise_error": 1})"),
            "builtin error: http.send: invalid value for raise_error field");
}

TEST(RuntimeTest, HttpSendWithoutRaiseErrorReturnsTheError) {
  EXPECT_EQ(Eval("http.send", R"({"method": "get", "url": "u", "raise_error": false})"),
            R"({"error": {"code": "eval_http_send_internal_error", )"
            R"("message": "http.send: not supported by policyd"}, "status_code": 0})");
  EXPECT_EQ(Eval("http.send", R"({"url": "u", "raise_error": false})"),
            R"({"error": {"code": "eval_http_send_internal_error", "message": )"
            R"("http.send: operand 1 missing required request parameters(s): {\"method\"}"}, )"
            R"("status_code": 0})");
}

}  // namespace
}  // namespace policyd
