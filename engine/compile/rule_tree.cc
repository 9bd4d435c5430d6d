#include "engine/compile/rule_tree.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/builtins/builtin.h"
#include "engine/errors.h"

namespace policyd::compile {
namespace {

plan::Node* Ensure(plan::Node* node, const std::vector<std::string>& path) {
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

bool MarkRulesBelow(plan::Node* node) {
  bool any = node->rules != nullptr || node->function != nullptr ||
             node->is_package;
  for (auto& [k, c] : node->children) any = MarkRulesBelow(c.get()) || any;
  node->has_rules_below = any;
  return any;
}

}  // namespace

bool IsFunction(const ast::Rule& rule) {
  return rule.head.has_args || !rule.head.args.empty();
}

absl::StatusOr<std::vector<PlacedRule>> BuildRuleTree(
    const std::vector<ast::Module>& modules, const std::vector<ModuleEnv>& envs,
    plan::Node* root) {
  for (auto& env : envs) Ensure(root, env.package)->is_package = true;
  std::vector<PlacedRule> placed;
  for (size_t m = 0; m < modules.size(); ++m) {
    for (auto& r : modules[m].rules) {
      std::vector<ast::TermPtr> items = RefItems(r.head.ref);
      const std::string& name = items[0]->name;
      if (envs[m].rego_v1 && (name == "input" || name == "data")) {
        return MakeError(kRegoCompileError, envs[m].file, r.loc.line, r.loc.col,
                         absl::StrCat("rules must not shadow ", name,
                                      " (use a different rule name)"));
      }
      size_t rest = 0;
      std::vector<std::string> prefix = ConstPrefix(*r.head.ref, &rest);
      std::vector<std::string> full = envs[m].package;
      full.insert(full.end(), prefix.begin(), prefix.end());
      plan::Node* node = Ensure(root, full);
      plan::RuleSet::Kind kind =
          rest < items.size() ? plan::RuleSet::kObject
          : r.head.key        ? plan::RuleSet::kPartialSet
                              : plan::RuleSet::kComplete;
      if (IsFunction(r)) {
        if (!node->function) {
          node->function = std::make_unique<plan::Function>();
          node->function->name = node->path;
          node->function->arity = static_cast<int>(r.head.args.size());
        }
      }
      // A function without arguments is also a rule of its path, as in OPA
      // (`data.p.f` reads `f() := 1`).
      if (!IsFunction(r) || r.head.args.empty()) {
        if (!node->rules) {
          node->rules = std::make_unique<plan::RuleSet>();
          node->rules->kind = kind;
        } else if (node->rules->kind != kind) {
          return MakeError(kRegoTypeError, envs[m].file, r.loc.line, r.loc.col,
                           absl::StrCat("conflicting rules ", node->path, " found"));
        }
      }
      placed.push_back({&r, m, node, rest});
    }
  }
  MarkRulesBelow(root);
  // A rule's value is the whole document at its path: nothing may be
  // defined inside it (`a.b := 1` beside `a.b.c := 2`, or a package a.b).
  // Rules with variables in their path (`a.b[x]`) build objects there and
  // may share the extent.
  for (const PlacedRule& p : placed) {
    const plan::Node& node = *p.node;
    if (!node.rules || node.rules->kind == plan::RuleSet::kObject) continue;
    std::vector<std::string> inside;
    for (const auto& [key, child] : node.children) {
      if (child->has_rules_below) inside.push_back(child->path);
    }
    if (!inside.empty() || node.is_package) {
      const ModuleEnv& env = envs[p.module_index];
      return MakeError(kRegoTypeError, env.file, p.rule->loc.line, p.rule->loc.col,
                       node.is_package && inside.empty()
                           ? absl::StrCat("package ", node.path.substr(5),
                                          " conflicts with rule ", node.path,
                                          " defined at ", env.file, ":",
                                          p.rule->loc.line)
                           : absl::StrCat("rule ", node.path, " conflicts with [",
                                          absl::StrJoin(inside, " "), "]"));
    }
  }
  return placed;
}

const plan::Node* FindNode(const plan::Node& root,
                           const std::vector<std::string>& path) {
  const plan::Node* node = &root;
  for (auto& k : path) {
    auto it = node->children.find(k);
    if (it == node->children.end()) return nullptr;
    node = it->second.get();
  }
  return node;
}

const plan::Function* ResolveFunction(const ModuleEnv& env,
                                      const plan::Node& root,
                                      const ast::Term& op) {
  size_t rest = 0;
  std::vector<std::string> path = ConstPrefix(op, &rest);
  if (path.empty() ||
      rest != (op.kind == ast::TermKind::kVar ? 1 : op.items.size())) {
    return nullptr;
  }
  std::optional<GlobalRef> g = env.Resolve(path[0]);
  if (!g || g->input) return nullptr;
  std::vector<std::string> full = g->path;
  full.insert(full.end(), path.begin() + 1, path.end());
  const plan::Node* node = FindNode(root, full);
  return node ? node->function.get() : nullptr;
}

int CallArity(const ModuleEnv& env, const plan::Node& root,
              const ast::Term& call) {
  const ast::Term& op = *call.items[0];
  if (const plan::Function* f = ResolveFunction(env, root, op)) return f->arity;
  size_t rest = 0;
  std::vector<std::string> path = ConstPrefix(op, &rest);
  if (const Builtin* b =
          BuiltinRegistry::Default().Find(absl::StrJoin(path, "."))) {
    return b->arity;
  }
  return -1;
}

}  // namespace policyd::compile
