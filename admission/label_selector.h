// Kubernetes label selectors (metav1.LabelSelector): `matchLabels` and
// `matchExpressions` with In, NotIn, Exists and DoesNotExist; every
// requirement must hold. An empty selector selects everything.
#ifndef POLICYD_ADMISSION_LABEL_SELECTOR_H_
#define POLICYD_ADMISSION_LABEL_SELECTOR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/value/value.h"

namespace policyd::admission {

struct LabelRequirement {
  enum class Op { kIn, kNotIn, kExists, kDoesNotExist };
  std::string key;
  Op op = Op::kIn;
  std::vector<std::string> values;
};

struct LabelSelector {
  std::vector<LabelRequirement> requirements;
};

// `field` names the selector in errors ("spec.match.labelSelector").
// Refuses unknown operators, In/NotIn without values and Exists/DoesNotExist
// with values, as the Kubernetes API server does.
absl::StatusOr<LabelSelector> ParseLabelSelector(const Value& v,
                                                 absl::string_view field);

// `labels` is an object of strings (metadata.labels); nullptr means none.
bool SelectorMatches(const LabelSelector& selector, const Value* labels);

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_LABEL_SELECTOR_H_
