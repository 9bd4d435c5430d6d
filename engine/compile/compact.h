// The last step of compiling a module set: the plan is built by appending,
// so its vectors end with spare capacity (a vector grown to 5 terms holds 8).
// Compact gives that back, once, before the plan is shared for evaluation,
// and moves the bulk of the plan (terms' items, bodies, rare parts) into an
// arena, packed, so that the pages the compile's scratch used can go back to
// the system.
#ifndef POLICYD_ENGINE_COMPILE_COMPACT_H_
#define POLICYD_ENGINE_COMPILE_COMPACT_H_

#include "engine/compile/plan.h"
#include "engine/compile/plan_arena.h"

namespace policyd::compile {

// Moves the plan below `root` into `arena` (which must outlive it), each
// list exactly as long as it is: term items, bodies, rules and their rare
// parts; constants go into packed value chunks. Terms, expressions and rules
// move; nothing may hold their addresses yet (rule-tree nodes stay put).
void Compact(plan::Node& root, plan::PlanArena& arena);

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_COMPACT_H_
