#include "engine/compile/rule_tree.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/builtins/builtin.h"
#include "engine/errors.h"

namespace policyd::compile {
namespace {

plan::Node* Ensure(plan::Node* node, const std::vector<std::string>& path,
                   plan::PlanArena& arena) {
  for (auto& k : path) {
    auto it = node->children.find(k);
    if (it == node->children.end()) {
      auto child = plan::Boxed<plan::Node>::InArena(&arena, &arena);
      child->path = arena.CopyString(absl::StrCat(std::string(node->path), ".", k));
      // The key is the end of the path ("data.a.b" ends with "b"): the
      // parent's keys and this one all point into the arena's paths.
      std::string_view key = child->path.substr(node->path.size() + 1);
      child->key_path.reserve(node->key_path.size() + 1);
      for (std::string_view parent_key : node->key_path) child->key_path.push_back(parent_key);
      child->key_path.push_back(key);
      child->key_path.MoveInto(arena);
      it = node->children.emplace(key, std::move(child)).first;
    }
    node = it->second.get();
  }
  return node;
}

bool MarkRulesBelow(plan::Node* node) {
  bool any = static_cast<bool>(node->rules) || static_cast<bool>(node->function) ||
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
    plan::Node* root, plan::PlanArena& arena) {
  for (auto& env : envs) Ensure(root, env.package, arena)->is_package = true;
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
      plan::Node* node = Ensure(root, full, arena);
      plan::RuleSet::Kind kind =
          rest < items.size() ? plan::RuleSet::kObject
          : r.head.key        ? plan::RuleSet::kPartialSet
                              : plan::RuleSet::kComplete;
      if (IsFunction(r)) {
        if (!node->function) {
          node->function = plan::Boxed<plan::Function>::InArena(&arena);
          node->function->name = std::string(node->path);
          node->function->arity = static_cast<int>(r.head.args.size());
        }
      }
      // A function without arguments is also a rule of its path, as in OPA
      // (`data.p.f` reads `f() := 1`).
      if (!IsFunction(r) || r.head.args.empty()) {
        if (!node->rules) {
          node->rules = plan::Boxed<plan::RuleSet>::InArena(&arena);
          node->rules->kind = kind;
        } else if (node->rules->kind != kind) {
          return MakeError(kRegoTypeError, envs[m].file, r.loc.line, r.loc.col,
                           absl::StrCat("conflicting rules ", std::string(node->path), " found"));
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
      if (child->has_rules_below) inside.push_back(std::string(child->path));
    }
    if (!inside.empty() || node.is_package) {
      const ModuleEnv& env = envs[p.module_index];
      return MakeError(kRegoTypeError, env.file, p.rule->loc.line, p.rule->loc.col,
                       node.is_package && inside.empty()
                           ? absl::StrCat("package ", std::string(node.path.substr(5)),
                                          " conflicts with rule ", std::string(node.path),
                                          " defined at ", env.file, ":",
                                          p.rule->loc.line)
                           : absl::StrCat("rule ", std::string(node.path), " conflicts with [",
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
