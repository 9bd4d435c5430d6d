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

// Two composite patterns that can match: `[a, b] = [1]` cannot, so it
// binds nothing (OPA finds its variables unsafe).
bool ShapesMatch(const ast::Term& a, const ast::Term& b) {
  if (a.kind != b.kind) return !(IsComposite(a) && IsComposite(b));
  if (a.kind == TermKind::kArray) {
    if (a.items.size() != b.items.size()) return false;
    for (size_t i = 0; i < a.items.size(); ++i) {
      if (!ShapesMatch(*a.items[i], *b.items[i])) return false;
    }
  } else if (a.kind == TermKind::kObject) {
    return a.pairs.size() == b.pairs.size();
  }
  return true;
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

// The variables a pattern declares (`[a, {"k": b}]`: a and b).
void PatternNames(const ast::Term& t, std::vector<std::string>* out) {
  if (t.kind == TermKind::kVar) {
    if (!IsWildcard(t.name)) out->push_back(t.name);
  } else if (t.kind == TermKind::kArray) {
    for (auto& i : t.items) PatternNames(*i, out);
  } else if (t.kind == TermKind::kObject) {
    for (auto& [k, v] : t.pairs) PatternNames(*v, out);
  }
}

// OPA's declaration checks of one body: a name declared twice in it with
// := ("var x assigned above"), and an `every` key or value its body never
// uses ("declared var x unused"); both rego_compile_error.
absl::Status CheckDeclarations(const VarAnalysis& vars, const ast::Body& body) {
  NameSet declared;
  for (const ast::Expr& e : body) {
    std::vector<std::string> names;
    switch (e.kind) {
      case ast::ExprKind::kSome:
        for (auto& v : e.vars) PatternNames(*v, &names);
        break;
      case ast::ExprKind::kAssign:
        PatternNames(*e.lhs, &names);
        for (const std::string& name : names) {
          if (declared.count(name)) {
            return MakeError(kRegoCompileError, vars.env().file, e.loc.line, e.loc.col,
                             absl::StrCat("var ", name, " assigned above"));
          }
        }
        break;
      case ast::ExprKind::kSomeIn:
        if (e.key) PatternNames(*e.key, &names);
        PatternNames(*e.value, &names);
        break;
      case ast::ExprKind::kEvery: {
        std::vector<std::string> own;
        if (e.key) PatternNames(*e.key, &own);
        PatternNames(*e.value, &own);
        for (const std::string& name : own) {
          if (!VarAnalysis::Mentions(*e.body, name)) {
            return MakeError(kRegoCompileError, vars.env().file, e.loc.line, e.loc.col,
                             absl::StrCat("declared var ", name, " unused"));
          }
        }
        break;
      }
      default:
        break;
    }
    declared.insert(names.begin(), names.end());
  }
  return absl::OkStatus();
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

// `not f(input.x)` with f a user function: as OPA, the reference arguments
// are evaluated before the negation (`__neg = input.x; not f(__neg)`), so an
// undefined argument makes the expression undefined rather than true.
void HoistNegatedCallArgs(const VarAnalysis& vars, ast::Expr e,
                          std::vector<ast::Expr>* out) {
  if (e.negated && e.kind == ast::ExprKind::kTerm &&
      e.term->kind == TermKind::kCall &&
      ResolveFunction(vars.env(), *vars.root(), *e.term->items[0]) != nullptr) {
    auto call = std::make_shared<ast::Term>(*e.term);
    for (size_t i = 1; i < call->items.size(); ++i) {
      const ast::TermPtr& arg = call->items[i];
      if (arg->kind != TermKind::kRef) continue;
      auto local = std::make_shared<ast::Term>();
      local->kind = TermKind::kVar;
      local->loc = arg->loc;
      local->name = absl::StrCat("__neg_", arg->loc.line, "_", arg->loc.col);
      ast::Expr bind;
      bind.kind = ast::ExprKind::kUnify;
      bind.loc = e.loc;
      bind.lhs = local;
      bind.rhs = arg;
      out->push_back(std::move(bind));
      call->items[i] = local;
    }
    e.term = call;
  }
  out->push_back(std::move(e));
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
  body.status = CheckDeclarations(vars, source);
  if (!body.status.ok()) return body;
  std::vector<ast::Expr>& exprs = body.exprs;
  for (auto& e : source) {
    if (e.kind == ast::ExprKind::kSome) continue;
    HoistNegatedCallArgs(vars, RewriteOutputCall(vars, e), &exprs);
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
    const ast::Expr& e = exprs[i];
    if (e.kind == ast::ExprKind::kUnify && !e.negated && IsComposite(*e.lhs) &&
        IsComposite(*e.rhs) && !ShapesMatch(*e.lhs, *e.rhs)) {
      VarUse& use = uses.back();
      use.inputs.insert(use.pattern_outputs.begin(), use.pattern_outputs.end());
      use.pattern_outputs.clear();
    }
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
