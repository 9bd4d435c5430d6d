// Variable use: which local variables an expression needs bound before it
// runs (inputs) and which it binds (outputs), by name. The safety pass orders
// bodies from these sets; the lowering pass turns the names into slots.
#ifndef POLICYD_ENGINE_COMPILE_VAR_USE_H_
#define POLICYD_ENGINE_COMPILE_VAR_USE_H_

#include <map>
#include <string>

#include "engine/compile/package_tree.h"
#include "engine/compile/plan.h"
#include "engine/syntax/ast.h"

namespace policyd::compile {

// A lexical scope of local variables: name -> frame slot.
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

// Variable use within one module (`env`) over the rule tree `root`.
class VarAnalysis {
 public:
  VarAnalysis(const ModuleEnv& env, const plan::Node* root)
      : env_(env), root_(root) {}

  const ModuleEnv& env() const { return env_; }
  const plan::Node* root() const { return root_; }

  // A name that is no global of the module, or one declared in `scope`.
  bool IsLocal(const std::string& name, const Scope& scope) const;

  // Local names mentioned by a term outside comprehension bodies.
  void ShallowVars(const ast::Term& t, const Scope& scope, NameSet* out) const;
  void ShallowExprVars(const ast::Expr& e, const Scope& scope,
                       NameSet* out) const;
  // All local names mentioned anywhere in a term (deep).
  void DeepVars(const ast::Term& t, const Scope& scope, NameSet* out) const;
  void DeepExprVars(const ast::Expr& e, const Scope& scope, NameSet* out) const;

  // The use of a term. `pattern`: the term is matched (its vars are
  // outputs); `outer`: names visible from enclosing scopes, which
  // comprehensions take as inputs.
  void Use(const ast::Term& t, bool pattern, const Scope& scope,
           const NameSet& outer, VarUse* use) const;
  // The use of an expression; `others`: names the rest of its body
  // mentions (a negation needs those bound first).
  VarUse ExprUse(const ast::Expr& e, const Scope& scope, const NameSet& outer,
                 const NameSet& others) const;

  // Names a body declares explicitly (`some`, `:=`, `some ... in`).
  static NameSet DeclaredNames(const ast::Body& body);
  // Whether `e` mentions the wildcard `_` outside closures.
  static bool MentionsWildcard(const ast::Expr& e);
  // Whether `body` mentions the name anywhere (closures included).
  static bool Mentions(const ast::Body& body, const std::string& name);

  // True when `t` names a function or builtin (a `with` replacement) rather
  // than a value.
  bool NamesFunction(const ast::Term& t, const Scope& scope) const;

 private:
  const ModuleEnv& env_;
  const plan::Node* root_;
};

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_VAR_USE_H_
