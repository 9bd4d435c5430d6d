#include "engine/compile/package_tree.h"

namespace policyd::compile {

using ast::TermKind;

std::optional<GlobalRef> ModuleEnv::Resolve(const std::string& name) const {
  if (name == "input") return GlobalRef{true, {}};
  if (name == "data") return GlobalRef{false, {}};
  if (auto it = imports.find(name); it != imports.end()) return it->second;
  if (rule_names && rule_names->count(name)) {
    GlobalRef ref{false, package};
    ref.path.push_back(name);
    return ref;
  }
  return std::nullopt;
}

std::vector<std::string> ConstPrefix(const ast::Term& ref, size_t* rest) {
  std::vector<std::string> out;
  size_t i = 0;
  if (ref.kind == TermKind::kVar) {
    out.push_back(ref.name);
    *rest = 1;
    return out;
  }
  for (; i < ref.items.size(); ++i) {
    const ast::Term& t = *ref.items[i];
    if (i == 0 && t.kind == TermKind::kVar) {
      out.push_back(t.name);
    } else if (i > 0 && t.kind == TermKind::kScalar && t.value.is_string()) {
      out.emplace_back(t.value.string());
    } else {
      break;
    }
  }
  *rest = i;
  return out;
}

std::vector<ast::TermPtr> RefItems(const ast::TermPtr& ref) {
  if (ref->kind == TermKind::kVar) return {ref};
  return ref->items;
}

std::vector<ModuleEnv> BuildModuleEnvs(const std::vector<ast::Module>& modules,
                                       PackageRuleNames* rule_names) {
  std::vector<ModuleEnv> envs(modules.size());
  for (size_t m = 0; m < modules.size(); ++m) {
    const ast::Module& mod = modules[m];
    ModuleEnv& env = envs[m];
    env.file = mod.filename;
    size_t rest = 0;
    std::vector<std::string> pkg = ConstPrefix(*mod.package, &rest);
    env.package.assign(pkg.begin() + 1, pkg.end());
    env.rego_v1 = mod.version == ast::RegoVersion::kV1;
    for (auto& r : mod.rules) {
      (*rule_names)[env.package].insert(RefItems(r.head.ref)[0]->name);
    }
    for (auto& imp : mod.imports) {
      size_t irest = 0;
      std::vector<std::string> ip = ConstPrefix(*imp.path, &irest);
      if (ip.size() == 2 && ip[0] == "rego" && ip[1] == "v1") env.rego_v1 = true;
      if (ip.empty() || (ip[0] != "data" && ip[0] != "input")) continue;
      GlobalRef g{ip[0] == "input", {ip.begin() + 1, ip.end()}};
      std::string alias = imp.alias.empty() ? ip.back() : imp.alias;
      env.imports[alias] = g;
    }
  }
  for (ModuleEnv& env : envs) env.rule_names = &(*rule_names)[env.package];
  return envs;
}

}  // namespace policyd::compile
