#include "service/api/admission_webhook.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "admission/admission_review.h"
#include "admission/bundle_extension.h"

namespace policyd {
namespace {

constexpr std::string_view kApi = "admission";
constexpr std::string_view kPath = "v1/admit";

WebhookResponse Error(int status, std::string_view code,
                      absl::string_view message) {
  return {status, Value::Object({{Value::String("code"), Value::String(code)},
                                 {Value::String("message"),
                                  Value::String(std::string(message))}})
                      .ToJson()};
}

}  // namespace

AdmissionWebhook::AdmissionWebhook(const Decider* decider) : decider_(decider) {}

WebhookResponse AdmissionWebhook::Handle(std::string_view body) const {
  absl::Time start = absl::Now();
  absl::StatusOr<admission::AdmissionReview> review =
      admission::ParseAdmissionReview(body);
  if (!review.ok()) {
    decider_->metrics()->CountError(kApi, "invalid_argument");
    return Error(400, "invalid_parameter", review.status().message());
  }
  Decision logged;
  logged.decision_id = NewDecisionId();
  logged.snapshot = decider_->store()->Current();
  if (!HasActiveBundles(*logged.snapshot)) {
    logged.status = absl::UnavailableError(
        "no bundle is active yet (see GET /health?bundles)");
    decider_->Record(kApi, kPath, &review->request, logged, Outcome::kError,
                     start);
    return Error(503, "unavailable", logged.status.message());
  }
  std::shared_ptr<const admission::PolicySet> policies =
      admission::AdmissionPolicies(*logged.snapshot);
  admission::Decision decision;
  if (policies != nullptr) {
    decision = policies->Review(review->request,
                                decider_->Limits(start, absl::InfiniteFuture()));
  }
  for (const auto& [results, action] :
       {std::pair{&decision.deny, admission::Action::kDeny},
        std::pair{&decision.warn, admission::Action::kWarn},
        std::pair{&decision.dryrun, admission::Action::kDryrun}}) {
    for (const admission::ReviewResult& r : *results) {
      decider_->metrics()->CountViolation(
          absl::StrCat(r.constraint->kind, "/", r.constraint->name),
          std::string(admission::ActionName(action)));
    }
  }
  logged.result = admission::AdmissionResponse(*review, decision);
  logged.eval_time = absl::Now() - start;
  decider_->Record(kApi, kPath, &review->request, logged,
                   decision.allowed ? Outcome::kAllow : Outcome::kDeny, start);
  return {200, logged.result->ToJson()};
}

}  // namespace policyd
