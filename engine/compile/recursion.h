// The recursion check: Rego rules and functions must not depend on
// themselves, directly or through others (OPA's rego_recursion_error).
#ifndef POLICYD_ENGINE_COMPILE_RECURSION_H_
#define POLICYD_ENGINE_COMPILE_RECURSION_H_

#include "absl/status/status.h"
#include "engine/compile/plan.h"

namespace policyd::compile {

// Checks the rule tree under `root`. The error names the cycle:
// "rule data.a.p is recursive: data.a.p -> data.a.q -> data.a.p".
absl::Status CheckRecursion(const plan::Node& root);

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_RECURSION_H_
