#include "engine/eval/evaluator.h"

#include <pthread.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "engine/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/eval_test_util.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;
using testing::CompileText;
using testing::Eval;
using testing::EvalJson;

TEST(EvaluatorTest, IteratesAndCollectsPartialSets) {
  EXPECT_EQ(Eval("package t\nadmins contains u.name if {\n  some u in input.users\n"
                 "  u.role == \"admin\"\n}",
                 "data.t.admins",
                 R"({"users": [{"name": "b", "role": "admin"}, {"name": "a", "role": "admin"},
                               {"name": "c", "role": "dev"}]})"),
            R"(["a","b"])");
}

TEST(EvaluatorTest, PartialObjectsAndRefHeads) {
  EXPECT_EQ(Eval("package t\nroles[u] := r if some u, r in input\n"
                 "a.b[k].c := 1 if some k in [\"x\", \"y\"]",
                 "data.t", R"({"bob": "dev"})"),
            R"({"a":{"b":{"x":{"c":1},"y":{"c":1}}},"roles":{"bob":"dev"}})");
}

TEST(EvaluatorTest, DefaultAndElse) {
  const char* module =
      "package t\ndefault allow := false\nallow if input.ok\n"
      "grade := \"a\" if input.n > 90\nelse := \"b\" if input.n > 80\nelse := \"c\"";
  EXPECT_EQ(Eval(module, "data.t.allow", "{}"), "false");
  EXPECT_EQ(Eval(module, "data.t.allow", R"({"ok": true})"), "true");
  EXPECT_EQ(Eval(module, "data.t.grade", R"({"n": 85})"), R"("b")");
  EXPECT_EQ(Eval(module, "data.t.grade", R"({"n": 1})"), R"("c")");
}

TEST(EvaluatorTest, FunctionsWithSeveralDefinitions) {
  const char* module =
      "package t\nf(x) := \"neg\" if x < 0\nf(x) := \"pos\" if x > 0\n"
      "f(0) := \"zero\"\np := [f(-1), f(0), f(2)]";
  EXPECT_EQ(Eval(module, "data.t.p"), R"(["neg","zero","pos"])");
}

TEST(EvaluatorTest, EveryAndNot) {
  const char* module =
      "package t\nall_small if every x in input.xs { x < 10 }\n"
      "none_big if not any_big\nany_big if {\n  some x in input.xs\n  x >= 10\n}";
  EXPECT_EQ(Eval(module, "data.t.all_small", R"({"xs": [1, 2]})"), "true");
  EXPECT_EQ(Eval(module, "data.t.all_small", R"({"xs": [1, 20]})"), "undefined");
  EXPECT_EQ(Eval(module, "data.t.none_big", R"({"xs": [1, 20]})"), "undefined");
  EXPECT_EQ(Eval(module, "data.t.none_big", R"({"xs": [1]})"), "true");
}

TEST(EvaluatorTest, Comprehensions) {
  EXPECT_EQ(Eval("package t\np := {k: v | some k, v in input; v > 1}\n"
                 "q := {x | some x in [3, 1, 3]}\nr := [x * 2 | some x in [1, 2]]",
                 "[data.t.p, data.t.q, data.t.r]", R"({"a": 1, "b": 2})"),
            R"([{"b":2},[1,3],[2,4]])");
}

TEST(EvaluatorTest, WithReplacesInputDataAndFunctions) {
  const char* module =
      "package t\nname := input.user.name\nlimit := data.cfg.limit\n"
      "f(x) := x + 1\ng(x) := x * 10\nuses_f := f(1)\n"
      "p := [a, b, c] if {\n  a := name with input.user.name as \"eve\"\n"
      "  b := limit with data.cfg.limit as 5\n  c := uses_f with f as g\n}";
  EXPECT_EQ(Eval(module, "data.t.p", "{}", R"({"cfg": {"limit": 1}})"),
            R"(["eve",5,10])");
}

TEST(EvaluatorTest, ConflictingCompleteRulesAreAnError) {
  auto engine = CompileText({"package t\np := 1 if input.a\np := 2 if input.b"});
  ASSERT_TRUE(engine.ok());
  auto q = (*engine)->Prepare("data.t.p");
  ASSERT_TRUE(q.ok());
  Value input = *ParseJson(R"({"a": true, "b": true})");
  EvalOptions options;
  options.input = &input;
  ResultSet rs = q->Eval(options);
  EXPECT_EQ(ErrorCode(rs.error), kEvalConflictError);
  EXPECT_THAT(rs.error.message(), HasSubstr("complete rules must not produce multiple outputs"));
}

TEST(EvaluatorTest, BuiltinErrorsAreUndefinedUnlessStrict) {
  auto engine = CompileText({"package t\np := 1 / input.d"});
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ(EvalJson(*engine, "data.t.p", R"({"d": 0})"), "undefined");
  EvalOptions strict;
  strict.strict_builtin_errors = true;
  std::string out = EvalJson(*engine, "data.t.p", R"({"d": 0})", strict);
  EXPECT_THAT(out, HasSubstr("eval_builtin_error: div: divide by zero"));
}

TEST(EvaluatorTest, TypeErrorsCarryTheirCode) {
  auto engine = CompileText({"package t\np := count(input)"});
  ASSERT_TRUE(engine.ok());
  auto q = (*engine)->Prepare("data.t.p");
  Value input = Value::Int(1);
  EvalOptions options;
  options.input = &input;
  options.strict_builtin_errors = true;
  ResultSet rs = q->Eval(options);
  EXPECT_EQ(ErrorCode(rs.error), kEvalTypeError);
}

TEST(EvaluatorTest, PrintGoesToTheSink) {
  auto engine = CompileText({"package t\np if {\n  print(\"user\", input.u, input.missing)\n}"});
  ASSERT_TRUE(engine.ok());
  std::vector<std::string> lines;
  EvalOptions options;
  options.print = [&](std::string_view line) { lines.emplace_back(line); };
  EXPECT_EQ(EvalJson(*engine, "data.t.p", R"({"u": "bob"})", options), "true");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "user bob <undefined>");
}

TEST(EvaluatorTest, StepBudgetStopsRunawayPolicies) {
  auto engine = CompileText({"package t\np := count([1 | some a in numbers.range(1, 300); "
                             "some b in numbers.range(1, 300)])"});
  ASSERT_TRUE(engine.ok());
  auto q = (*engine)->Prepare("data.t.p");
  EvalOptions options;
  options.max_steps = 10000;
  ResultSet rs = q->Eval(options);
  EXPECT_EQ(ErrorCode(rs.error), kEvalLimitError);
  EXPECT_EQ(rs.error.code(), absl::StatusCode::kResourceExhausted);
}

TEST(EvaluatorTest, DeadlineStopsEvaluation) {
  auto engine = CompileText({"package t\np := count([1 | some a in numbers.range(1, 2000); "
                             "some b in numbers.range(1, 2000)])"});
  ASSERT_TRUE(engine.ok());
  auto q = (*engine)->Prepare("data.t.p");
  EvalOptions options;
  options.deadline = absl::Now();  // already passed
  ResultSet rs = q->Eval(options);
  EXPECT_EQ(ErrorCode(rs.error), kEvalCancelError);
  EXPECT_EQ(rs.error.code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(EvaluatorTest, RuleValuesAreMemoisedWithinAQuery) {
  // `expensive` would take 100 * 100 steps per use without the memo.
  auto engine = CompileText({"package t\nexpensive := count([1 | some a in numbers.range(1, 100); "
                             "some b in numbers.range(1, 100)])\n"
                             "p := [expensive | some i in numbers.range(1, 50)]\n"
                             "n := count(p)"});
  ASSERT_TRUE(engine.ok());
  auto q = (*engine)->Prepare("data.t.n");
  EvalOptions options;
  options.max_steps = 40000;
  ResultSet rs = q->Eval(options);
  ASSERT_TRUE(rs.error.ok()) << rs.error;
  EXPECT_EQ(rs.rows[0].expressions[0].ToJson(), "50");
}

TEST(EvaluatorTest, OneEngineEvaluatesConcurrentlyFromManyThreads) {
  auto engine = CompileText(
      {"package t\ndefault allow := false\nallow if {\n  some g in data.groups[input.user]\n"
       "  g == \"admin\"\n}\ncount_groups := count(data.groups[input.user])"},
      R"({"groups": {"alice": ["admin", "dev"], "bob": ["dev"]}})");
  ASSERT_TRUE(engine.ok());
  auto q = (*engine)->Prepare("[data.t.allow, data.t.count_groups]");
  ASSERT_TRUE(q.ok());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Value alice = *ParseJson(R"({"user": "alice"})");
      Value bob = *ParseJson(R"({"user": "bob"})");
      for (int i = 0; i < 2000; ++i) {
        bool use_alice = (i + t) % 2 == 0;
        EvalOptions options;
        options.input = use_alice ? &alice : &bob;
        auto v = q->EvalValue(options);
        std::string want = use_alice ? "[true,2]" : "[false,1]";
        if (!v.ok() || !*v || (*v)->ToJson() != want) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(EvaluatorTest, BigNumbersStayExact) {
  EXPECT_EQ(Eval("package t\np := input.a + 1", "data.t.p",
                 R"({"a": 123456789012345678901234567890})"),
            "123456789012345678901234567891");
  EXPECT_EQ(Eval("package t\np if 1 == 1.0", "data.t.p"), "true");
}

// A body of 40,000 true conditions overflowed the stack at decision time.
// Conditions decided inline run in a loop, so 400,000 of them are fine.
TEST(EvaluatorTest, LongBodiesOfConditionsEvaluate) {
  std::string m = "package t\nallow if {\n";
  for (int i = 0; i < 20000; ++i) m += "input.a == 1\nnot input.a == 2\n";
  m += "}\n";
  auto engine = CompileText({m});
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ(EvalJson(*engine, "data.t.allow", R"({"a": 1})"), "true");
  EXPECT_EQ(EvalJson(*engine, "data.t.allow", R"({"a": 2})"), "undefined");
}

// Each rule evaluates the one before it: 10,000 crashed.
TEST(EvaluatorTest, LongChainsOfRulesAreADecisionError) {
  std::string m = "package t\nr0 := 1\n";
  for (int i = 1; i < 100000; ++i) {
    m += "r" + std::to_string(i) + " := r" + std::to_string(i - 1) + " + 1\n";
  }
  auto engine = CompileText({m});
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_THAT(EvalJson(*engine, "data.t.r99999"),
              HasSubstr("eval_limit_error: evaluation nested too deeply"));
  // A chain of a few hundred rules evaluates (under ASan too, whose frames
  // are many times larger).
  EXPECT_EQ(EvalJson(*engine, "data.t.r300"), "301");
}

// The limits hold on threads with small stacks too (the service evaluates
// on its worker and completion-queue threads): the deepest tree the parser
// accepts evaluates; a long chain of rules and a long body of
// expressions that bind variables (each nests its continuation) fail
// cleanly.
#ifdef __SANITIZE_ADDRESS__
// AddressSanitizer's frames are many times larger than a release build's:
// the same depths need a proportionally larger stack.
constexpr size_t kSmallStack = 4 << 20;
#else
constexpr size_t kSmallStack = 512 << 10;
#endif

TEST(EvaluatorTest, LimitsHoldOnASmallStack) {
  std::string chain = "1";
  for (int i = 1; i < 120; ++i) chain += " + 1";
  std::string rules = "package t\nr0 := 1\n";
  for (int i = 1; i < 5000; ++i) {
    rules += "r" + std::to_string(i) + " := r" + std::to_string(i - 1) + " + 1\n";
  }
  std::string body = "package b\nallow if {\n";
  for (int i = 0; i < 4000; ++i) body += "x" + std::to_string(i) + " := input.a\n";
  body += "}\n";
  auto engine = CompileText({"package s\nx := [[[" + chain + "]]]", rules, body});
  ASSERT_TRUE(engine.ok()) << engine.status();
  std::string sum, deep, binding;
  auto run = [&] {
    sum = EvalJson(*engine, "data.s.x");
    deep = EvalJson(*engine, "data.t.r4999");
    binding = EvalJson(*engine, "data.b.allow", R"({"a": 1})");
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kSmallStack);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, [](void* fn) -> void* {
    (*static_cast<decltype(run)*>(fn))();
    return nullptr;
  }, &run), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_EQ(sum, "[[[120]]]");
  EXPECT_THAT(deep, HasSubstr("eval_limit_error: evaluation nested too deeply"));
  EXPECT_THAT(binding, HasSubstr("eval_limit_error: evaluation nested too deeply"));
}

// One `replace` built a 1.5 GB string from a 1.5 MB input and answered.
// The result's size is charged to the decision's memory budget before it is
// built, and running out fails the decision (a deny rule cannot pass
// because a builtin went undefined).
TEST(EvaluatorTest, MemoryBudgetBoundsWhatBuiltinsBuild) {
  auto engine = CompileText({"package t\nbig := replace(input.s, \"a\", input.r)\n"
                             "joined := concat(\"\", [input.s, input.s])\n"});
  ASSERT_TRUE(engine.ok()) << engine.status();
  std::string input = R"({"s": ")" + std::string(1500000, 'a') + R"(", "r": ")" +
                      std::string(1000, 'b') + R"("})";
  EXPECT_THAT(EvalJson(*engine, "data.t.big", input),
              HasSubstr("eval_limit_error: replace: decision memory budget exceeded"));
  EvalOptions small;
  small.max_memory_bytes = 1 << 20;
  EXPECT_THAT(EvalJson(*engine, "data.t.joined", input, small),
              HasSubstr("eval_limit_error: concat: decision memory budget exceeded"));
  small.max_memory_bytes = 0;  // no limit
  EXPECT_EQ(EvalJson(*engine, "count(data.t.joined)", input, small), "3000000");
  // Results of any builtin are charged: many small ones add up.
  auto many = CompileText({"package t\nxs := [x | some i in numbers.range(1, 2000); "
                           "x := concat(\"\", [input.s, \"b\"])]\n"});
  ASSERT_TRUE(many.ok()) << many.status();
  small.max_memory_bytes = 64 << 20;
  std::string kb = R"({"s": ")" + std::string(100000, 'a') + R"("})";
  EXPECT_THAT(EvalJson(*many, "count(data.t.xs)", kb, small),
              HasSubstr("decision memory budget exceeded"));
}

}  // namespace
}  // namespace policyd
