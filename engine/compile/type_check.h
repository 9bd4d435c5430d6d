// Type checks with gradual typing, as OPA's type checker: the kinds a term
// can have are inferred where they are known (constants, literals, results
// of builtins, values of rules and functions, variables bound to those) and
// are `any` otherwise. A rego_type_error is reported only where no kind a
// term can have fits: a builtin argument outside the builtin's declared
// operand kinds (`count(5)`, `lower(count(x))`), `some x in 5` (not
// `every x in 5`, which OPA finds undefined), and a
// reference that walks into a rule whose values are all scalars
// (`data.pkg.n.field` where `n := 1`).
#ifndef POLICYD_ENGINE_COMPILE_TYPE_CHECK_H_
#define POLICYD_ENGINE_COMPILE_TYPE_CHECK_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "engine/compile/plan.h"

namespace policyd::compile {

// Checks every rule and function in the tree under `root`.
absl::Status CheckTypes(const plan::Node& root);

// Checks a query (errors name no file).
absl::Status CheckQueryTypes(const plan::Query& query);

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_TYPE_CHECK_H_
