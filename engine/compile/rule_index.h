// Builds rule indexes: for a rule set whose rules test the same input (or
// base data) reference against different constants, which rules can match a
// given value of that reference.
#ifndef POLICYD_ENGINE_COMPILE_RULE_INDEX_H_
#define POLICYD_ENGINE_COMPILE_RULE_INDEX_H_

#include <memory>

#include "engine/compile/plan.h"

namespace policyd::compile {

// An index for `rules`, or null when fewer than two rules share a tested
// reference (then trying each rule is as fast).
std::unique_ptr<plan::RuleIndex> BuildRuleIndex(const plan::RuleSet& rules);

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_RULE_INDEX_H_
