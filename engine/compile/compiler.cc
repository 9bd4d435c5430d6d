#include "engine/compile/compiler.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/builtins/builtin.h"
#include "engine/compile/annotations.h"
#include "engine/compile/recursion.h"
#include "engine/compile/rule_index.h"
#include "engine/errors.h"

namespace policyd::compile {
namespace {

using ast::TermKind;
using ast::TermPtr;
using NameSet = std::set<std::string>;

// Where a global name (import alias or rule of the package) points.
struct GlobalRef {
  bool input = false;               // input... rather than data...
  std::vector<std::string> path;    // below input/data
};

// The names a module's rules can see besides their locals.
struct ModuleEnv {
  std::string file;
  std::vector<std::string> package;
  const NameSet* rule_names = nullptr;  // first segments of the package's rules
  std::map<std::string, GlobalRef> imports;

  std::optional<GlobalRef> Resolve(const std::string& name) const {
    if (name == "input") return GlobalRef{true, {}};
    if (name == "data") return GlobalRef{false, {}};
    if (auto it = imports.find(name); it != imports.end()) return it->second;
    if (rule_names && rule_names->count(name)) {
      GlobalRef ref{false, package};
      ref.path.push_back(name);
      return ref;
    }
    return std::nullopt;
  }
};

bool IsWildcard(const std::string& name) { return name == "_"; }

// The constant string path of a ref: head var name followed by string keys.
// Stops at the first non-string key; `*rest` receives the index of it.
std::vector<std::string> ConstPrefix(const ast::Term& ref, size_t* rest) {
  std::vector<std::string> out;
  size_t i = 0;
  if (ref.kind == TermKind::kVar) {
    out.push_back(ref.name);
    *rest = 1;
    return out;
  }
  for (; i < ref.items.size(); ++i) {
    const ast::Term& t = *ref.items[i];
    if (i == 0 && t.kind == TermKind::kVar) {
      out.push_back(t.name);
    } else if (i > 0 && t.kind == TermKind::kScalar && t.value.is_string()) {
      out.emplace_back(t.value.string());
    } else {
      break;
    }
  }
  *rest = i;
  return out;
}

std::vector<TermPtr> RefItems(const TermPtr& ref) {
  if (ref->kind == TermKind::kVar) return {ref};
  return ref->items;
}

// A lexical scope of local variables.
struct Scope {
  Scope* parent = nullptr;
  std::map<std::string, int> vars;
  int Find(const std::string& name) const {
    for (const Scope* s = this; s; s = s->parent) {
      if (auto it = s->vars.find(name); it != s->vars.end()) return it->second;
    }
    return -1;
  }
};

// Variable use of one expression, by local name.
struct VarUse {
  NameSet inputs;           // must be bound before
  NameSet pattern_outputs;  // bound by unification patterns
  NameSet ref_outputs;      // bound by iterating refs
  NameSet all;              // every local name mentioned (deep)
};

class BodyCompiler {
 public:
  BodyCompiler(const ModuleEnv& env, int* num_slots)
      : env_(env), num_slots_(num_slots) {}

  absl::Status status() const { return status_; }

  bool IsLocal(const std::string& name, const Scope& scope) const {
    if (IsWildcard(name)) return true;
    if (scope.Find(name) >= 0) return true;
    return !env_.Resolve(name).has_value();
  }

  int Declare(const std::string& name, Scope& scope) {
    if (IsWildcard(name)) return (*num_slots_)++;
    auto it = scope.vars.find(name);
    if (it != scope.vars.end()) return it->second;
    int slot = (*num_slots_)++;
    scope.vars[name] = slot;
    return slot;
  }

  int SlotFor(const std::string& name, Scope& scope) {
    if (IsWildcard(name)) return (*num_slots_)++;
    int slot = scope.Find(name);
    return slot >= 0 ? slot : Declare(name, scope);
  }

  // ---- variable analysis (names only) ----

  // Local names mentioned by a term outside comprehension bodies.
  void ShallowVars(const ast::Term& t, const Scope& scope, NameSet* out) {
    switch (t.kind) {
      case TermKind::kVar:
        if (!IsWildcard(t.name) && IsLocal(t.name, scope)) out->insert(t.name);
        break;
      case TermKind::kArrayCompr:
      case TermKind::kSetCompr:
      case TermKind::kObjectCompr:
        break;
      default:
        for (size_t i = t.kind == TermKind::kCall ? 1 : 0; i < t.items.size();
             ++i) {
          ShallowVars(*t.items[i], scope, out);
        }
        for (auto& [k, v] : t.pairs) {
          ShallowVars(*k, scope, out);
          ShallowVars(*v, scope, out);
        }
    }
  }
  void ShallowExprVars(const ast::Expr& e, const Scope& scope, NameSet* out) {
    for (const TermPtr* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.value,
                             &e.collection}) {
      if (*t) ShallowVars(**t, scope, out);
    }
    for (auto& v : e.vars) ShallowVars(*v, scope, out);
    for (auto& w : e.withs) ShallowVars(*w.value, scope, out);
  }

  // All local names mentioned anywhere in a term (deep).
  void DeepVars(const ast::Term& t, const Scope& scope, NameSet* out) {
    if (t.kind == TermKind::kVar) {
      if (!IsWildcard(t.name) && IsLocal(t.name, scope)) out->insert(t.name);
      return;
    }
    for (size_t i = t.kind == TermKind::kCall ? 1 : 0; i < t.items.size();
         ++i) {
      DeepVars(*t.items[i], scope, out);
    }
    for (auto& [k, v] : t.pairs) {
      DeepVars(*k, scope, out);
      DeepVars(*v, scope, out);
    }
    if (t.key) DeepVars(*t.key, scope, out);
    if (t.head) DeepVars(*t.head, scope, out);
    if (t.body) {
      for (auto& e : *t.body) DeepExprVars(e, scope, out);
    }
  }
  void DeepExprVars(const ast::Expr& e, const Scope& scope, NameSet* out) {
    for (const TermPtr* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.value,
                             &e.collection}) {
      if (*t) DeepVars(**t, scope, out);
    }
    for (auto& v : e.vars) DeepVars(*v, scope, out);
    for (auto& w : e.withs) DeepVars(*w.value, scope, out);
    if (e.body) {
      for (auto& x : *e.body) DeepExprVars(x, scope, out);
    }
  }

  void Use(const ast::Term& t, bool pattern, const Scope& scope,
           const NameSet& outer, VarUse* use) {
    switch (t.kind) {
      case TermKind::kScalar:
        return;
      case TermKind::kVar:
        if (IsWildcard(t.name) || !IsLocal(t.name, scope)) return;
        use->all.insert(t.name);
        (pattern ? use->pattern_outputs : use->inputs).insert(t.name);
        return;
      case TermKind::kRef: {
        const ast::Term& head = *t.items[0];
        if (head.kind == TermKind::kVar) {
          if (!IsWildcard(head.name) && IsLocal(head.name, scope)) {
            use->all.insert(head.name);
            use->inputs.insert(head.name);
          }
        } else {
          Use(head, false, scope, outer, use);
        }
        for (size_t i = 1; i < t.items.size(); ++i) {
          const ast::Term& k = *t.items[i];
          if (k.kind == TermKind::kVar) {
            if (!IsWildcard(k.name) && IsLocal(k.name, scope)) {
              use->all.insert(k.name);
              use->ref_outputs.insert(k.name);
            }
          } else {
            // A composite key is a pattern matched against the members.
            VarUse key_use;
            Use(k, true, scope, outer, &key_use);
            use->inputs.insert(key_use.inputs.begin(), key_use.inputs.end());
            use->ref_outputs.insert(key_use.pattern_outputs.begin(),
                                    key_use.pattern_outputs.end());
            use->ref_outputs.insert(key_use.ref_outputs.begin(),
                                    key_use.ref_outputs.end());
            use->all.insert(key_use.all.begin(), key_use.all.end());
          }
        }
        return;
      }
      case TermKind::kArray:
      case TermKind::kObject:
        for (auto& i : t.items) Use(*i, pattern, scope, outer, use);
        for (auto& [k, v] : t.pairs) {
          Use(*k, false, scope, outer, use);
          Use(*v, pattern, scope, outer, use);
        }
        return;
      case TermKind::kSet:
      case TermKind::kCall:
      case TermKind::kTemplate: {
        // Arguments that iterate (`input.xs[i]`) are evaluated first, so
        // the vars they bind are not inputs of the other arguments.
        VarUse args;
        for (size_t i = t.kind == TermKind::kCall ? 1 : 0; i < t.items.size();
             ++i) {
          Use(*t.items[i], false, scope, outer, &args);
        }
        for (auto& n : args.inputs) {
          if (!args.ref_outputs.count(n)) use->inputs.insert(n);
        }
        use->ref_outputs.insert(args.ref_outputs.begin(), args.ref_outputs.end());
        use->pattern_outputs.insert(args.pattern_outputs.begin(),
                                    args.pattern_outputs.end());
        use->all.insert(args.all.begin(), args.all.end());
        return;
      }
      case TermKind::kArrayCompr:
      case TermKind::kSetCompr:
      case TermKind::kObjectCompr: {
        NameSet deep;
        DeepVars(t, scope, &deep);
        NameSet own = DeclaredNames(*t.body);
        for (auto& n : deep) {
          if (outer.count(n) && !own.count(n)) {
            use->inputs.insert(n);
            use->all.insert(n);
          }
        }
        return;
      }
    }
  }

  VarUse ExprUse(const ast::Expr& e, const Scope& scope, const NameSet& outer,
                 const NameSet& others) {
    VarUse use;
    if (e.negated) {
      NameSet deep;
      DeepExprVars(e, scope, &deep);
      for (auto& n : deep) {
        if (others.count(n) || outer.count(n)) use.inputs.insert(n);
      }
      use.all = use.inputs;
      return use;
    }
    switch (e.kind) {
      case ast::ExprKind::kTerm:
        Use(*e.term, false, scope, outer, &use);
        break;
      case ast::ExprKind::kUnify:
        Use(*e.lhs, true, scope, outer, &use);
        Use(*e.rhs, true, scope, outer, &use);
        break;
      case ast::ExprKind::kAssign:
        Use(*e.lhs, true, scope, outer, &use);
        Use(*e.rhs, false, scope, outer, &use);
        break;
      case ast::ExprKind::kSome:
        break;
      case ast::ExprKind::kSomeIn:
        if (e.key) Use(*e.key, true, scope, outer, &use);
        Use(*e.value, true, scope, outer, &use);
        Use(*e.collection, false, scope, outer, &use);
        break;
      case ast::ExprKind::kEvery: {
        Use(*e.collection, false, scope, outer, &use);
        NameSet deep;
        for (auto& x : *e.body) DeepExprVars(x, scope, &deep);
        for (auto& n : deep) {
          bool own = (e.key && e.key->kind == TermKind::kVar &&
                      e.key->name == n) ||
                     (e.value->kind == TermKind::kVar && e.value->name == n);
          if (!own && (outer.count(n) || others.count(n))) {
            use.inputs.insert(n);
            use.all.insert(n);
          }
        }
        break;
      }
    }
    for (auto& w : e.withs) {
      if (!NamesFunction(*w.value, scope)) Use(*w.value, false, scope, outer, &use);
    }
    return use;
  }

  static bool Subset(const NameSet& a, const NameSet& b) {
    return std::includes(b.begin(), b.end(), a.begin(), a.end());
  }

  // Pattern vars of a unification side that are not yet bound.
  bool SideEvaluable(const ast::Term& t, const Scope& scope,
                     const NameSet& bound) {
    VarUse use;
    NameSet none;
    Use(t, true, scope, none, &use);
    return Subset(use.pattern_outputs, bound);
  }
  static bool IsComposite(const ast::Term& t) {
    return t.kind == TermKind::kArray || t.kind == TermKind::kObject;
  }

  bool Ready(const ast::Expr& e, const VarUse& use, const Scope& scope,
             const NameSet& bound) {
    if (!Subset(use.inputs, bound)) return false;
    if (!e.negated && e.kind == ast::ExprKind::kUnify) {
      return SideEvaluable(*e.lhs, scope, bound) ||
             SideEvaluable(*e.rhs, scope, bound) ||
             (IsComposite(*e.lhs) && IsComposite(*e.rhs));
    }
    return true;
  }

  // Rewrites `f(x, out)` (a call with one argument more than the function
  // takes) into `out = f(x)`.
  ast::Expr RewriteOutputCall(const ast::Expr& e) {
    if (e.kind != ast::ExprKind::kTerm || e.term->kind != TermKind::kCall) {
      return e;
    }
    int arity = CallArity(*e.term);
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

  // Names a body declares explicitly (`some`, `:=`, `some ... in`).
  static NameSet DeclaredNames(const ast::Body& body) {
    NameSet names;
    std::function<void(const ast::Term&)> add = [&](const ast::Term& t) {
      if (t.kind == TermKind::kVar) {
        if (!IsWildcard(t.name)) names.insert(t.name);
      } else if (t.kind == TermKind::kArray) {
        for (auto& i : t.items) add(*i);
      } else if (t.kind == TermKind::kObject) {
        for (auto& [k, v] : t.pairs) add(*v);
      }
    };
    for (auto& e : body) {
      if (e.kind == ast::ExprKind::kSome) {
        for (auto& v : e.vars) add(*v);
      } else if (e.kind == ast::ExprKind::kAssign) {
        add(*e.lhs);
      } else if (e.kind == ast::ExprKind::kSomeIn) {
        if (e.key) add(*e.key);
        add(*e.value);
      }
    }
    return names;
  }

  // Declares the names a body introduces explicitly (`some`, `:=`,
  // `some ... in`), which shadow globals.
  void PreDeclare(const ast::Body& body, Scope& scope) {
    for (const std::string& name : DeclaredNames(body)) Declare(name, scope);
  }

  // Orders and lowers a body. `bound` holds the names bound on entry and
  // receives those bound after it; `outer` the names visible from
  // enclosing scopes (and rule heads).
  plan::Body CompileBody(const ast::Body& source, Scope& scope, NameSet& bound,
                         const NameSet& outer) {
    plan::Body out;
    PreDeclare(source, scope);
    std::vector<ast::Expr> exprs;
    for (auto& e : source) {
      if (e.kind == ast::ExprKind::kSome) continue;
      exprs.push_back(RewriteOutputCall(e));
    }
    std::vector<NameSet> shallow(exprs.size());
    for (size_t i = 0; i < exprs.size(); ++i) {
      ShallowExprVars(exprs[i], scope, &shallow[i]);
    }
    NameSet body_outer = outer;
    for (auto& s : shallow) body_outer.insert(s.begin(), s.end());
    // A name declared with := is not visible to the expressions before the
    // declaration: there it is another (comprehension-local) variable.
    std::vector<NameSet> expr_outer(exprs.size(), body_outer);
    for (size_t j = 0; j < exprs.size(); ++j) {
      if (exprs[j].kind != ast::ExprKind::kAssign) continue;
      NameSet declared;
      ShallowVars(*exprs[j].lhs, scope, &declared);
      for (auto& name : declared) {
        if (bound.count(name)) continue;
        for (size_t i = 0; i < j; ++i) {
          if (!shallow[i].count(name)) expr_outer[i].erase(name);
        }
      }
    }
    std::vector<VarUse> uses;
    for (size_t i = 0; i < exprs.size(); ++i) {
      NameSet others = outer;
      for (size_t j = 0; j < exprs.size(); ++j) {
        if (j != i) others.insert(shallow[j].begin(), shallow[j].end());
      }
      uses.push_back(ExprUse(exprs[i], scope, expr_outer[i], others));
    }
    std::vector<bool> done(exprs.size(), false);
    for (size_t n = 0; n < exprs.size(); ++n) {
      size_t pick = exprs.size();
      for (size_t i = 0; i < exprs.size(); ++i) {
        if (!done[i] && Ready(exprs[i], uses[i], scope, bound)) {
          pick = i;
          break;
        }
      }
      if (pick == exprs.size()) {
        for (size_t i = 0; i < exprs.size(); ++i) {
          if (done[i]) continue;
          for (auto& name : uses[i].inputs) {
            if (!bound.count(name)) {
              Fail(kRegoUnsafeVarError, exprs[i].loc,
                   absl::StrCat("var ", name, " is unsafe"));
              return out;
            }
          }
          const ast::Expr& e = exprs[i];
          NameSet names = uses[i].pattern_outputs;
          for (auto& name : names) {
            if (!bound.count(name)) {
              Fail(kRegoUnsafeVarError, e.loc,
                   absl::StrCat("var ", name, " is unsafe"));
              return out;
            }
          }
        }
        Fail(kRegoUnsafeVarError, exprs.front().loc,
             "expression is unsafe");
        return out;
      }
      done[pick] = true;
      const VarUse& use = uses[pick];
      out.exprs.push_back(LowerExpr(exprs[pick], scope, bound, expr_outer[pick]));
      if (!exprs[pick].negated) {
        bound.insert(use.pattern_outputs.begin(), use.pattern_outputs.end());
        bound.insert(use.ref_outputs.begin(), use.ref_outputs.end());
      }
      if (!status_.ok()) return out;
    }
    return out;
  }

  // True when `t` names a function or builtin (a `with` replacement) rather
  // than a value.
  bool NamesFunction(const ast::Term& t, const Scope& scope) {
    if (t.kind != TermKind::kVar && t.kind != TermKind::kRef) return false;
    if (t.kind == TermKind::kVar && scope.Find(t.name) >= 0) return false;
    if (ResolveFunction(t)) return true;
    size_t rest = 0;
    std::vector<std::string> path = ConstPrefix(t, &rest);
    if (rest != (t.kind == TermKind::kVar ? 1 : t.items.size())) return false;
    if (t.kind == TermKind::kVar && env_.Resolve(t.name)) return false;
    return BuiltinRegistry::Default().Find(absl::StrJoin(path, ".")) != nullptr;
  }

  // ---- lowering ----

  plan::Expr LowerExpr(const ast::Expr& e, Scope& scope, NameSet& bound,
                       const NameSet& outer) {
    plan::Expr out;
    out.loc = e.loc;
    out.negated = e.negated;
    for (auto& w : e.withs) out.withs.push_back(LowerWith(w, scope, outer));
    switch (e.kind) {
      case ast::ExprKind::kTerm:
        out.op = plan::ExprOp::kTerm;
        out.a = Lower(*e.term, scope, outer);
        break;
      case ast::ExprKind::kUnify:
      case ast::ExprKind::kAssign:
        out.op = plan::ExprOp::kUnify;
        out.a = Lower(*e.lhs, scope, outer);
        out.b = Lower(*e.rhs, scope, outer);
        break;
      case ast::ExprKind::kSomeIn:
        out.op = plan::ExprOp::kSomeIn;
        out.collection = Lower(*e.collection, scope, outer);
        if (e.key) out.key = std::make_shared<plan::Term>(
                       Lower(*e.key, scope, outer));
        out.value =
            std::make_shared<plan::Term>(Lower(*e.value, scope, outer));
        break;
      case ast::ExprKind::kEvery: {
        out.op = plan::ExprOp::kEvery;
        out.collection = Lower(*e.collection, scope, outer);
        auto child = std::make_unique<Scope>();
        child->parent = &scope;
        NameSet inner_bound = bound;
        if (e.key) {
          out.key = std::make_shared<plan::Term>(
              LowerDeclared(*e.key, *child, inner_bound));
        }
        out.value = std::make_shared<plan::Term>(
            LowerDeclared(*e.value, *child, inner_bound));
        NameSet inner_outer = outer;
        inner_outer.insert(bound.begin(), bound.end());
        out.body = std::make_shared<plan::Body>(
            CompileBody(*e.body, *child, inner_bound, inner_outer));
        scopes_.push_back(std::move(child));
        break;
      }
      case ast::ExprKind::kSome:
        break;
    }
    return out;
  }

  // A fresh local (every's key/value): always a new slot in `scope`.
  plan::Term LowerDeclared(const ast::Term& t, Scope& scope, NameSet& bound) {
    plan::Term out;
    out.loc = t.loc;
    if (t.kind == TermKind::kVar) {
      out.op = plan::TermOp::kVar;
      out.slot = (*num_slots_)++;
      if (!IsWildcard(t.name)) {
        scope.vars[t.name] = out.slot;
        bound.insert(t.name);
      }
      return out;
    }
    return Lower(t, scope, {});
  }

  plan::With LowerWith(const ast::With& w, Scope& scope, const NameSet& outer) {
    plan::With out;
    out.loc = w.loc;
    bool names_function = NamesFunction(*w.value, scope);
    if (!names_function) out.value = Lower(*w.value, scope, outer);
    size_t rest = 0;
    std::vector<std::string> path = ConstPrefix(*w.target, &rest);
    if (path.empty()) {
      Fail(kRegoTypeError, w.loc, "with target must be a reference");
      return out;
    }
    std::optional<GlobalRef> global =
        path[0] == "input" || path[0] == "data" ? env_.Resolve(path[0])
                                                : std::nullopt;
    if (global) {
      out.target = global->input ? plan::With::kInput : plan::With::kData;
      out.path.assign(path.begin() + 1, path.end());
      if (!global->input) {
        if (const plan::Node* node = FindNode(out.path);
            node && node->function) {
          out.target = plan::With::kFunction;
          out.function_name = node->path;
        }
      }
    } else {
      std::string name = absl::StrJoin(path, ".");
      if (const plan::Function* f = ResolveFunction(*w.target)) {
        out.target = plan::With::kFunction;
        out.function_name = f->name;
      } else if (BuiltinRegistry::Default().Find(name) ||
                 name == "print") {
        out.target = plan::With::kFunction;
        out.function_name = name;
      } else {
        Fail(kRegoCompileError, w.loc,
             absl::StrCat("with keyword cannot replace ", name));
        return out;
      }
    }
    if (names_function) {
      if (out.target != plan::With::kFunction) {
        Fail(kRegoCompileError, w.loc, "with value must be a value, not a function");
        return out;
      }
      if (const plan::Function* f = ResolveFunction(*w.value)) {
        out.replacement_function = f;
      } else {
        size_t vrest = 0;
        out.replacement_builtin = BuiltinRegistry::Default().Find(
            absl::StrJoin(ConstPrefix(*w.value, &vrest), "."));
      }
    }
    return out;
  }

  plan::Term Const(Value v, ast::Location loc) {
    plan::Term t;
    t.op = plan::TermOp::kConst;
    t.value = std::move(v);
    t.loc = loc;
    t.ground = true;
    return t;
  }

  plan::Term GlobalTerm(const GlobalRef& g, ast::Location loc) {
    plan::Term base;
    base.loc = loc;
    base.op = g.input ? plan::TermOp::kInput : plan::TermOp::kData;
    if (g.path.empty()) return base;
    plan::Term ref;
    ref.op = plan::TermOp::kRef;
    ref.loc = loc;
    ref.items.push_back(std::move(base));
    for (auto& k : g.path) ref.items.push_back(Const(Value::String(k), loc));
    ResolveDataPrefix(ref);
    MarkSimpleShape(ref);
    return ref;
  }

  plan::Term Lower(const ast::Term& t, Scope& scope, const NameSet& outer) {
    plan::Term out;
    out.loc = t.loc;
    switch (t.kind) {
      case TermKind::kScalar:
        return Const(t.value, t.loc);
      case TermKind::kVar: {
        if (!IsLocal(t.name, scope)) return GlobalTerm(*env_.Resolve(t.name), t.loc);
        out.op = plan::TermOp::kVar;
        out.slot = SlotFor(t.name, scope);
        return out;
      }
      case TermKind::kRef: {
        plan::Term base = Lower(*t.items[0], scope, outer);
        if (base.op == plan::TermOp::kRef) {
          out = std::move(base);
        } else {
          out.op = plan::TermOp::kRef;
          out.items.push_back(std::move(base));
        }
        out.loc = t.loc;
        for (size_t i = 1; i < t.items.size(); ++i) {
          out.items.push_back(Lower(*t.items[i], scope, outer));
        }
        ResolveDataPrefix(out);
        MarkSimpleShape(out);
        return out;
      }
      case TermKind::kArray:
      case TermKind::kSet: {
        out.op = t.kind == TermKind::kArray ? plan::TermOp::kArray
                                            : plan::TermOp::kSet;
        bool ground = true;
        for (auto& i : t.items) {
          out.items.push_back(Lower(*i, scope, outer));
          ground = ground && out.items.back().op == plan::TermOp::kConst;
        }
        if (ground) {
          std::vector<Value> vals;
          for (auto& i : out.items) vals.push_back(i.value);
          return Const(t.kind == TermKind::kArray ? Value::Array(std::move(vals))
                                                  : Value::Set(std::move(vals)),
                       t.loc);
        }
        return out;
      }
      case TermKind::kObject: {
        out.op = plan::TermOp::kObject;
        bool ground = true;
        for (auto& [k, v] : t.pairs) {
          out.pairs.emplace_back(Lower(*k, scope, outer),
                                 Lower(*v, scope, outer));
          ground = ground && out.pairs.back().first.op == plan::TermOp::kConst &&
                   out.pairs.back().second.op == plan::TermOp::kConst;
        }
        if (ground) {
          std::vector<ObjectEntry> entries;
          for (auto& [k, v] : out.pairs) entries.emplace_back(k.value, v.value);
          return Const(Value::Object(std::move(entries)), t.loc);
        }
        return out;
      }
      case TermKind::kArrayCompr:
      case TermKind::kSetCompr:
      case TermKind::kObjectCompr: {
        out.op = t.kind == TermKind::kArrayCompr  ? plan::TermOp::kArrayCompr
                 : t.kind == TermKind::kSetCompr ? plan::TermOp::kSetCompr
                                                 : plan::TermOp::kObjectCompr;
        auto child = std::make_unique<Scope>();
        child->parent = &scope;
        // Names of the enclosing scopes that the comprehension sees; the
        // rest, and those it declares itself, are its own.
        NameSet deep;
        DeepVars(t, scope, &deep);
        NameSet own = DeclaredNames(*t.body);
        NameSet bound;
        for (auto& n : deep) {
          if (outer.count(n) && !own.count(n)) {
            bound.insert(n);
          } else if (scope.Find(n) >= 0 && child->vars.count(n) == 0) {
            child->vars[n] = (*num_slots_)++;
          }
        }
        NameSet inner_outer;
        for (auto& n : outer) {
          if (!own.count(n)) inner_outer.insert(n);
        }
        out.body = std::make_shared<plan::Body>(
            CompileBody(*t.body, *child, bound, inner_outer));
        NameSet head_vars;
        if (t.key) DeepVars(*t.key, *child, &head_vars);
        DeepVars(*t.head, *child, &head_vars);
        for (auto& n : head_vars) {
          if (!bound.count(n)) {
            Fail(kRegoUnsafeVarError, t.loc,
                 absl::StrCat("var ", n, " is unsafe"));
          }
        }
        if (t.key) out.key = std::make_shared<plan::Term>(
                       Lower(*t.key, *child, inner_outer));
        out.head = std::make_shared<plan::Term>(Lower(*t.head, *child, inner_outer));
        scopes_.push_back(std::move(child));
        return out;
      }
      case TermKind::kTemplate: {
        out.op = plan::TermOp::kTemplate;
        for (auto& i : t.items) out.items.push_back(Lower(*i, scope, outer));
        return out;
      }
      case TermKind::kCall:
        return LowerCall(t, scope, outer);
    }
    return out;
  }

  // For a ref into data, the deepest rule-tree node its constant keys reach,
  // so that evaluation starts there instead of walking from the root.
  void ResolveDataPrefix(plan::Term& ref) const {
    if (ref.items[0].op != plan::TermOp::kData || root_ == nullptr) return;
    const plan::Node* node = root_;
    size_t i = 1;
    for (; i < ref.items.size(); ++i) {
      const plan::Term& key = ref.items[i];
      if (key.op != plan::TermOp::kConst || !key.value.is_string()) break;
      auto it = node->children.find(std::string(key.value.string()));
      if (it == node->children.end()) {
        ref.leaves_tree = true;
        break;
      }
      node = it->second.get();
      if (node->rules) {
        ++i;
        break;
      }
    }
    ref.node = node;
    ref.node_depth = static_cast<int>(i);
  }

  static void MarkSimpleShape(plan::Term& ref) {
    const plan::Term& base = ref.items[0];
    bool simple = base.op == plan::TermOp::kInput || base.op == plan::TermOp::kVar ||
                  (base.op == plan::TermOp::kData && ref.node &&
                   (ref.leaves_tree || !ref.node->has_rules_below));
    for (size_t i = 1; simple && i < ref.items.size(); ++i) {
      simple = ref.items[i].op == plan::TermOp::kConst || ref.items[i].op == plan::TermOp::kVar;
    }
    ref.simple_shape = simple;
  }

  // The user function a call operator names, or nullptr.
  const plan::Function* ResolveFunction(const ast::Term& op) {
    size_t rest = 0;
    std::vector<std::string> path = ConstPrefix(op, &rest);
    if (path.empty() || rest != (op.kind == TermKind::kVar ? 1 : op.items.size())) {
      return nullptr;
    }
    std::optional<GlobalRef> g = env_.Resolve(path[0]);
    if (!g || g->input) return nullptr;
    std::vector<std::string> full = g->path;
    full.insert(full.end(), path.begin() + 1, path.end());
    const plan::Node* node = FindNode(full);
    return node ? node->function.get() : nullptr;
  }

  const plan::Node* FindNode(const std::vector<std::string>& path) const {
    const plan::Node* node = root_;
    for (auto& k : path) {
      auto it = node->children.find(k);
      if (it == node->children.end()) return nullptr;
      node = it->second.get();
    }
    return node;
  }

  // Arity of the function or builtin a call names; -1 when unknown.
  int CallArity(const ast::Term& call) {
    const ast::Term& op = *call.items[0];
    if (const plan::Function* f = ResolveFunction(op)) return f->arity;
    size_t rest = 0;
    std::vector<std::string> path = ConstPrefix(op, &rest);
    if (const Builtin* b = BuiltinRegistry::Default().Find(absl::StrJoin(path, "."))) {
      return b->arity;
    }
    return -1;
  }

  plan::Term LowerCall(const ast::Term& t, Scope& scope, const NameSet& outer) {
    plan::Term out;
    out.loc = t.loc;
    out.op = plan::TermOp::kCall;
    const ast::Term& op = *t.items[0];
    size_t rest = 0;
    std::vector<std::string> path = ConstPrefix(op, &rest);
    std::string name = absl::StrJoin(path, ".");
    for (size_t i = 1; i < t.items.size(); ++i) {
      out.items.push_back(Lower(*t.items[i], scope, outer));
    }
    // Arguments that iterate over refs go first (see Use).
    for (size_t i = 1; i < t.items.size(); ++i) {
      VarUse use;
      Use(*t.items[i], false, scope, outer, &use);
      if (!use.ref_outputs.empty()) out.eval_order.insert(out.eval_order.begin(), i - 1);
      else out.eval_order.push_back(i - 1);
    }
    bool natural = true;
    for (size_t i = 0; i < out.eval_order.size(); ++i) {
      natural = natural && out.eval_order[i] == static_cast<int>(i);
    }
    if (natural) out.eval_order.clear();
    int nargs = static_cast<int>(out.items.size());
    if (name == "print" && scope.Find("print") < 0) {
      out.op = plan::TermOp::kPrint;
      return out;
    }
    // The rule's METADATA annotations are known now: a constant.
    if ((name == "rego.metadata.chain" || name == "rego.metadata.rule") && nargs == 0 &&
        annotations_ != nullptr && rule_ != nullptr) {
      return Const(name == "rego.metadata.chain"
                       ? annotations_->Chain(module_index_, *rule_)
                       : annotations_->RuleAnnotations(module_index_, *rule_),
                   t.loc);
    }
    if (const plan::Function* f = ResolveFunction(op)) {
      out.function = f;
      out.call_name = f->name;
      if (nargs != f->arity) {
        Fail(kRegoTypeError, t.loc,
             absl::StrCat(f->name.substr(5), ": arity mismatch"));
      }
      return out;
    }
    const Builtin* b = BuiltinRegistry::Default().Find(name);
    if (b == nullptr || path.empty() ||
        rest != (op.kind == TermKind::kVar ? 1 : op.items.size())) {
      Fail(kRegoTypeError, t.loc, absl::StrCat("undefined function ", name));
      return out;
    }
    out.builtin = b;
    out.call_name = b->name;
    static const std::map<std::string, plan::Term::FastOp> kFastOps = {
        {"equal", plan::Term::FastOp::kEqual},
        {"neq", plan::Term::FastOp::kNotEqual},
        {"lt", plan::Term::FastOp::kLess},
        {"lte", plan::Term::FastOp::kLessEqual},
        {"gt", plan::Term::FastOp::kGreater},
        {"gte", plan::Term::FastOp::kGreaterEqual},
        {"internal.member_2", plan::Term::FastOp::kMember},
    };
    if (auto it = kFastOps.find(b->name); it != kFastOps.end()) {
      out.fast_op = it->second;
    }
    if (nargs != b->arity) {
      Fail(kRegoTypeError, t.loc,
           absl::StrCat(name, ": arity mismatch: have ", nargs,
                        " arguments, want ", b->arity));
      return out;
    }
    // Constant arguments are checked against the builtin's operand kinds.
    for (size_t i = 0; i < b->operand_kinds.size() && i < out.items.size(); ++i) {
      const plan::Term& arg = out.items[i];
      if (arg.op == plan::TermOp::kConst &&
          (b->operand_kinds[i] & KindBit(arg.value.kind())) == 0) {
        Fail(kRegoTypeError, t.loc,
             absl::StrCat(name, ": invalid argument(s): operand ", i + 1, " cannot be ",
                          std::string(KindName(arg.value.kind()))));
        break;
      }
    }
    return out;
  }

  void Fail(std::string_view code, ast::Location loc, std::string message) {
    if (status_.ok()) {
      status_ = MakeError(code, env_.file, loc.line, loc.col, message);
    }
  }

  void set_root(const plan::Node* root) { root_ = root; }
  // The rule being compiled, for rego.metadata.chain() / rule().
  void set_rule_context(const Annotations* annotations, size_t module_index,
                        const ast::Rule* rule) {
    annotations_ = annotations;
    module_index_ = module_index;
    rule_ = rule;
  }

 private:
  const ModuleEnv& env_;
  int* num_slots_;
  const plan::Node* root_ = nullptr;
  const Annotations* annotations_ = nullptr;
  size_t module_index_ = 0;
  const ast::Rule* rule_ = nullptr;
  absl::Status status_;
  std::vector<std::unique_ptr<Scope>> scopes_;
};

// Names of vars mentioned in head terms.
void HeadVars(BodyCompiler& bc, const ast::Term* t, const Scope& scope,
              NameSet* out) {
  if (t) bc.ShallowVars(*t, scope, out);
}

class ModuleSetCompiler {
 public:
  absl::StatusOr<CompiledModules> Run(const std::vector<ast::Module>& modules) {
    result_.root = std::make_unique<plan::Node>();
    result_.root->path = "data";
    absl::StatusOr<Annotations> annotations = Annotations::Build(modules);
    if (!annotations.ok()) return annotations.status();
    annotations_ = &*annotations;
    // Package rule names (first segments), across modules of one package.
    std::map<std::vector<std::string>, NameSet> names;
    std::vector<ModuleEnv> envs(modules.size());
    for (size_t m = 0; m < modules.size(); ++m) {
      const ast::Module& mod = modules[m];
      ModuleEnv& env = envs[m];
      env.file = mod.filename;
      size_t rest = 0;
      std::vector<std::string> pkg = ConstPrefix(*mod.package, &rest);
      env.package.assign(pkg.begin() + 1, pkg.end());
      for (auto& r : mod.rules) {
        std::vector<TermPtr> items = RefItems(r.head.ref);
        names[env.package].insert(items[0]->name);
      }
      for (auto& imp : mod.imports) {
        size_t irest = 0;
        std::vector<std::string> ip = ConstPrefix(*imp.path, &irest);
        if (ip.empty() || (ip[0] != "data" && ip[0] != "input")) continue;
        GlobalRef g{ip[0] == "input", {ip.begin() + 1, ip.end()}};
        std::string alias = imp.alias.empty() ? ip.back() : imp.alias;
        env.imports[alias] = g;
      }
    }
    for (size_t m = 0; m < modules.size(); ++m) {
      envs[m].rule_names = &names[envs[m].package];
    }
    for (auto& env : envs) Ensure(env.package)->is_package = true;
    // Build the rule tree.
    struct Pending {
      const ast::Rule* rule;
      size_t module_index;
      const ModuleEnv* env;
      plan::Node* node;
      size_t key_start;  // index into the head ref where key_path starts
    };
    std::vector<Pending> pending;
    for (size_t m = 0; m < modules.size(); ++m) {
      for (auto& r : modules[m].rules) {
        std::vector<TermPtr> items = RefItems(r.head.ref);
        size_t rest = 0;
        std::vector<std::string> prefix = ConstPrefix(*r.head.ref, &rest);
        std::vector<std::string> full = envs[m].package;
        full.insert(full.end(), prefix.begin(), prefix.end());
        plan::Node* node = Ensure(full);
        Pending p{&r, m, &envs[m], node, rest};
        bool function = r.head.has_args || !r.head.args.empty();
        plan::RuleSet::Kind kind =
            rest < items.size() ? plan::RuleSet::kObject
            : r.head.key        ? plan::RuleSet::kPartialSet
                                : plan::RuleSet::kComplete;
        if (function) {
          if (!node->function) {
            node->function = std::make_unique<plan::Function>();
            node->function->name = node->path;
            node->function->arity = static_cast<int>(r.head.args.size());
          }
        } else {
          if (!node->rules) {
            node->rules = std::make_unique<plan::RuleSet>();
            node->rules->kind = kind;
            node->rules->path = node->path;
          } else if (node->rules->kind != kind) {
            return MakeError(kRegoTypeError, envs[m].file, r.loc.line,
                             r.loc.col,
                             absl::StrCat("conflicting rules ", node->path,
                                          " found"));
          }
        }
        pending.push_back(p);
      }
    }
    MarkRulesBelow(result_.root.get());
    // Compile each rule.
    for (auto& p : pending) {
      bool function = p.rule->head.has_args || !p.rule->head.args.empty();
      module_index_ = p.module_index;
      rule_ = p.rule;
      absl::StatusOr<std::unique_ptr<plan::Rule>> rule =
          CompileRule(*p.rule, *p.env, p.key_start, nullptr);
      if (!rule.ok()) return rule.status();
      if (function) {
        if (static_cast<int>(p.rule->head.args.size()) != p.node->function->arity) {
          return MakeError(kRegoTypeError, p.env->file, p.rule->loc.line,
                           p.rule->loc.col,
                           absl::StrCat("function ", p.node->path,
                                        " has arity mismatch"));
        }
        if (p.rule->is_default) {
          p.node->function->default_rule = std::move(*rule);
        } else {
          p.node->function->rules.push_back(std::move(*rule));
        }
      } else if (p.rule->is_default) {
        p.node->rules->default_rule = std::move(*rule);
      } else {
        p.node->rules->rules.push_back(std::move(*rule));
      }
    }
    if (absl::Status s = CheckRecursion(*result_.root); !s.ok()) return s;
    for (auto& p : pending) {
      if (p.node->rules && !p.node->rules->index) {
        p.node->rules->index = BuildRuleIndex(*p.node->rules);
      }
    }
    return std::move(result_);
  }

 private:
  plan::Node* Ensure(const std::vector<std::string>& path) {
    plan::Node* node = result_.root.get();
    for (auto& k : path) {
      auto& child = node->children[k];
      if (!child) {
        child = std::make_unique<plan::Node>();
        child->key_path = node->key_path;
        child->key_path.push_back(k);
        child->path = absl::StrCat(node->path, ".", k);
      }
      node = child.get();
    }
    return node;
  }

  static bool MarkRulesBelow(plan::Node* node) {
    bool any = node->rules != nullptr || node->function != nullptr ||
               node->is_package;
    for (auto& [k, c] : node->children) any = MarkRulesBelow(c.get()) || any;
    node->has_rules_below = any;
    return any;
  }

  absl::StatusOr<std::unique_ptr<plan::Rule>> CompileRule(
      const ast::Rule& r, const ModuleEnv& env, size_t key_start,
      const ast::RuleHead* params_from) {
    auto rule = std::make_unique<plan::Rule>();
    rule->loc = r.loc;
    rule->file = env.file;
    rule->is_default = r.is_default;
    BodyCompiler bc(env, &rule->num_slots);
    bc.set_root(result_.root.get());
    bc.set_rule_context(annotations_, module_index_, rule_);
    Scope scope;
    NameSet bound;
    NameSet outer;
    const ast::RuleHead& head = r.head;
    // A parameter that is not a pattern (a call or template string) is
    // matched in the body instead: f(g(x)) := ... becomes
    // f(__param0) := ... if { ...; __param0 = g(x) }, after x is bound.
    std::vector<TermPtr> args = params_from ? params_from->args : head.args;
    ast::Body body = r.body;
    for (size_t i = 0; i < args.size(); ++i) {
      TermKind kind = args[i]->kind;
      if (kind == TermKind::kVar || kind == TermKind::kScalar || kind == TermKind::kArray ||
          kind == TermKind::kObject || kind == TermKind::kSet) {
        continue;
      }
      auto param = std::make_shared<ast::Term>();
      param->kind = TermKind::kVar;
      param->loc = args[i]->loc;
      param->name = "__param" + std::to_string(i);
      ast::Expr match;
      match.kind = ast::ExprKind::kUnify;
      match.loc = args[i]->loc;
      match.lhs = param;
      match.rhs = args[i];
      body.push_back(std::move(match));
      args[i] = param;
    }
    // Parameters are patterns bound on entry; their names are local even
    // where a rule of the package has the same name.
    std::function<void(const ast::Term&)> declare = [&](const ast::Term& t) {
      if (t.kind == TermKind::kVar) {
        if (t.name != "_") {
          bc.Declare(t.name, scope);
          outer.insert(t.name);
        }
        return;
      }
      if (t.kind == TermKind::kRef || t.kind == TermKind::kCall) return;
      for (auto& i : t.items) declare(*i);
      for (auto& [k, v] : t.pairs) declare(*v);
    };
    for (auto& a : args) declare(*a);
    for (auto& a : args) {
      rule->params.push_back(bc.Lower(*a, scope, outer));
    }
    bound = outer;
    std::vector<TermPtr> items = RefItems(head.ref);
    NameSet head_vars;
    for (size_t i = key_start; i < items.size(); ++i) {
      HeadVars(bc, items[i].get(), scope, &head_vars);
    }
    HeadVars(bc, head.key.get(), scope, &head_vars);
    HeadVars(bc, head.value.get(), scope, &head_vars);
    NameSet body_outer = outer;
    body_outer.insert(head_vars.begin(), head_vars.end());
    rule->body = bc.CompileBody(body, scope, bound, body_outer);
    if (!bc.status().ok()) return bc.status();
    for (auto& n : head_vars) {
      if (!bound.count(n)) {
        return MakeError(kRegoUnsafeVarError, env.file, head.loc.line,
                         head.loc.col, absl::StrCat("var ", n, " is unsafe"));
      }
    }
    for (size_t i = key_start; i < items.size(); ++i) {
      rule->key_path.push_back(bc.Lower(*items[i], scope, body_outer));
    }
    if (head.key) rule->key = bc.Lower(*head.key, scope, body_outer);
    rule->set_leaf = head.key && !rule->key_path.empty();
    if (head.value) {
      rule->value = bc.Lower(*head.value, scope, body_outer);
    } else {
      rule->value = bc.Const(Value::Bool(true), head.loc);
    }
    rule->constant_value = rule->value.op == plan::TermOp::kConst &&
                           rule->key_path.empty() && !head.key;
    if (!bc.status().ok()) return bc.status();
    if (r.else_rule) {
      absl::StatusOr<std::unique_ptr<plan::Rule>> else_rule =
          CompileRule(*r.else_rule, env, key_start, &head);
      if (!else_rule.ok()) return else_rule.status();
      rule->else_rule = std::move(*else_rule);
    }
    return rule;
  }

  CompiledModules result_;
  // Annotations of the modules (during Run), and the rule being compiled
  // (else branches included) with the index of its module.
  const Annotations* annotations_ = nullptr;
  size_t module_index_ = 0;
  const ast::Rule* rule_ = nullptr;
};

}  // namespace

absl::StatusOr<CompiledModules> CompileModules(
    const std::vector<ast::Module>& modules) {
  ModuleSetCompiler compiler;
  return compiler.Run(modules);
}

absl::StatusOr<plan::Query> CompileQuery(const ast::Body& body,
                                         std::string_view text,
                                         const plan::Node& root) {
  plan::Query query;
  ModuleEnv env;
  BodyCompiler bc(env, &query.num_slots);
  bc.set_root(&root);
  Scope scope;
  NameSet bound, outer;
  query.body = bc.CompileBody(body, scope, bound, outer);
  if (!bc.status().ok()) return bc.status();
  for (auto& [name, slot] : scope.vars) {
    if (!name.empty() && name[0] != '$' && name.rfind("__", 0) != 0) {
      query.bindings.emplace_back(name, slot);
    }
  }
  // A query's terms and calls are captured with their value, as OPA's
  // `__localq` rewriting does: `data.p` and `f(1)` give their values, false
  // included. A query of several expressions, or one with variables
  // (iteration), still treats a false value as failure.
  bool keep_false = query.body.exprs.size() == 1 && query.num_slots == 0;
  for (auto& e : query.body.exprs) {
    if (e.op == plan::ExprOp::kTerm && !e.negated) {
      e.result_slot = query.num_slots++;
      e.keep_false = keep_false;
    }
  }
  // Expression texts, in evaluation order: each expression's own source
  // text, from its start to the next expression's (without separators).
  auto offset_of = [&](ast::Location loc) {
    size_t offset = 0;
    for (int line = 1; line < loc.line && offset < text.size(); ++offset) {
      if (text[offset] == '\n') ++line;
    }
    return std::min(text.size(), offset + static_cast<size_t>(std::max(loc.col, 1) - 1));
  };
  auto source_text = [&](size_t i) {
    size_t begin = i == 0 ? 0 : offset_of(body[i].loc);
    size_t end = i + 1 < body.size() ? offset_of(body[i + 1].loc) : text.size();
    std::string_view slice = text.substr(begin, end > begin ? end - begin : 0);
    auto separator = [](char c) { return std::isspace(static_cast<unsigned char>(c)) || c == ';'; };
    while (!slice.empty() && separator(slice.front())) slice.remove_prefix(1);
    while (!slice.empty() && separator(slice.back())) slice.remove_suffix(1);
    return std::string(slice);
  };
  for (const plan::Expr& e : query.body.exprs) {
    std::string source;
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i].loc.line == e.loc.line && body[i].loc.col == e.loc.col) {
        source = source_text(i);
        break;
      }
    }
    query.texts.push_back(std::move(source));
  }
  return query;
}

}  // namespace policyd::compile
