// The admission webhook and `policyd verify` of the real binary: a bad
// template keeps the last good snapshot serving, admission decisions reach
// the decision log, and suites pass or fail with the right exit status.
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/policyd_process.h"

namespace policyd {
namespace {

using ::policyd::testing::FreshDir;
using ::policyd::testing::Http;
using ::policyd::testing::PolicydProcess;
using ::policyd::testing::WriteBundle;
using ::policyd::testing::WriteFile;
using ::testing::HasSubstr;

const char kTemplate[] = R"(
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8srequiredlabels}
spec:
  crd:
    spec:
      names: {kind: K8sRequiredLabels}
      validation:
        openAPIV3Schema:
          type: object
          properties:
            labels: {type: array, items: {type: string}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package k8srequiredlabels
      violation[{"msg": msg}] {
        provided := {l | input.review.object.metadata.labels[l]}
        missing := {l | l := input.parameters.labels[_]} - provided
        count(missing) > 0
        msg := sprintf("you must provide labels: %v", [missing])
      }
)";

std::string Constraint(const std::string& labels) {
  return R"(
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: ns-must-have-test}
spec:
  match: {kinds: [{apiGroups: [""], kinds: [Namespace]}]}
  parameters: {labels: )" + labels + "}\n";
}

const char kReview[] = R"({"apiVersion": "admission.k8s.io/v1",
  "kind": "AdmissionReview", "request": {"uid": "u-1", "operation": "CREATE",
  "kind": {"group": "", "version": "v1", "kind": "Namespace"}, "name": "a",
  "object": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}}})";

TEST(AdmissionTest, ABadTemplateKeepsTheLastGoodSnapshot) {
  std::string dir = FreshDir("admission_reload");
  WriteBundle(dir + "/bundles", "k8s", "r1",
              {{"template.yaml", kTemplate}, {"constraint.yaml", Constraint("[test]")}});
  std::string log = dir + "/decisions.log";
  auto server = PolicydProcess::Start(
      {"--bundles", dir + "/bundles", "--decision-log", log,
       "--watch-poll-interval", "100ms"});
  ASSERT_NE(server, nullptr);
  auto denied = Http(server->http_port, "POST", "/v1/admit", kReview);
  EXPECT_EQ(denied.status, 200);
  EXPECT_THAT(denied.body, HasSubstr("[ns-must-have-test] you must provide labels: "
                                     "{\\\"test\\\"}"));

  // Parameters that fail the schema: the reload fails, r1 keeps serving.
  WriteBundle(dir + "/bundles", "k8s", "r2",
              {{"template.yaml", kTemplate}, {"constraint.yaml", Constraint("test")}});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (server->Stderr().find("reload failed") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_THAT(server->Stderr(),
              HasSubstr("k8s/constraint.yaml: K8sRequiredLabels ns-must-have-test: "
                        "parameters do not match the template's schema"));
  auto still = Http(server->http_port, "POST", "/v1/admit", kReview);
  EXPECT_THAT(still.body, HasSubstr("\"allowed\":false"));
  EXPECT_THAT(server->Stderr(), HasSubstr("the previous bundles keep serving"));

  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0);
  std::ifstream in(log);
  std::stringstream lines;
  lines << in.rdbuf();
  EXPECT_THAT(lines.str(), HasSubstr("\"api\":\"admission\""));
  EXPECT_THAT(lines.str(), HasSubstr("\"path\":\"v1/admit\""));
  EXPECT_THAT(lines.str(), HasSubstr("\"allowed\":false"));
}

// Runs `policyd verify ARGS`; the exit status and what it printed.
std::pair<int, std::string> Verify(const std::string& args) {
  std::string command = std::string(POLICYD_BINARY) + " verify " + args + " 2>&1";
  FILE* p = ::popen(command.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(AdmissionTest, VerifyPassesAndFailsSuites) {
  std::string dir = FreshDir("admission_verify");
  WriteFile(dir + "/template.yaml", kTemplate);
  WriteFile(dir + "/constraint.yaml", Constraint("[test]"));
  WriteFile(dir + "/good.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {test: x}}\n");
  WriteFile(dir + "/bad.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n");
  const std::string head =
      "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\ntests:\n"
      "- name: labels\n  template: template.yaml\n  constraint: constraint.yaml\n"
      "  cases:\n";
  WriteFile(dir + "/pass/suite.yaml",
            head + "  - {name: good, object: ../good.yaml, assertions: [{violations: no}]}\n"
                   "  - {name: bad, object: ../bad.yaml, assertions: [{violations: 1}]}\n");
  // The suite's paths are relative to it.
  WriteFile(dir + "/pass/template.yaml", kTemplate);
  WriteFile(dir + "/pass/constraint.yaml", Constraint("[test]"));
  auto [ok_status, ok_out] = Verify(dir + "/pass");
  EXPECT_EQ(ok_status, 0) << ok_out;
  EXPECT_THAT(ok_out, HasSubstr("ok   " + dir + "/pass/suite.yaml/labels/good\n"));
  EXPECT_THAT(ok_out, ::testing::EndsWith("\n2 passed, 0 failed\n"));

  WriteFile(dir + "/fail.yaml",
            head + "  - {name: good, object: good.yaml, assertions: [{violations: no}]}\n"
                   "  - {name: wrong, object: bad.yaml, assertions: [{violations: no}]}\n");
  auto [bad_status, bad_out] = Verify(dir + "/fail.yaml");
  EXPECT_EQ(bad_status, 1) << bad_out;
  EXPECT_THAT(bad_out, HasSubstr("FAIL " + dir + "/fail.yaml/labels/wrong: expected 0 "
                                 "violation(s), got 1"));
  EXPECT_THAT(bad_out, ::testing::EndsWith("\n1 passed, 1 failed\n"));

  auto [usage_status, usage_out] = Verify("");
  EXPECT_EQ(usage_status, 2);
  auto [missing_status, missing_out] = Verify(dir + "/none.yaml");
  EXPECT_EQ(missing_status, 1);
  EXPECT_THAT(missing_out, HasSubstr("0 passed, 1 failed"));
}

}  // namespace
}  // namespace policyd
