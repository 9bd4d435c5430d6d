// The package tree and imports: which global names the rules of a module
// see besides their locals (`input`, `data`, import aliases and the rules of
// their own package), and the constant paths of references.
#ifndef POLICYD_ENGINE_COMPILE_PACKAGE_TREE_H_
#define POLICYD_ENGINE_COMPILE_PACKAGE_TREE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/syntax/ast.h"

namespace policyd::compile {

using NameSet = std::set<std::string>;

// Where a global name (import alias or rule of the package) points.
struct GlobalRef {
  bool input = false;             // input... rather than data...
  std::vector<std::string> path;  // below input/data
};

// The names a module's rules can see besides their locals.
struct ModuleEnv {
  std::string file;
  std::vector<std::string> package;     // below data
  const NameSet* rule_names = nullptr;  // first segments of the package's rules
  std::map<std::string, GlobalRef> imports;
  // Rego v1 rules apply: a v1 module, or a v0 one importing rego.v1.
  bool rego_v1 = false;

  // `input`, `data`, an import alias or a rule of the package; nullopt for
  // a local (or unknown) name.
  std::optional<GlobalRef> Resolve(const std::string& name) const;
};

// First segments of the rules of each package (path below data).
using PackageRuleNames = std::map<std::vector<std::string>, NameSet>;

// One environment per module. `rule_names` receives the rule names of every
// package and must outlive the environments, which point into it.
std::vector<ModuleEnv> BuildModuleEnvs(const std::vector<ast::Module>& modules,
                                       PackageRuleNames* rule_names);

inline bool IsWildcard(const std::string& name) { return name == "_"; }

// The constant string path of a ref: head var name followed by string keys.
// Stops at the first non-string key; `*rest` receives the index of it.
std::vector<std::string> ConstPrefix(const ast::Term& ref, size_t* rest);

// The items of a rule head's ref (a bare var is a ref of one item).
std::vector<ast::TermPtr> RefItems(const ast::TermPtr& ref);

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_PACKAGE_TREE_H_
