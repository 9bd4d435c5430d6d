#include "engine/compile/var_use.h"

#include <functional>

#include "absl/strings/str_join.h"
#include "engine/builtins/builtin.h"
#include "engine/compile/rule_tree.h"

namespace policyd::compile {

using ast::TermKind;
using ast::TermPtr;

bool VarAnalysis::IsLocal(const std::string& name, const Scope& scope) const {
  if (IsWildcard(name)) return true;
  if (scope.Find(name) >= 0) return true;
  return !env_.Resolve(name).has_value();
}

void VarAnalysis::ShallowVars(const ast::Term& t, const Scope& scope,
                              NameSet* out) const {
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
void VarAnalysis::ShallowExprVars(const ast::Expr& e, const Scope& scope,
                                  NameSet* out) const {
  for (const TermPtr* t :
       {&e.term, &e.lhs, &e.rhs, &e.key, &e.value, &e.collection}) {
    if (*t) ShallowVars(**t, scope, out);
  }
  for (auto& v : e.vars) ShallowVars(*v, scope, out);
  for (auto& w : e.withs) ShallowVars(*w.value, scope, out);
}

void VarAnalysis::DeepVars(const ast::Term& t, const Scope& scope,
                           NameSet* out) const {
  if (t.kind == TermKind::kVar) {
    if (!IsWildcard(t.name) && IsLocal(t.name, scope)) out->insert(t.name);
    return;
  }
  for (size_t i = t.kind == TermKind::kCall ? 1 : 0; i < t.items.size(); ++i) {
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
void VarAnalysis::DeepExprVars(const ast::Expr& e, const Scope& scope,
                               NameSet* out) const {
  for (const TermPtr* t :
       {&e.term, &e.lhs, &e.rhs, &e.key, &e.value, &e.collection}) {
    if (*t) DeepVars(**t, scope, out);
  }
  for (auto& v : e.vars) DeepVars(*v, scope, out);
  for (auto& w : e.withs) DeepVars(*w.value, scope, out);
  if (e.body) {
    for (auto& x : *e.body) DeepExprVars(x, scope, out);
  }
}

void VarAnalysis::Use(const ast::Term& t, bool pattern, const Scope& scope,
                      const NameSet& outer, VarUse* use) const {
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

VarUse VarAnalysis::ExprUse(const ast::Expr& e, const Scope& scope,
                            const NameSet& outer, const NameSet& others) const {
  VarUse use;
  if (e.negated) {
    NameSet deep;
    DeepExprVars(e, scope, &deep);
    for (auto& n : deep) {
      if (others.count(n) || outer.count(n)) use.inputs.insert(n);
    }
    // As OPA: a negation binds nothing, so every variable it mentions
    // outside closures, wildcards included, must be bound before it.
    ShallowExprVars(e, scope, &use.inputs);
    if (MentionsWildcard(e)) use.inputs.insert("_");
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
        bool own =
            (e.key && e.key->kind == TermKind::kVar && e.key->name == n) ||
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
    if (!NamesFunction(*w.value, scope))
      Use(*w.value, false, scope, outer, &use);
  }
  return use;
}

namespace {

// Whether `t` mentions the wildcard outside closures.
bool TermMentionsWildcard(const ast::Term& t) {
  switch (t.kind) {
    case TermKind::kVar:
      return IsWildcard(t.name);
    case TermKind::kArrayCompr:
    case TermKind::kSetCompr:
    case TermKind::kObjectCompr:
      return false;
    default:
      for (size_t i = t.kind == TermKind::kCall ? 1 : 0; i < t.items.size(); ++i) {
        if (TermMentionsWildcard(*t.items[i])) return true;
      }
      for (auto& [k, v] : t.pairs) {
        if (TermMentionsWildcard(*k) || TermMentionsWildcard(*v)) return true;
      }
      return false;
  }
}

// Whether `t` mentions `name` anywhere (closures included).
bool TermMentions(const ast::Term& t, const std::string& name) {
  if (t.kind == TermKind::kVar) return t.name == name;
  for (auto& i : t.items) {
    if (TermMentions(*i, name)) return true;
  }
  for (auto& [k, v] : t.pairs) {
    if (TermMentions(*k, name) || TermMentions(*v, name)) return true;
  }
  if (t.key && TermMentions(*t.key, name)) return true;
  if (t.head && TermMentions(*t.head, name)) return true;
  return t.body && VarAnalysis::Mentions(*t.body, name);
}

}  // namespace

bool VarAnalysis::MentionsWildcard(const ast::Expr& e) {
  for (const TermPtr* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.value, &e.collection}) {
    if (*t && TermMentionsWildcard(**t)) return true;
  }
  return false;
}

bool VarAnalysis::Mentions(const ast::Body& body, const std::string& name) {
  for (const ast::Expr& e : body) {
    for (const TermPtr* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.value, &e.collection}) {
      if (*t && TermMentions(**t, name)) return true;
    }
    for (auto& v : e.vars) {
      if (TermMentions(*v, name)) return true;
    }
    for (auto& w : e.withs) {
      if (TermMentions(*w.value, name)) return true;
    }
    if (e.body && Mentions(*e.body, name)) return true;
  }
  return false;
}

NameSet VarAnalysis::DeclaredNames(const ast::Body& body) {
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

bool VarAnalysis::NamesFunction(const ast::Term& t, const Scope& scope) const {
  if (t.kind != TermKind::kVar && t.kind != TermKind::kRef) return false;
  if (t.kind == TermKind::kVar && scope.Find(t.name) >= 0) return false;
  if (ResolveFunction(env_, *root_, t)) return true;
  size_t rest = 0;
  std::vector<std::string> path = ConstPrefix(t, &rest);
  if (rest != (t.kind == TermKind::kVar ? 1 : t.items.size())) return false;
  if (t.kind == TermKind::kVar && env_.Resolve(t.name)) return false;
  return BuiltinRegistry::Default().Find(absl::StrJoin(path, ".")) != nullptr;
}

}  // namespace policyd::compile
