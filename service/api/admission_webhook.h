// POST /v1/admit: Kubernetes' validating admission webhook. The body is an
// admission.k8s.io/v1 AdmissionReview; the answer is the AdmissionReview
// with the same uid that the current snapshot's Gatekeeper constraints give
// (see admission/policy_set.h): 200 with `allowed` and messages, 400 for a
// malformed review, 503 while no bundle is active (so that Kubernetes
// applies the webhook's failurePolicy). Each review is counted in the
// metrics (api "admission", outcome allow/deny/error; violations per
// constraint and action) and written to the decision log.
//
// The handler is a plain function of the request body, independent of the
// HTTP server that carries it.
#ifndef POLICYD_SERVICE_API_ADMISSION_WEBHOOK_H_
#define POLICYD_SERVICE_API_ADMISSION_WEBHOOK_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "service/decider.h"

namespace policyd {

struct WebhookResponse {
  int status = 200;
  std::string body;  // JSON
};

class AdmissionWebhook {
 public:
  // `decider` (its store, metrics, log and limits) must outlive the
  // webhook. Each review runs under the decider's limits (Decider::Limits);
  // a constraint that exceeds them fails closed.
  explicit AdmissionWebhook(const Decider* decider);

  WebhookResponse Handle(std::string_view body) const;

 private:
  const Decider* const decider_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_ADMISSION_WEBHOOK_H_
