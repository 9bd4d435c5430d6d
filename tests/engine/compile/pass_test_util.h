// Helpers for the compiler-pass tests: parse Rego text into modules, and
// build the environments and rule tree the passes work over.
#ifndef POLICYD_TESTS_ENGINE_COMPILE_PASS_TEST_UTIL_H_
#define POLICYD_TESTS_ENGINE_COMPILE_PASS_TEST_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include "engine/compile/package_tree.h"
#include "engine/compile/plan.h"
#include "engine/compile/rule_tree.h"
#include "engine/syntax/parser.h"
#include "gtest/gtest.h"

namespace policyd::compile::testing {

// Modules m0.rego, m1.rego, ... parsed from `texts` (v1 syntax); the modules
// and what the passes build from them stay together, as the passes point
// into each other.
struct Parsed {
  std::vector<ast::Module> modules;
  PackageRuleNames rule_names;
  std::vector<ModuleEnv> envs;
  plan::PlanArena arena;  // before root: the tree lives in it
  std::unique_ptr<plan::Node> root;

  explicit Parsed(const std::vector<std::string>& texts) {
    for (size_t i = 0; i < texts.size(); ++i) {
      auto m = ast::ParseModule("m" + std::to_string(i) + ".rego", texts[i]);
      EXPECT_TRUE(m.ok()) << m.status();
      if (m.ok()) modules.push_back(std::move(*m));
    }
    envs = BuildModuleEnvs(modules, &rule_names);
    root = std::make_unique<plan::Node>(&arena);
    root->path = "data";
  }
  Parsed(const Parsed&) = delete;
  Parsed& operator=(const Parsed&) = delete;

  // The rule tree of the modules (EXPECTs it builds).
  std::vector<PlacedRule> BuildTree() {
    auto placed = BuildRuleTree(modules, envs, root.get(), arena);
    EXPECT_TRUE(placed.ok()) << placed.status();
    return placed.ok() ? *placed : std::vector<PlacedRule>{};
  }

  // The body of rule `i` of module 0.
  const ast::Body& Body(size_t i = 0) const { return modules[0].rules[i].body; }
};

}  // namespace policyd::compile::testing

#endif  // POLICYD_TESTS_ENGINE_COMPILE_PASS_TEST_UTIL_H_
