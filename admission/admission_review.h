// Kubernetes' AdmissionReview (admission.k8s.io/v1) in and out: the request
// of a validating webhook call, and the answer with the same uid, whether it
// is allowed, the deny messages in Gatekeeper's "[constraint] message" form
// in status.message, and the warn messages in `warnings`.
#ifndef POLICYD_ADMISSION_ADMISSION_REVIEW_H_
#define POLICYD_ADMISSION_ADMISSION_REVIEW_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "admission/policy_set.h"
#include "engine/value/value.h"

namespace policyd::admission {

struct AdmissionReview {
  std::string api_version;  // answered with the same
  std::string uid;
  Value request;  // the AdmissionRequest: input.review
};

// Refuses anything but an AdmissionReview of admission.k8s.io/v1 (or
// v1beta1) whose request has a uid, a kind {group, version, kind}, an
// operation and objects that are objects; the error says which field.
absl::StatusOr<AdmissionReview> ParseAdmissionReview(std::string_view json);

// "[constraint-name] message" for each result.
std::vector<std::string> ResultMessages(
    const std::vector<ReviewResult>& results);

// The AdmissionReview answering `review` with `decision`.
Value AdmissionResponse(const AdmissionReview& review,
                        const Decision& decision);

// An AdmissionRequest for `object` as the API server would send it on
// CREATE (for suites, which give objects, not requests).
Value RequestForObject(const Value& object, std::string_view operation);

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_ADMISSION_REVIEW_H_
