// The compiled admission policy of a snapshot: every ConstraintTemplate
// compiled on its own, every Constraint checked against its template, and
// the review of one AdmissionRequest against all of them.
//
//   auto set = PolicySet::Build(objects, inventory);   // once per reload
//   Decision d = (*set)->Review(request, options);     // per request
#ifndef POLICYD_ADMISSION_POLICY_SET_H_
#define POLICYD_ADMISSION_POLICY_SET_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "admission/constraint.h"
#include "admission/constraint_template.h"
#include "admission/objects.h"
#include "engine/engine.h"

namespace policyd::admission {

// One result of a review: a violation of a constraint, or an error
// evaluating it (which counts as a violation, so that it fails closed).
struct ReviewResult {
  const Constraint* constraint;
  std::string message;
  Value details;
  bool error = false;
};

struct Decision {
  // False when a constraint whose action is deny has a result.
  bool allowed = true;
  std::vector<ReviewResult> deny;
  std::vector<ReviewResult> warn;
  std::vector<ReviewResult> dryrun;
};

class PolicySet {
 public:
  // True for objects PolicySet takes: templates.gatekeeper.sh/* and
  // constraints.gatekeeper.sh/*.
  static bool IsGatekeeperObject(const Value& object);

  // Compiles the templates among `objects` (over data.inventory =
  // `inventory`), then checks the constraints: their kind must have a
  // template and their parameters must satisfy its schema. Any other object
  // is an error. The first problem is the error: "FILE: KIND NAME: WHAT".
  static absl::StatusOr<std::shared_ptr<const PolicySet>> Build(
      const std::vector<ObjectSource>& objects, const Value& inventory);

  // The review at the webhook: the constraints that match `request` (an
  // AdmissionRequest) and have an action there, with their violations.
  Decision Review(const Value& request, const EvalOptions& options) const;

  // Every violation of every matching constraint, whatever its action (as
  // `gator verify` counts them).
  std::vector<ReviewResult> Audit(const Value& request,
                                  const EvalOptions& options) const;

  size_t template_count() const { return templates_.size(); }
  size_t constraint_count() const { return constraints_.size(); }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const Value& inventory() const { return inventory_; }

 private:
  struct Entry {
    Constraint constraint;
    std::shared_ptr<const CompiledTemplate> tmpl;
  };
  // The results of each matching constraint (only those with an action at
  // the webhook when `webhook`), appended to `out`.
  void Collect(const Value& request, const EvalOptions& options, bool webhook,
               std::vector<std::pair<const Entry*, ReviewResult>>* out) const;

  Value inventory_;
  std::map<std::string, std::shared_ptr<const CompiledTemplate>> templates_;
  std::vector<Entry> constraints_;  // sorted by kind, then name
  std::vector<std::string> warnings_;
};

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_POLICY_SET_H_
