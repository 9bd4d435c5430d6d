#include "service/api/admission_webhook.h"

#include <filesystem>
#include <fstream>

#include "admission/bundle_extension.h"
#include "engine/value/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;

const char kTemplate[] = R"(
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8sneedslabel}
spec:
  crd: {spec: {names: {kind: K8sNeedsLabel}}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package needslabel
      violation[{"msg": msg}] {
        not input.review.object.metadata.labels[input.parameters.label]
        msg := sprintf("label %v is required", [input.parameters.label])
      }
)";

std::string Constraint(const std::string& name, const std::string& label,
                       const std::string& action) {
  return "---\napiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sNeedsLabel\n"
         "metadata: {name: " + name + "}\nspec:\n  enforcementAction: " + action +
         "\n  parameters: {label: " + label + "}\n";
}

std::string Review(const std::string& labels) {
  return R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
    "request": {"uid": "u-7", "operation": "CREATE", "name": "a",
      "kind": {"group": "", "version": "v1", "kind": "Namespace"},
      "object": {"metadata": {"name": "a", "labels": )" + labels + "}}}}";
}

class AdmissionWebhookTest : public ::testing::Test {
 protected:
  void Load(const std::string& constraints,
            Decider::Options limits = Decider::Options()) {
    std::filesystem::path dir =
        std::filesystem::path(::testing::TempDir()) / "admission_webhook" /
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "k8s");
    std::ofstream(dir / "k8s" / "policy.yaml") << kTemplate << constraints;
    bundles::StoreOptions options;
    options.extension = admission::AdmissionExtensionBuilder("");
    store_ = std::make_unique<bundles::Store>(dir.string(), options);
    ASSERT_TRUE(store_->Reload().ok());
    decider_ = std::make_unique<Decider>(store_.get(), &metrics_, nullptr, limits);
    webhook_ = std::make_unique<AdmissionWebhook>(decider_.get());
  }
  Value Response(const WebhookResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    absl::StatusOr<Value> v = ParseJson(r.body);
    EXPECT_TRUE(v.ok());
    const Value* response = v.ok() ? v->Find("response") : nullptr;
    return response != nullptr ? *response : Value();
  }

  ServiceMetrics metrics_;
  std::unique_ptr<bundles::Store> store_;
  std::unique_ptr<Decider> decider_;
  std::unique_ptr<AdmissionWebhook> webhook_;
};

TEST_F(AdmissionWebhookTest, DenyAnswersWithTheUidAndCountsTheViolation) {
  Load(Constraint("needs-test", "test", "deny"));
  Value refused = Response(webhook_->Handle(Review("{}")));
  EXPECT_EQ(refused, *ParseJson(R"({"uid": "u-7", "allowed": false,
      "status": {"code": 403, "reason": "Forbidden",
                 "message": "[needs-test] label test is required"}})"));
  Value admitted = Response(webhook_->Handle(Review(R"({"test": "x"})")));
  EXPECT_EQ(admitted, *ParseJson(R"({"uid": "u-7", "allowed": true})"));
  std::string text = metrics_.Render();
  EXPECT_THAT(text, HasSubstr(
      // prometheus-cpp writes labels in name order.
      "policyd_admission_violations_total{action=\"deny\","
      "constraint=\"K8sNeedsLabel/needs-test\"} 1"));
  EXPECT_THAT(text, HasSubstr("policyd_decisions_total{api=\"admission\",outcome=\"deny\"} 1"));
  EXPECT_THAT(text, HasSubstr("policyd_decisions_total{api=\"admission\",outcome=\"allow\"} 1"));
}

// Reviews run under the decider's limits, as every other decision does: a
// constraint that runs out of them refuses with the limit's error.
TEST_F(AdmissionWebhookTest, ReviewsRunUnderTheDecidersLimits) {
  Decider::Options limits;
  limits.max_memory_bytes = 1;  // the message sprintf builds does not fit
  Load(Constraint("needs-test", "test", "deny"), limits);
  Value r = Response(webhook_->Handle(Review("{}")));
  EXPECT_FALSE(r.Find("allowed")->boolean()) << r.ToJson();
  EXPECT_THAT(r.ToJson(), HasSubstr("decision memory budget exceeded"));
}

TEST_F(AdmissionWebhookTest, WarnAndDryrunAdmit) {
  Load(Constraint("warn-owner", "owner", "warn") +
       Constraint("dry-team", "team", "dryrun"));
  Value r = Response(webhook_->Handle(Review("{}")));
  EXPECT_EQ(r, *ParseJson(R"({"uid": "u-7", "allowed": true,
      "warnings": ["[warn-owner] label owner is required"]})"));
  EXPECT_THAT(metrics_.Render(), HasSubstr(
      "policyd_admission_violations_total{action=\"dryrun\","
      "constraint=\"K8sNeedsLabel/dry-team\"} 1"));
}

TEST_F(AdmissionWebhookTest, MalformedReviewIs400) {
  Load("");
  WebhookResponse r = webhook_->Handle(R"({"apiVersion": "admission.k8s.io/v1"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(*ParseJson(r.body), *ParseJson(R"({"code": "invalid_parameter",
      "message": "malformed AdmissionReview: kind must be AdmissionReview"})"));
  EXPECT_THAT(metrics_.Render(), HasSubstr(
      "policyd_request_errors_total{api=\"admission\",reason=\"invalid_argument\"} 1"));
}

TEST_F(AdmissionWebhookTest, NoActiveBundleIs503) {
  ServiceMetrics metrics;
  bundles::Store empty("/nonexistent", bundles::StoreOptions());
  Decider decider(&empty, &metrics, nullptr, Decider::Options());
  AdmissionWebhook webhook(&decider);
  WebhookResponse r = webhook.Handle(Review("{}"));
  EXPECT_EQ(r.status, 503);
  EXPECT_THAT(r.body, HasSubstr("no bundle is active yet"));
}

}  // namespace
}  // namespace policyd
