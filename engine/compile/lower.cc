#include "engine/compile/lower.h"

#include <functional>
#include <map>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/builtins/builtin.h"
#include "engine/compile/rule_tree.h"
#include "engine/compile/safety.h"
#include "engine/errors.h"

namespace policyd::compile {
namespace {

using ast::TermKind;
using ast::TermPtr;

void MarkSimpleShape(plan::Term& ref) {
  const plan::Term& base = ref.items[0];
  bool simple = base.op == plan::TermOp::kInput || base.op == plan::TermOp::kVar ||
                (base.op == plan::TermOp::kData && ref.node() &&
                 (ref.leaves_tree || !ref.node()->has_rules_below));
  for (size_t i = 1; simple && i < ref.items.size(); ++i) {
    simple = ref.items[i].op == plan::TermOp::kConst || ref.items[i].op == plan::TermOp::kVar;
  }
  ref.simple_shape = simple;
}

}  // namespace

int BodyLowerer::Declare(const std::string& name, Scope& scope) {
  if (IsWildcard(name)) return (*num_slots_)++;
  auto it = scope.vars.find(name);
  if (it != scope.vars.end()) return it->second;
  int slot = (*num_slots_)++;
  scope.vars[name] = slot;
  return slot;
}

int BodyLowerer::SlotFor(const std::string& name, Scope& scope) {
  if (IsWildcard(name)) return (*num_slots_)++;
  int slot = scope.Find(name);
  return slot >= 0 ? slot : Declare(name, scope);
}

plan::Body BodyLowerer::LowerBody(const ast::Body& source, Scope& scope,
                                  NameSet& bound, const NameSet& outer) {
  plan::Body out;
  // Names the body declares explicitly shadow globals.
  for (const std::string& name : VarAnalysis::DeclaredNames(source)) {
    Declare(name, scope);
  }
  OrderedBody ordered = OrderBody(vars_, source, scope, bound, outer);
  for (size_t k = 0; k < ordered.order.size(); ++k) {
    size_t i = ordered.order[k];
    out.exprs.push_back(LowerExpr(ordered.exprs[i], scope,
                                  ordered.bound_before[k], ordered.outer[i]));
    if (!status_.ok()) return out;
  }
  if (!ordered.status.ok() && status_.ok()) status_ = ordered.status;
  return out;
}

plan::Expr BodyLowerer::LowerExpr(const ast::Expr& e, Scope& scope, const NameSet& bound,
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
      out.parts.Mutable().collection = Lower(*e.collection, scope, outer);
      if (e.key) {
        out.parts.Mutable().key = plan::Boxed<plan::Term>(Lower(*e.key, scope, outer));
      }
      out.parts.Mutable().value = plan::Boxed<plan::Term>(Lower(*e.value, scope, outer));
      break;
    case ast::ExprKind::kEvery: {
      out.op = plan::ExprOp::kEvery;
      plan::ExprParts& parts = out.parts.Mutable();
      parts.collection = Lower(*e.collection, scope, outer);
      auto child = std::make_unique<Scope>();
      child->parent = &scope;
      NameSet inner_bound = bound;
      if (e.key) {
        parts.key = plan::Boxed<plan::Term>(
            LowerDeclared(*e.key, *child, inner_bound));
      }
      parts.value = plan::Boxed<plan::Term>(
          LowerDeclared(*e.value, *child, inner_bound));
      NameSet inner_outer = outer;
      inner_outer.insert(bound.begin(), bound.end());
      parts.body = plan::Boxed<plan::Body>(
          LowerBody(*e.body, *child, inner_bound, inner_outer));
      scopes_.push_back(std::move(child));
      break;
    }
    case ast::ExprKind::kSome:
      break;
  }
  return out;
}

// A fresh local (every's key/value): always a new slot in `scope`.
plan::Term BodyLowerer::LowerDeclared(const ast::Term& t, Scope& scope, NameSet& bound) {
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

plan::With BodyLowerer::LowerWith(const ast::With& w, Scope& scope, const NameSet& outer) {
  plan::With out;
  out.loc = w.loc;
  bool names_function = vars_.NamesFunction(*w.value, scope);
  if (!names_function) out.value = Lower(*w.value, scope, outer);
  size_t rest = 0;
  std::vector<std::string> path = ConstPrefix(*w.target, &rest);
  if (path.empty()) {
    Fail(kRegoTypeError, w.loc, "with target must be a reference");
    return out;
  }
  // input and data, or an import alias or rule of the package that stands
  // for a path below them.
  std::optional<GlobalRef> global = vars_.env().Resolve(path[0]);
  if (global) {
    out.target = global->input ? plan::With::kInput : plan::With::kData;
    out.path = global->path;
    out.path.insert(out.path.end(), path.begin() + 1, path.end());
    if (!global->input) {
      if (const plan::Node* node = FindNode(*vars_.root(), out.path);
          node && node->function) {
        out.target = plan::With::kFunction;
        out.function_name = node->path;
      }
    }
  } else {
    std::string name = absl::StrJoin(path, ".");
    if (const plan::Function* f = ResolveFunction(vars_.env(), *vars_.root(), *w.target)) {
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
    if (const plan::Function* f = ResolveFunction(vars_.env(), *vars_.root(), *w.value)) {
      out.replacement_function = f;
    } else {
      size_t vrest = 0;
      out.replacement_builtin = BuiltinRegistry::Default().Find(
          absl::StrJoin(ConstPrefix(*w.value, &vrest), "."));
    }
  }
  return out;
}

plan::Term BodyLowerer::Const(Value v, ast::Location loc) {
  plan::Term t;
  t.op = plan::TermOp::kConst;
  t.value = std::move(v);
  t.loc = loc;
  t.ground = true;
  return t;
}

plan::Term BodyLowerer::GlobalTerm(const GlobalRef& g, ast::Location loc) {
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

plan::Term BodyLowerer::Lower(const ast::Term& t, Scope& scope, const NameSet& outer) {
  plan::Term out;
  out.loc = t.loc;
  switch (t.kind) {
    case TermKind::kScalar:
      // A string of the source gets a copy of its own: shared, it would
      // keep the page of the parse tree it sits on resident after the
      // tree is freed (a compiled policy set kept 2x its plan that way).
      return Const(t.value.is_string() ? Value::String(t.value.string()) : t.value, t.loc);
    case TermKind::kVar: {
      if (!vars_.IsLocal(t.name, scope)) return GlobalTerm(*vars_.env().Resolve(t.name), t.loc);
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
      plan::TightVector<std::pair<plan::Term, plan::Term>>& pairs = out.parts.Mutable().pairs;
      bool ground = true;
      for (auto& [k, v] : t.pairs) {
        pairs.emplace_back(Lower(*k, scope, outer), Lower(*v, scope, outer));
        ground = ground && pairs.back().first.op == plan::TermOp::kConst &&
                 pairs.back().second.op == plan::TermOp::kConst;
      }
      if (ground) {
        std::vector<ObjectEntry> entries;
        for (auto& [k, v] : pairs) entries.emplace_back(k.value, v.value);
        return Const(Value::Object(std::move(entries)), t.loc);
      }
      return out;
    }
    case TermKind::kArrayCompr:
    case TermKind::kSetCompr:
    case TermKind::kObjectCompr:
      return LowerComprehension(t, scope, outer);
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

plan::Term BodyLowerer::LowerComprehension(const ast::Term& t, Scope& scope,
                                           const NameSet& outer) {
  plan::Term out;
  out.loc = t.loc;
  out.op = t.kind == TermKind::kArrayCompr  ? plan::TermOp::kArrayCompr
           : t.kind == TermKind::kSetCompr ? plan::TermOp::kSetCompr
                                           : plan::TermOp::kObjectCompr;
  auto child = std::make_unique<Scope>();
  child->parent = &scope;
  // Names of the enclosing scopes that the comprehension sees; the
  // rest, and those it declares itself, are its own.
  NameSet deep;
  vars_.DeepVars(t, scope, &deep);
  NameSet own = VarAnalysis::DeclaredNames(*t.body);
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
  plan::TermParts& parts = out.parts.Mutable();
  parts.body = plan::Boxed<plan::Body>(
      LowerBody(*t.body, *child, bound, inner_outer));
  // The head needs its own variables bound by the body; comprehensions in
  // it check their own and see the body's bindings (closures).
  NameSet head_vars;
  if (t.key) vars_.ShallowVars(*t.key, *child, &head_vars);
  vars_.ShallowVars(*t.head, *child, &head_vars);
  for (auto& n : head_vars) {
    if (!bound.count(n)) {
      Fail(kRegoUnsafeVarError, t.loc,
           absl::StrCat("var ", n, " is unsafe"));
    }
  }
  NameSet head_outer = inner_outer;
  head_outer.insert(bound.begin(), bound.end());
  if (t.key) parts.key = plan::Boxed<plan::Term>(Lower(*t.key, *child, head_outer));
  parts.head = plan::Boxed<plan::Term>(Lower(*t.head, *child, head_outer));
  scopes_.push_back(std::move(child));
  return out;
}

// For a ref into data, the deepest rule-tree node its constant keys reach,
// so that evaluation starts there instead of walking from the root.
void BodyLowerer::ResolveDataPrefix(plan::Term& ref) const {
  if (ref.items[0].op != plan::TermOp::kData || vars_.root() == nullptr) return;
  const plan::Node* node = vars_.root();
  size_t i = 1;
  for (; i < ref.items.size() && i < plan::Term::kMaxNodeDepth; ++i) {
    const plan::Term& key = ref.items[i];
    if (key.op != plan::TermOp::kConst || !key.value.is_string()) break;
    auto it = node->children.find(key.value.string());
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
  ref.set_node(node);
  ref.node_depth = static_cast<uint16_t>(i);
}


plan::Term BodyLowerer::LowerCall(const ast::Term& t, Scope& scope, const NameSet& outer) {
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
  std::vector<int> eval_order;
  for (size_t i = 1; i < t.items.size(); ++i) {
    VarUse use;
    vars_.Use(*t.items[i], false, scope, outer, &use);
    if (!use.ref_outputs.empty()) eval_order.insert(eval_order.begin(), i - 1);
    else eval_order.push_back(i - 1);
  }
  bool natural = true;
  for (size_t i = 0; i < eval_order.size(); ++i) {
    natural = natural && eval_order[i] == static_cast<int>(i);
  }
  if (!natural) {
    plan::TightVector<int>& order = out.parts.Mutable().eval_order;
    order.reserve(eval_order.size());
    for (int position : eval_order) order.push_back(position);
  }
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
  if (const plan::Function* f = ResolveFunction(vars_.env(), *vars_.root(), op)) {
    out.set_function(f);
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
  // Builtins OPA deprecated are gone under Rego v1 (and `import rego.v1`).
  static const absl::flat_hash_set<std::string_view> kDeprecated = {
      "all", "any", "re_match", "net.cidr_overlap", "set_diff", "cast_array",
      "cast_set", "cast_string", "cast_boolean", "cast_null", "cast_object"};
  if (vars_.env().rego_v1 && kDeprecated.contains(b->name)) {
    Fail(kRegoTypeError, t.loc,
         absl::StrCat("deprecated built-in function calls in expression: ", b->name));
    return out;
  }
  out.set_builtin(b);
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
  // Argument types are checked by the type checker (type_check.h).
  return out;
}

void BodyLowerer::Fail(std::string_view code, ast::Location loc, std::string message) {
  if (status_.ok()) {
    status_ = MakeError(code, vars_.env().file, loc.line, loc.col, message);
  }
}

absl::StatusOr<plan::Boxed<plan::Rule>> LowerRule(
    const ast::Rule& r, const RuleContext& context, size_t key_start,
    const ast::RuleHead* params_from) {
  const ModuleEnv& env = *context.env;
  plan::Boxed<plan::Rule> rule(plan::Rule{});
  rule->loc = r.loc;
  rule->file = context.file;
  rule->is_default = r.is_default;
  BodyLowerer bc(env, context.root, &rule->num_slots);
  bc.set_rule_context(context.annotations, context.module_index, context.rule);
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
    bc.vars().ShallowVars(*items[i], scope, &head_vars);
  }
  if (head.key) bc.vars().ShallowVars(*head.key, scope, &head_vars);
  if (head.value) bc.vars().ShallowVars(*head.value, scope, &head_vars);
  NameSet body_outer = outer;
  body_outer.insert(head_vars.begin(), head_vars.end());
  rule->body = bc.LowerBody(body, scope, bound, body_outer);
  if (!bc.status().ok()) return bc.status();
  for (auto& n : head_vars) {
    if (!bound.count(n)) {
      return MakeError(kRegoUnsafeVarError, env.file, head.loc.line,
                       head.loc.col, absl::StrCat("var ", n, " is unsafe"));
    }
  }
  // Comprehensions in the head see the body's bindings.
  body_outer.insert(bound.begin(), bound.end());
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
    absl::StatusOr<plan::Boxed<plan::Rule>> else_rule =
        LowerRule(*r.else_rule, context, key_start, &head);
    if (!else_rule.ok()) return else_rule.status();
    rule->else_rule = *std::move(else_rule);
  }
  return rule;
}

}  // namespace policyd::compile
