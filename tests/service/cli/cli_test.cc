// Runs the built policyd binary and checks its output and exit status.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace policyd {
namespace {
namespace fs = std::filesystem;

struct Outcome {
  int status = -1;
  std::string out;  // stdout and stderr
};

Outcome Policyd(const std::string& args) {
  std::string command = std::string("cd '") + POLICYD_SOURCE_DIR + "' && '" +
                        POLICYD_BINARY + "' " + args + " 2>&1";
  Outcome run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string TempFile(const std::string& name, const std::string& text) {
  fs::path path = fs::path(::testing::TempDir()) / "cli_test" / name;
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path.string();
}

TEST(CliTest, HelpListsCommands) {
  Outcome run = Policyd("--help");
  EXPECT_EQ(run.status, 0);
  EXPECT_NE(run.out.find("eval"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("version"), std::string::npos) << run.out;
}

TEST(CliTest, Version) {
  Outcome run = Policyd("version");
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.out.rfind("Version: ", 0), 0u) << run.out;
}

TEST(CliTest, UnknownCommandIsAUsageError) {
  Outcome run = Policyd("frobnicate");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.out.find("unknown command"), std::string::npos) << run.out;
}

TEST(CliTest, EvalWithoutQueryIsAUsageError) {
  Outcome run = Policyd("eval -d examples");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.out.find("Usage: policyd eval"), std::string::npos) << run.out;
}

TEST(CliTest, EvalExamplePrintsOpaJson) {
  Outcome run = Policyd("eval -d examples -i examples/rbac/input.json data.rbac.allow");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_EQ(run.out, R"({
  "result": [
    {
      "expressions": [
        {
          "value": true,
          "text": "data.rbac.allow",
          "location": {
            "row": 1,
            "col": 1
          }
        }
      ]
    }
  ]
}
)");
}

TEST(CliTest, EvalUndefinedIsAnEmptyObject) {
  Outcome run = Policyd("eval -d examples data.rbac.no_such_rule");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_EQ(run.out, "{}\n");
}

TEST(CliTest, EvalPrettyWithYamlInput) {
  std::string input =
      TempFile("input.yaml", "user: eve\naction: adopt\ntype: dog\n");
  Outcome run = Policyd("eval -d examples -i '" + input +
                    "' --format pretty data.rbac.granting_roles");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_EQ(run.out, "[\n  \"customer\"\n]\n");
}

TEST(CliTest, EvalBindingsAppearInJson) {
  Outcome run = Policyd("eval -d examples 'x := data.rbac.user_roles.alice'");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find(R"("bindings": {
        "x": [
          "admin"
        ]
      })"),
            std::string::npos)
      << run.out;
}

TEST(CliTest, EvalParseErrorIsReportedAsOpaErrors) {
  std::string policy = TempFile("bad.rego", "package bad\n\nallow if {\n");
  Outcome run = Policyd("eval -d '" + policy + "' data.bad.allow");
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_EQ(run.out.rfind("{\n  \"errors\": [", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("\"code\": \"rego_parse_error\""), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("bad.rego"), std::string::npos) << run.out;
}

TEST(CliTest, EvalV0Compatible) {
  std::string policy =
      TempFile("v0/policy.rego", "package v0\n\nallow { input.x == 1 }\n");
  std::string input = TempFile("v0/input.json", R"({"x": 1})");
  Outcome run = Policyd("eval --v0-compatible --format pretty -d '" + policy +
                    "' -i '" + input + "' data.v0.allow");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_EQ(run.out, "true\n");
  // The same module is not valid Rego v1.
  EXPECT_EQ(Policyd("eval -d '" + policy + "' data.v0.allow").status, 1);
}

TEST(CliTest, MissingDataPathIsAnError) {
  Outcome run = Policyd("eval -d /nonexistent/policyd data.x");
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.out.find("/nonexistent/policyd"), std::string::npos) << run.out;
}

// ---- policyd test ----

std::string TestDir(const std::string& name, const std::string& tests) {
  TempFile(name + "/policy.rego",
           "package authz\n\nallow if input.user == \"alice\"\n");
  return fs::path(TempFile(name + "/policy_test.rego", tests)).parent_path().string();
}

TEST(CliTest, TestAllPassExitsZeroWithSummary) {
  std::string dir = TestDir("pass", R"(package authz_test
test_alice if data.authz.allow with input as {"user": "alice"}
test_bob if not data.authz.allow with input as {"user": "bob"}
)");
  Outcome run = Policyd("test '" + dir + "'");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_EQ(run.out, "PASS: 2/2\n");
  run = Policyd("test -v '" + dir + "'");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("data.authz_test.test_alice: PASS ("), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(dir + "/policy_test.rego:\n"), std::string::npos) << run.out;
}

TEST(CliTest, TestFailureAndErrorExitTwo) {
  std::string dir = TestDir("fail", R"(package authz_test
test_fails if {
  print("checking bob")
  data.authz.allow with input as {"user": "bob"}
}
test_errors if x
x := y if { y := [1, 2][_] }
todo_test_later if false
)");
  Outcome run = Policyd("test '" + dir + "'");
  EXPECT_EQ(run.status, 2) << run.out;
  EXPECT_NE(run.out.find("data.authz_test.test_fails: FAIL ("), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\n  checking bob\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("data.authz_test.test_errors: ERROR ("), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("eval_conflict_error"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("data.authz_test.todo_test_later: SKIPPED\n"), std::string::npos);
  EXPECT_NE(run.out.find("FAIL: 1/3\nSKIPPED: 1/3\nERROR: 1/3\n"), std::string::npos)
      << run.out;
  // --run leaves the failing tests out.
  run = Policyd("test --run todo '" + dir + "'");
  EXPECT_EQ(run.status, 0) << run.out;
}

TEST(CliTest, TestCompileErrorExitsOne) {
  std::string dir = TestDir("compile", "package authz_test\ntest_x if { y }\n");
  Outcome run = Policyd("test '" + dir + "'");
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_NE(run.out.find("policy_test.rego:2"), std::string::npos) << run.out;
  EXPECT_EQ(Policyd("test /nonexistent/policyd").status, 1);
  EXPECT_EQ(Policyd("test").status, 2);
  EXPECT_EQ(Policyd("test --format xml '" + dir + "'").status, 2);
}

TEST(CliTest, TestJsonFormat) {
  std::string dir = TestDir("json", "package authz_test\ntest_a if true\n");
  Outcome run = Policyd("test --format json '" + dir + "'");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("\"name\": \"test_a\""), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"package\": \"data.authz_test\""), std::string::npos);
}

TEST(CliTest, TestCoverageReport) {
  std::string dir = TestDir("coverage", R"(package authz_test
test_alice if data.authz.allow with input as {"user": "alice"}
)");
  Outcome run = Policyd("test --coverage '" + dir + "'");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("\"coverage\": 100"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"covered_lines\": 2,\n  \"not_covered_lines\": 0"), std::string::npos) << run.out;
}

TEST(CliTest, TestV0Compatible) {
  std::string dir = TempFile("v0/p_test.rego", "package p\ntest_v0 { true }\n");
  EXPECT_EQ(Policyd("test '" + dir + "'").status, 1);
  Outcome run = Policyd("test --v0-compatible '" + dir + "'");
  EXPECT_EQ(run.status, 0) << run.out;
}

TEST(CliTest, TestTimeout) {
  std::string dir = TestDir("timeout", R"(package authz_test
test_slow if {
  n := numbers.range(1, 3000)
  count([x | some a in n; some b in n; x := a * b]) > 0
}
)");
  Outcome run = Policyd("test --timeout 20ms '" + dir + "'");
  EXPECT_EQ(run.status, 2) << run.out;
  EXPECT_NE(run.out.find("eval_cancel_error"), std::string::npos) << run.out;
  EXPECT_EQ(Policyd("test --timeout soon '" + dir + "'").status, 2);
}

}  // namespace
}  // namespace policyd
