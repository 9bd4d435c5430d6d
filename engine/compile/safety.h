// Safety and reordering: the order a body's expressions run in, so that
// every variable an expression needs is bound by an earlier expression of
// the same body or by an enclosing one (OPA's safety rule), and the
// rego_unsafe_var_error naming the variable and its place when no such
// order exists.
#ifndef POLICYD_ENGINE_COMPILE_SAFETY_H_
#define POLICYD_ENGINE_COMPILE_SAFETY_H_

#include <vector>

#include "absl/status/status.h"
#include "engine/compile/var_use.h"
#include "engine/syntax/ast.h"

namespace policyd::compile {

// A body in evaluation order.
struct OrderedBody {
  // The source expressions less `some` declarations, with `f(x, out)` (one
  // argument more than f takes) rewritten to `out = f(x)`.
  std::vector<ast::Expr> exprs;
  // Per expression: the names of enclosing scopes and of the rest of the
  // body that it sees (a name declared later with := is not among them).
  std::vector<NameSet> outer;
  // Indices into `exprs` in evaluation order; when the body is unsafe, the
  // safe prefix. For each `every` among them, the names bound before it
  // runs (empty for other expressions).
  std::vector<size_t> order;
  std::vector<NameSet> bound_before;
  // rego_unsafe_var_error when no order binds every variable.
  absl::Status status;
};

// Orders `source`. `bound` holds the names bound on entry and receives
// those bound after the body; `outer` the names visible from enclosing
// scopes (and rule heads).
OrderedBody OrderBody(const VarAnalysis& vars, const ast::Body& source,
                      const Scope& scope, NameSet& bound, const NameSet& outer);

// `f(x, out)`, a call with one argument more than the function takes,
// as `out = f(x)`; any other expression unchanged.
ast::Expr RewriteOutputCall(const VarAnalysis& vars, const ast::Expr& e);

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_SAFETY_H_
