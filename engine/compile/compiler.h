// Compiles parsed modules into the rule tree and plans the evaluator runs.
// The passes, one per file: package_tree (packages, imports, global names),
// rule_tree (the nodes of data that rules define), var_use (what each
// expression binds and needs), safety (body order, unsafe variables),
// lower (slots and plan terms), recursion, type_check, rule_index.
#ifndef POLICYD_ENGINE_COMPILE_COMPILER_H_
#define POLICYD_ENGINE_COMPILE_COMPILER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/compile/plan.h"
#include "engine/compile/plan_arena.h"
#include "engine/syntax/ast.h"
#include "engine/value/value.h"

namespace policyd::compile {

struct CompiledModules {
  // Holds most of the plan below `root` (see compact.h); declared first so
  // that it outlives the plan.
  std::unique_ptr<plan::PlanArena> arena;
  // The modules' file names, which the rules point to (moving the vector
  // keeps its elements where they are).
  std::vector<std::string> files;
  std::unique_ptr<plan::Node> root;  // data
};

absl::StatusOr<CompiledModules> CompileModules(
    const std::vector<ast::Module>& modules);

// A query body compiled against `root` (no package: names are locals,
// `data`, `input` or builtins).
absl::StatusOr<plan::Query> CompileQuery(const ast::Body& body,
                                         std::string_view text,
                                         const plan::Node& root);

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_COMPILER_H_
