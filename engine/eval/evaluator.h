// The plan interpreter. One Evaluator runs one query evaluation: it owns the
// per-query state (memo of rule values, `with` overrides, builtin context) and
// nothing else; the compiled plan and data it reads are shared and immutable.
#ifndef POLICYD_ENGINE_EVAL_EVALUATOR_H_
#define POLICYD_ENGINE_EVAL_EVALUATOR_H_

#include "engine/compile/plan.h"
#include "engine/engine.h"
#include "engine/value/value.h"

namespace policyd::eval {

// Runs `query` over `root` (the rule tree) and `data` (the base document).
ResultSet Evaluate(const plan::Query& query, const plan::Node& root,
                   const Value& data, const EvalOptions& options);

}  // namespace policyd::eval

#endif  // POLICYD_ENGINE_EVAL_EVALUATOR_H_
