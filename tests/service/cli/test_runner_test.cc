#include "service/cli/test_runner.h"

#include "engine/value/json.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

using Outcome = TestResult::Outcome;

constexpr char kPolicy[] = R"(package authz

allow if {
	input.path == ["users"]
	input.method == "POST"
}

is_admin(user) if user == "root"
)";

absl::StatusOr<TestRun> RunRego(const std::string& tests,
                            const TestOptions& options = {},
                            Value data = Value()) {
  return RunTests({{"policy.rego", kPolicy}, {"policy_test.rego", tests}},
                  data.is_null() ? *ParseJson("{}") : data, options);
}

TEST(TestRunnerTest, PassFailErrorAndSkip) {
  absl::StatusOr<TestRun> run = RunRego(R"(package authz_test
import data.authz

test_post if authz.allow with input as {"path": ["users"], "method": "POST"}
test_get if authz.allow with input as {"path": ["users"], "method": "GET"}
test_value := 7
test_conflict if conflict
conflict := x if { x := [1, 2][_] }
todo_test_later if false
)");
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->results.size(), 5u);
  EXPECT_EQ(run->results[0].name, "test_post");
  EXPECT_EQ(run->results[0].package, "data.authz_test");
  EXPECT_EQ(run->results[0].file, "policy_test.rego");
  EXPECT_EQ(run->results[0].location.line, 4);
  EXPECT_EQ(run->results[0].outcome, Outcome::kPass);
  EXPECT_EQ(run->results[1].outcome, Outcome::kFail);  // undefined
  EXPECT_EQ(run->results[2].outcome, Outcome::kFail);  // not `true`
  EXPECT_EQ(run->results[3].outcome, Outcome::kError);
  EXPECT_NE(run->results[3].error.message().find("eval_conflict_error"),
            std::string::npos);
  EXPECT_EQ(run->results[4].name, "todo_test_later");
  EXPECT_EQ(run->results[4].outcome, Outcome::kSkip);
}

TEST(TestRunnerTest, WithMocksDataInputAndFunctions) {
  absl::StatusOr<TestRun> run = RunRego(R"(package authz_test
import data.authz

test_function if authz.is_admin("bob") with authz.is_admin as true
test_builtin if count([1]) == 5 with count as 5
test_data if data.roles.admin == ["root"] with data.roles.admin as ["root"]
test_input if input.x == 1 with input as {"x": 1}
test_unmocked if not authz.is_admin("bob")
)");
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->results.size(), 5u);
  for (const TestResult& r : run->results) {
    EXPECT_EQ(r.outcome, Outcome::kPass) << r.name;
  }
}

TEST(TestRunnerTest, DuplicateNamesRunSeparatelyWithOpaNumbering) {
  absl::StatusOr<TestRun> run = RunRego(R"(package t
test_dup if true
test_dup if false
test_dup if true
)");
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->results.size(), 3u);
  EXPECT_EQ(run->results[0].name, "test_dup");
  EXPECT_EQ(run->results[0].outcome, Outcome::kPass);
  EXPECT_EQ(run->results[1].name, "test_dup#01");
  EXPECT_EQ(run->results[1].outcome, Outcome::kFail);
  EXPECT_EQ(run->results[2].name, "test_dup#02");
  EXPECT_EQ(run->results[2].outcome, Outcome::kPass);
}

TEST(TestRunnerTest, RunFiltersByFullName) {
  TestOptions options;
  options.run_regex = "t\\.test_b";
  absl::StatusOr<TestRun> run = RunRego(R"(package t
test_a if true
test_b if true
test_bc if true
)", options);
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->results.size(), 2u);
  EXPECT_EQ(run->results[0].name, "test_b");
  EXPECT_EQ(run->results[1].name, "test_bc");
}

TEST(TestRunnerTest, BadRegexIsAnError) {
  TestOptions options;
  options.run_regex = "(";
  absl::StatusOr<TestRun> run = RunRego("package t\ntest_a if true\n", options);
  EXPECT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find("--run"), std::string::npos);
}

TEST(TestRunnerTest, PrintOutputIsKeptPerTest) {
  absl::StatusOr<TestRun> run = RunRego(R"(package t
test_a if { print("one", 1); print("two") }
test_b if true
)");
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->results.size(), 2u);
  EXPECT_EQ(run->results[0].output, "one 1\ntwo\n");
  EXPECT_EQ(run->results[1].output, "");
}

TEST(TestRunnerTest, CompileErrorFailsTheRun) {
  absl::StatusOr<TestRun> run = RunRego("package t\ntest_a if { x }\n");
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find("policy_test.rego:2"), std::string::npos)
      << run.status();
  EXPECT_FALSE(RunRego("package t\ntest_a if {\n").ok());
}

TEST(TestRunnerTest, TimeoutIsAnError) {
  TestOptions options;
  options.timeout = absl::Milliseconds(50);
  absl::StatusOr<TestRun> run = RunRego(R"(package t
test_slow if {
  n := numbers.range(1, 2000)
  count([x | some a in n; some b in n; x := a * b]) > 0
}
)", options);
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->results.size(), 1u);
  EXPECT_EQ(run->results[0].outcome, Outcome::kError);
  EXPECT_NE(run->results[0].error.message().find("eval_cancel_error"),
            std::string::npos) << run->results[0].error;
}

TEST(TestRunnerTest, TestsInRefHeadsAndDataFiles) {
  absl::StatusOr<TestRun> run = RunRego(R"(package t
a.test_nested if data.limits.max == 3
)", {}, *ParseJson(R"({"limits": {"max": 3}})"));
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->results.size(), 1u);
  EXPECT_EQ(run->results[0].name, "a.test_nested");
  EXPECT_EQ(run->results[0].outcome, Outcome::kPass);
}

}  // namespace
}  // namespace policyd
