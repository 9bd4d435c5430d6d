// Helpers for the text builtin tests: call a builtin from the default
// registry with JSON-written arguments and look at its value or error.
#ifndef POLICYD_TESTS_ENGINE_BUILTINS_TEXT_TEST_UTIL_H_
#define POLICYD_TESTS_ENGINE_BUILTINS_TEXT_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "engine/builtins/builtin.h"
#include "engine/value/json.h"
#include "engine/value/value.h"
#include "gtest/gtest.h"

namespace policyd::testing {

// A Value from JSON text; fails the test on bad JSON.
inline Value J(std::string_view json) {
  auto v = ParseJson(json);
  EXPECT_TRUE(v.ok()) << json << ": " << v.status();
  return v.ok() ? *v : Value();
}

inline BuiltinResult Call(std::string_view name, std::vector<Value> args) {
  const Builtin* b = BuiltinRegistry::Default().Find(name);
  if (b == nullptr) return absl::NotFoundError(std::string(name));
  EXPECT_EQ(b->arity, static_cast<int>(args.size())) << name;
  BuiltinContext ctx;
  return b->fn(ctx, args);
}

// The result as JSON text, "undefined", or "error: MESSAGE".
inline std::string Eval(std::string_view name, std::vector<Value> args) {
  BuiltinResult r = Call(name, std::move(args));
  if (!r.ok()) return "error: " + std::string(r.status().message());
  if (!r->has_value()) return "undefined";
  return (*r)->ToJson();
}

// The string a call returns, or a note on what it returned instead.
inline std::string EvalString(std::string_view name, std::vector<Value> args) {
  BuiltinResult r = Call(name, std::move(args));
  if (!r.ok()) return "error: " + std::string(r.status().message());
  if (!r->has_value()) return "undefined";
  if (!(*r)->is_string()) return "not a string: " + (*r)->ToJson();
  return std::string((*r)->string());
}

// The error of a call: its code must be `code`; returns the message.
inline std::string Error(std::string_view name, std::vector<Value> args,
                         absl::StatusCode code) {
  BuiltinResult r = Call(name, std::move(args));
  EXPECT_FALSE(r.ok()) << name;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), code) << r.status();
  return std::string(r.status().message());
}

// The status codes of operand type errors and other builtin errors.
inline constexpr auto kType = absl::StatusCode::kInvalidArgument;
inline constexpr auto kBuiltin = absl::StatusCode::kUnknown;

inline Value S(std::string_view s) { return Value::String(s); }
inline Value I(int64_t i) { return Value::Int(i); }

}  // namespace policyd::testing

#endif  // POLICYD_TESTS_ENGINE_BUILTINS_TEXT_TEST_UTIL_H_
