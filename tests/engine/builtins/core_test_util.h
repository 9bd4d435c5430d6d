// Helpers for the core builtin tests (comparison, numbers, bits, aggregates,
// sets, arrays, objects, types): arguments and results are written as Rego
// terms, so sets and non-string keys read naturally:
//
//   EXPECT_EQ(Eval("and", "{1, 2}", "{2, 3}"), "{2}");
//   EXPECT_EQ(Eval("div", "1", "0"), "builtin error: div: divide by zero");
#ifndef POLICYD_TESTS_ENGINE_BUILTINS_CORE_TEST_UTIL_H_
#define POLICYD_TESTS_ENGINE_BUILTINS_CORE_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/builtin.h"
#include "engine/syntax/parser.h"
#include "engine/value/value.h"
#include "gtest/gtest.h"

namespace policyd::core_testing {

// A Value from Rego term text; fails the test on bad text.
inline Value V(std::string_view rego) {
  absl::StatusOr<Value> v = ast::ParseValue(rego);
  EXPECT_TRUE(v.ok()) << rego << ": " << v.status();
  return v.ok() ? *v : Value();
}

// Calls builtin `name` of the default registry. The result is the value in
// Rego term syntax, "undefined", "type error: MESSAGE" (eval_type_error) or
// "builtin error: MESSAGE" (eval_builtin_error).
inline std::string Call(std::string_view name, const std::vector<Value>& args) {
  const Builtin* b = BuiltinRegistry::Default().Find(name);
  if (b == nullptr) return "no builtin " + std::string(name);
  EXPECT_EQ(b->arity, static_cast<int>(args.size())) << name;
  BuiltinContext ctx;
  BuiltinResult r = b->fn(ctx, args);
  if (!r.ok()) {
    std::string message(r.status().message());
    return (r.status().code() == absl::StatusCode::kInvalidArgument ? "type error: "
                                                                    : "builtin error: ") +
           message;
  }
  if (!r->has_value()) return "undefined";
  return (*r)->ToRego();
}

// Eval("plus", "1", "2") == "3": each argument is Rego term text.
template <typename... Args>
std::string Eval(std::string_view name, const Args&... args) {
  return Call(name, {V(args)...});
}

}  // namespace policyd::core_testing

#endif  // POLICYD_TESTS_ENGINE_BUILTINS_CORE_TEST_UTIL_H_
