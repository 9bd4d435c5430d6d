// The last step of compiling a module set: the plan is built by appending,
// so its vectors end with spare capacity (a vector grown to 5 terms holds 8).
// Compact gives that back, once, before the plan is shared for evaluation.
#ifndef POLICYD_ENGINE_COMPILE_COMPACT_H_
#define POLICYD_ENGINE_COMPILE_COMPACT_H_

#include "engine/compile/plan.h"

namespace policyd::compile {

// Shrinks every vector below `root` to its size. Terms move within their
// vectors; nothing may hold their addresses yet.
void Compact(plan::Node& root);

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_COMPACT_H_
