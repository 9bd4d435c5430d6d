// Lowering to the plan: names become frame slots, globals and rules become
// walks of the rule tree, calls point at their function or builtin, and
// each body is emitted in the order the safety pass chose.
#ifndef POLICYD_ENGINE_COMPILE_LOWER_H_
#define POLICYD_ENGINE_COMPILE_LOWER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/compile/annotations.h"
#include "engine/compile/package_tree.h"
#include "engine/compile/plan.h"
#include "engine/compile/var_use.h"
#include "engine/syntax/ast.h"

namespace policyd::compile {

// Lowers the bodies and terms of one rule or query. The first error is
// kept in status(); lowering goes on regardless, so check it at the end.
class BodyLowerer {
 public:
  // Slots are numbered from *num_slots, which receives the frame size.
  BodyLowerer(const ModuleEnv& env, const plan::Node* root, int* num_slots)
      : vars_(env, root), num_slots_(num_slots) {}

  absl::Status status() const { return status_; }
  const VarAnalysis& vars() const { return vars_; }

  // The rule being compiled, for rego.metadata.chain() / rule().
  void set_rule_context(const Annotations* annotations, size_t module_index,
                        const ast::Rule* rule) {
    annotations_ = annotations;
    module_index_ = module_index;
    rule_ = rule;
  }

  // The slot of a name declared in `scope` (a new one for `_`).
  int Declare(const std::string& name, Scope& scope);

  // Orders (see safety.h) and lowers a body. `bound` holds the names bound
  // on entry and receives those bound after it; `outer` the names visible
  // from enclosing scopes (and rule heads).
  plan::Body LowerBody(const ast::Body& source, Scope& scope, NameSet& bound,
                       const NameSet& outer);

  plan::Term Lower(const ast::Term& t, Scope& scope, const NameSet& outer);
  plan::Term Const(Value v, ast::Location loc);

 private:
  int SlotFor(const std::string& name, Scope& scope);
  plan::Expr LowerExpr(const ast::Expr& e, Scope& scope, const NameSet& bound,
                       const NameSet& outer);
  plan::Term LowerDeclared(const ast::Term& t, Scope& scope, NameSet& bound);
  plan::With LowerWith(const ast::With& w, Scope& scope, const NameSet& outer);
  plan::Term GlobalTerm(const GlobalRef& g, ast::Location loc);
  plan::Term LowerComprehension(const ast::Term& t, Scope& scope,
                                const NameSet& outer);
  plan::Term LowerCall(const ast::Term& t, Scope& scope, const NameSet& outer);
  void ResolveDataPrefix(plan::Term& ref) const;
  void Fail(std::string_view code, ast::Location loc, std::string message);

  VarAnalysis vars_;
  int* num_slots_;
  const Annotations* annotations_ = nullptr;
  size_t module_index_ = 0;
  const ast::Rule* rule_ = nullptr;
  absl::Status status_;
  std::vector<std::unique_ptr<Scope>> scopes_;
};

// Where a rule is lowered: its module's names, the rule tree, and the
// annotations for rego.metadata calls.
struct RuleContext {
  const ModuleEnv* env;
  const plan::Node* root;
  const Annotations* annotations;
  size_t module_index;
  const ast::Rule* rule;  // the top-level rule (else branches share it)
  const std::string* file;  // the module's name, kept as long as the plan
};

// Lowers rule `r` whose head ref's key path starts at `key_start`; an else
// branch takes its parameters from `params_from`, the head of its chain.
absl::StatusOr<plan::Boxed<plan::Rule>> LowerRule(
    const ast::Rule& r, const RuleContext& context, size_t key_start,
    const ast::RuleHead* params_from);

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_LOWER_H_
