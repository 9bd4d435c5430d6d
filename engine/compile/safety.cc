#include "engine/compile/safety.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "engine/compile/rule_tree.h"
#include "engine/errors.h"

namespace policyd::compile {
namespace {

using ast::TermKind;

bool Subset(const NameSet& a, const NameSet& b) {
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

// True when the pattern vars of a unification side are all bound, so that
// the side can be evaluated.
bool SideEvaluable(const VarAnalysis& vars, const ast::Term& t,
                   const Scope& scope, const NameSet& bound) {
  VarUse use;
  NameSet none;
  vars.Use(t, true, scope, none, &use);
  return Subset(use.pattern_outputs, bound);
}

bool IsComposite(const ast::Term& t) {
  return t.kind == TermKind::kArray || t.kind == TermKind::kObject;
}

bool Ready(const VarAnalysis& vars, const ast::Expr& e, const VarUse& use,
           const Scope& scope, const NameSet& bound) {
  if (!Subset(use.inputs, bound)) return false;
  if (!e.negated && e.kind == ast::ExprKind::kUnify) {
    return SideEvaluable(vars, *e.lhs, scope, bound) ||
           SideEvaluable(vars, *e.rhs, scope, bound) ||
           (IsComposite(*e.lhs) && IsComposite(*e.rhs));
  }
  return true;
}

absl::Status Unsafe(const VarAnalysis& vars, ast::Location loc,
                    std::string message) {
  return MakeError(kRegoUnsafeVarError, vars.env().file, loc.line, loc.col,
                   message);
}

// The error for a body none of whose remaining expressions can run: the
// first unbound variable one of them needs.
absl::Status UnsafeError(const VarAnalysis& vars, const OrderedBody& body,
                         const std::vector<VarUse>& uses,
                         const std::vector<bool>& done, const NameSet& bound) {
  for (size_t i = 0; i < body.exprs.size(); ++i) {
    if (done[i]) continue;
    for (const NameSet* names : {&uses[i].inputs, &uses[i].pattern_outputs}) {
      for (auto& name : *names) {
        if (!bound.count(name)) {
          return Unsafe(vars, body.exprs[i].loc,
                        absl::StrCat("var ", name, " is unsafe"));
        }
      }
    }
  }
  return Unsafe(vars, body.exprs.front().loc, "expression is unsafe");
}

}  // namespace

ast::Expr RewriteOutputCall(const VarAnalysis& vars, const ast::Expr& e) {
  if (e.kind != ast::ExprKind::kTerm || e.term->kind != TermKind::kCall) {
    return e;
  }
  int arity = CallArity(vars.env(), *vars.root(), *e.term);
  if (arity < 0 || static_cast<int>(e.term->items.size()) - 1 != arity + 1) {
    return e;
  }
  ast::Expr out = e;
  auto call = std::make_shared<ast::Term>(*e.term);
  out.rhs = call->items.back();
  call->items.pop_back();
  out.kind = ast::ExprKind::kUnify;
  out.lhs = call;
  out.term = nullptr;
  return out;
}

OrderedBody OrderBody(const VarAnalysis& vars, const ast::Body& source,
                      const Scope& scope, NameSet& bound, const NameSet& outer) {
  OrderedBody body;
  std::vector<ast::Expr>& exprs = body.exprs;
  for (auto& e : source) {
    if (e.kind == ast::ExprKind::kSome) continue;
    exprs.push_back(RewriteOutputCall(vars, e));
  }
  std::vector<NameSet> shallow(exprs.size());
  for (size_t i = 0; i < exprs.size(); ++i) {
    vars.ShallowExprVars(exprs[i], scope, &shallow[i]);
  }
  NameSet body_outer = outer;
  for (auto& s : shallow) body_outer.insert(s.begin(), s.end());
  // A name declared with := is not visible to the expressions before the
  // declaration: there it is another (comprehension-local) variable.
  body.outer.assign(exprs.size(), body_outer);
  for (size_t j = 0; j < exprs.size(); ++j) {
    if (exprs[j].kind != ast::ExprKind::kAssign) continue;
    NameSet declared;
    vars.ShallowVars(*exprs[j].lhs, scope, &declared);
    for (auto& name : declared) {
      if (bound.count(name)) continue;
      for (size_t i = 0; i < j; ++i) {
        if (!shallow[i].count(name)) body.outer[i].erase(name);
      }
    }
  }
  std::vector<VarUse> uses;
  for (size_t i = 0; i < exprs.size(); ++i) {
    NameSet others = outer;
    for (size_t j = 0; j < exprs.size(); ++j) {
      if (j != i) others.insert(shallow[j].begin(), shallow[j].end());
    }
    uses.push_back(vars.ExprUse(exprs[i], scope, body.outer[i], others));
  }
  std::vector<bool> done(exprs.size(), false);
  for (size_t n = 0; n < exprs.size(); ++n) {
    size_t pick = exprs.size();
    for (size_t i = 0; i < exprs.size(); ++i) {
      if (!done[i] && Ready(vars, exprs[i], uses[i], scope, bound)) {
        pick = i;
        break;
      }
    }
    if (pick == exprs.size()) {
      body.status = UnsafeError(vars, body, uses, done, bound);
      return body;
    }
    done[pick] = true;
    body.order.push_back(pick);
    // Only an `every` body needs them (it sees the enclosing bindings).
    body.bound_before.push_back(exprs[pick].kind == ast::ExprKind::kEvery
                                    ? bound
                                    : NameSet());
    if (!exprs[pick].negated) {
      const VarUse& use = uses[pick];
      bound.insert(use.pattern_outputs.begin(), use.pattern_outputs.end());
      bound.insert(use.ref_outputs.begin(), use.ref_outputs.end());
    }
  }
  return body;
}

}  // namespace policyd::compile
