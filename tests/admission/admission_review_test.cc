#include "admission/admission_review.h"

#include "absl/strings/match.h"
#include "engine/value/json.h"
#include "gtest/gtest.h"
#include "tests/admission/test_objects.h"

namespace policyd::admission {
namespace {

const char kReview[] = R"({
  "apiVersion": "admission.k8s.io/v1",
  "kind": "AdmissionReview",
  "request": {
    "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
    "kind": {"group": "", "version": "v1", "kind": "Namespace"},
    "resource": {"group": "", "version": "v1", "resource": "namespaces"},
    "name": "team-a",
    "operation": "CREATE",
    "userInfo": {"username": "admin"},
    "object": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}},
    "oldObject": null,
    "dryRun": false
  }
})";

TEST(AdmissionReviewTest, ParsesTheRequest) {
  absl::StatusOr<AdmissionReview> r = ParseAdmissionReview(kReview);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->uid, "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_EQ(r->api_version, "admission.k8s.io/v1");
  EXPECT_EQ(*r->request.Find("operation"), Value::String("CREATE"));
}

TEST(AdmissionReviewTest, RefusesMalformedReviews) {
  struct Case { const char* json; const char* error; };
  for (const Case& c : {
           Case{"not json", "malformed AdmissionReview: "},
           Case{"[]", "malformed AdmissionReview: expected a JSON object"},
           Case{R"({"apiVersion": "v1", "kind": "AdmissionReview"})",
                "malformed AdmissionReview: apiVersion must be admission.k8s.io/v1"},
           Case{R"({"apiVersion": "admission.k8s.io/v1", "kind": "Pod"})",
                "malformed AdmissionReview: kind must be AdmissionReview"},
           Case{R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"})",
                "malformed AdmissionReview: request: expected an object"},
           Case{R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                    "request": {"kind": {"kind": "Pod"}, "operation": "CREATE"}})",
                "malformed AdmissionReview: request.uid: expected a string"},
           Case{R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                    "request": {"uid": "u", "operation": "CREATE"}})",
                "malformed AdmissionReview: request.kind: expected {group, version, kind}"},
           Case{R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                    "request": {"uid": "u", "kind": {"kind": "Pod"}}})",
                "malformed AdmissionReview: request.operation: expected a string"},
           Case{R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                    "request": {"uid": "u", "kind": {"kind": "Pod"}, "operation": "CREATE",
                                "object": "x"}})",
                "malformed AdmissionReview: request.object: expected an object"},
       }) {
    absl::StatusOr<AdmissionReview> r = ParseAdmissionReview(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_TRUE(absl::StartsWith(r.status().message(), c.error)) << r.status();
  }
}

TEST(AdmissionReviewTest, AnswersWithTheUidMessagesAndWarnings) {
  AdmissionReview review = *ParseAdmissionReview(kReview);
  Constraint deny{.name = "ns-must-have-test"};
  Constraint warn{.name = "prefer-owner"};
  Decision d;
  d.allowed = false;
  d.deny = {{&deny, "you must provide labels: {\"test\"}", Value(), false},
            {&deny, "second", Value(), false}};
  d.warn = {{&warn, "add an owner", Value(), false}};
  EXPECT_EQ(AdmissionResponse(review, d), *ParseJson(R"({
    "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
    "response": {
      "uid": "705ab4f5-6393-11e8-b7cc-42010a800002", "allowed": false,
      "status": {"code": 403, "reason": "Forbidden",
                 "message": "[ns-must-have-test] you must provide labels: {\"test\"}\n[ns-must-have-test] second"},
      "warnings": ["[prefer-owner] add an owner"]}})"));
  Decision allowed;
  EXPECT_EQ(AdmissionResponse(review, allowed), *ParseJson(R"({
    "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
    "response": {"uid": "705ab4f5-6393-11e8-b7cc-42010a800002", "allowed": true}})"));
}

TEST(AdmissionReviewTest, RequestForObjectSplitsTheApiVersion) {
  Value r = RequestForObject(
      Object("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: b}"),
      "CREATE");
  EXPECT_EQ(*r.Find("kind"), Object("{group: apps, version: v1, kind: Deployment}"));
  EXPECT_EQ(*r.Find("namespace"), Value::String("b"));
  Value core = RequestForObject(Object("apiVersion: v1\nkind: Pod"), "CREATE");
  EXPECT_EQ(*core.Find("kind"), Object("{group: '', version: v1, kind: Pod}"));
}

}  // namespace
}  // namespace policyd::admission
