// How deep the evaluator may recurse on the calling thread. Evaluation is
// continuation-passing: every expression of a body, every rule it reaches
// and every nested term adds frames, and long bodies or long chains of rules
// are input. The evaluator compares its frame address with this limit and
// fails the decision (eval_limit_error) instead of overflowing the stack.
#ifndef POLICYD_ENGINE_EVAL_STACK_LIMIT_H_
#define POLICYD_ENGINE_EVAL_STACK_LIMIT_H_

#include <cstddef>
#include <cstdint>

namespace policyd::eval {

// The lowest stack address evaluation may reach on this thread (stacks grow
// downwards): the thread's stack bottom plus a reserve for what runs below
// the last check (builtins, value printing), a quarter of the stack but at
// most 1 MiB. 0 when the bounds cannot be read (then nothing is checked).
// Computed once per thread.
uintptr_t StackLimit();

// The same reserve rule for a stack of `size` bytes whose lowest address is
// `bottom`; exposed for tests.
uintptr_t StackLimitFor(uintptr_t bottom, size_t size);

}  // namespace policyd::eval

#endif  // POLICYD_ENGINE_EVAL_STACK_LIMIT_H_
