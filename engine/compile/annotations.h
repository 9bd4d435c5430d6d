// OPA annotations: `# METADATA` comment blocks holding YAML, attached to the
// package or rule statement that follows them, as rego.metadata.chain() and
// rego.metadata.rule() report them.
//
// A block is a `# METADATA` comment followed by comments on the next lines
// in column 1; its YAML is their text less one leading space. Scopes:
// `rule` (the default before a rule; `document` when `entrypoint: true`),
// `document` (every rule of the same path), `package` (the default before
// a package; every module of that package) and `subpackages` (the package
// and all packages below it).
#ifndef POLICYD_ENGINE_COMPILE_ANNOTATIONS_H_
#define POLICYD_ENGINE_COMPILE_ANNOTATIONS_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/syntax/ast.h"
#include "engine/value/value.h"

namespace policyd::compile {

class Annotations {
 public:
  // The annotations of `modules`, which must stay in place while Chain and
  // RuleAnnotations are used (rules are known by address). Errors are
  // rego_parse_error at the METADATA line (bad YAML or field, unknown scope,
  // a scope on the wrong statement) or rego_type_error (a second package or
  // document annotation for the same path).
  static absl::StatusOr<Annotations> Build(
      const std::vector<ast::Module>& modules);

  // rego.metadata.chain() in `rule` (a top-level rule of
  // modules[module_index]): [{"path": [...], "annotations": {...}}, ...],
  // the rule's own annotations first (a bare {"path"} when it has none),
  // then those of its document, its package, and the `subpackages`
  // annotations of its package and the packages above, innermost first.
  // Paths leave out the leading "data".
  Value Chain(size_t module_index, const ast::Rule& rule) const;

  // rego.metadata.rule() in `rule`: the rule-scope annotations closest to
  // it, {} when it has none.
  Value RuleAnnotations(size_t module_index, const ast::Rule& rule) const;

 private:
  using Path = std::vector<std::string>;
  struct Found {
    int line = 0;
    std::string file;
    Value value;  // the annotations object, "scope" filled in
  };

  std::vector<Path> packages_;  // per module
  std::map<const ast::Rule*, std::vector<Found>> rules_;  // closest first
  std::map<Path, Found> documents_;
  std::map<Path, Found> package_;
  std::map<Path, Found> subpackages_;
};

}  // namespace policyd::compile

#endif  // POLICYD_ENGINE_COMPILE_ANNOTATIONS_H_
