// A Gatekeeper Constraint (constraints.gatekeeper.sh/v1beta1, also v1alpha1
// and v1): an instance of a template's kind with its match, its parameters
// and what to do with a violation at the admission webhook.
#ifndef POLICYD_ADMISSION_CONSTRAINT_H_
#define POLICYD_ADMISSION_CONSTRAINT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "admission/match.h"
#include "engine/value/value.h"

namespace policyd::admission {

enum class Action { kDeny, kWarn, kDryrun };
absl::string_view ActionName(Action action);

// The enforcement point of the validating webhook, as Gatekeeper names it in
// scopedEnforcementActions ("*" stands for every point).
inline constexpr absl::string_view kWebhookEnforcementPoint =
    "validation.gatekeeper.sh";

struct Constraint {
  std::string file;  // where it was read, for messages
  std::string kind;  // the template's kind
  std::string name;  // metadata.name
  Match match;
  Value parameters;  // spec.parameters; an empty object when absent
  // What a violation does at the webhook: spec.enforcementAction (default
  // deny) or, for `scoped`, the scopedEnforcementActions whose enforcement
  // points include the webhook. Empty: the webhook ignores the constraint.
  std::vector<Action> actions;
};

bool IsConstraintApiVersion(absl::string_view api_version);

// Errors name the field ("spec.enforcementAction: ...").
absl::StatusOr<Constraint> ParseConstraint(const Value& object,
                                           absl::string_view file);

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_CONSTRAINT_H_
