// The rule tree: one plan::Node per path under data that a package or rule
// defines, each holding the rule set or function of that path; and lookups
// of names in it.
#ifndef POLICYD_ENGINE_COMPILE_RULE_TREE_H_
#define POLICYD_ENGINE_COMPILE_RULE_TREE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/compile/package_tree.h"
#include "engine/compile/plan.h"
#include "engine/syntax/ast.h"

namespace policyd::compile {

// A rule placed in the tree, still to be lowered.
struct PlacedRule {
  const ast::Rule* rule;
  size_t module_index;
  plan::Node* node;
  size_t key_start;  // index into the head ref where the rule's key path starts
};

// Builds the tree under `root` (the node of `data`) for `modules`, whose
// environments are `envs`: packages and rule paths become nodes, each with
// an empty RuleSet or Function of the right kind, made in `arena` (the
// compiled set's, which `root` uses too). A path given rules of two kinds
// (`p := 1` and `p contains 2`) is a rego_type_error.
absl::StatusOr<std::vector<PlacedRule>> BuildRuleTree(
    const std::vector<ast::Module>& modules, const std::vector<ModuleEnv>& envs,
    plan::Node* root, plan::PlanArena& arena);

// True for a rule defining a function (`f(x)`, also `f()`).
bool IsFunction(const ast::Rule& rule);

// The node at `path` below `root`, or nullptr.
const plan::Node* FindNode(const plan::Node& root,
                           const std::vector<std::string>& path);

// The user function a call operator (`f`, `pkg.f`, `data.pkg.f`) names in
// `env`, or nullptr.
const plan::Function* ResolveFunction(const ModuleEnv& env,
                                      const plan::Node& root,
                                      const ast::Term& op);

// Arity of the function or builtin a call names; -1 when unknown.
int CallArity(const ModuleEnv& env, const plan::Node& root,
              const ast::Term& call);

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_RULE_TREE_H_
