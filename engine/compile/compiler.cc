#include "engine/compile/compiler.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/compile/annotations.h"
#include "engine/compile/compact.h"
#include "engine/compile/lower.h"
#include "engine/compile/package_tree.h"
#include "engine/compile/recursion.h"
#include "engine/compile/rule_index.h"
#include "engine/compile/rule_tree.h"
#include "engine/compile/type_check.h"
#include "engine/errors.h"

namespace policyd::compile {

absl::StatusOr<CompiledModules> CompileModules(
    const std::vector<ast::Module>& modules) {
  CompiledModules result;
  result.arena = std::make_unique<plan::PlanArena>();
  result.root = std::make_unique<plan::Node>(result.arena.get());
  result.root->path = "data";
  absl::StatusOr<Annotations> annotations = Annotations::Build(modules);
  if (!annotations.ok()) return annotations.status();
  PackageRuleNames rule_names;
  std::vector<ModuleEnv> envs = BuildModuleEnvs(modules, &rule_names);
  result.files.reserve(envs.size());
  for (const ModuleEnv& env : envs) result.files.push_back(env.file);
  absl::StatusOr<std::vector<PlacedRule>> placed =
      BuildRuleTree(modules, envs, result.root.get(), *result.arena);
  if (!placed.ok()) return placed.status();
  for (const PlacedRule& p : *placed) {
    const ModuleEnv& env = envs[p.module_index];
    RuleContext context{&env, result.root.get(), &*annotations, p.module_index,
                        p.rule, &result.files[p.module_index]};
    absl::StatusOr<plan::Boxed<plan::Rule>> rule =
        LowerRule(*p.rule, context, p.key_start, nullptr);
    if (!rule.ok()) return rule.status();
    if (IsFunction(*p.rule) && p.rule->head.args.empty() && p.node->function->arity == 0) {
      absl::StatusOr<plan::Boxed<plan::Rule>> as_rule =
          LowerRule(*p.rule, context, p.key_start, nullptr);
      if (!as_rule.ok()) return as_rule.status();
      if (p.rule->is_default) {
        p.node->rules->default_rule = *std::move(as_rule);
      } else {
        p.node->rules->rules.push_back(*std::move(as_rule));
      }
    }
    if (IsFunction(*p.rule)) {
      if (static_cast<int>(p.rule->head.args.size()) != p.node->function->arity) {
        return MakeError(kRegoTypeError, env.file, p.rule->loc.line,
                         p.rule->loc.col,
                         absl::StrCat("function ", std::string(p.node->path),
                                      " has arity mismatch"));
      }
      if (p.rule->is_default) {
        p.node->function->default_rule = *std::move(rule);
      } else {
        p.node->function->rules.push_back(*std::move(rule));
      }
    } else if (p.rule->is_default) {
      p.node->rules->default_rule = *std::move(rule);
    } else {
      p.node->rules->rules.push_back(*std::move(rule));
    }
  }
  if (absl::Status s = CheckRecursion(*result.root); !s.ok()) return s;
  if (absl::Status s = CheckTypes(*result.root); !s.ok()) return s;
  for (const PlacedRule& p : *placed) {
    if (p.node->rules && !p.node->rules->index) {
      p.node->rules->index = BuildRuleIndex(*p.node->rules);
    }
  }
  Compact(*result.root, *result.arena);
  return result;
}

absl::StatusOr<plan::Query> CompileQuery(const ast::Body& body,
                                         std::string_view text,
                                         const plan::Node& root) {
  plan::Query query;
  ModuleEnv env;
  BodyLowerer bc(env, &root, &query.num_slots);
  Scope scope;
  NameSet bound, outer;
  query.body = bc.LowerBody(body, scope, bound, outer);
  if (!bc.status().ok()) return bc.status();
  if (absl::Status s = CheckQueryTypes(query); !s.ok()) return s;
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
