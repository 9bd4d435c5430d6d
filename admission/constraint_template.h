// A Gatekeeper ConstraintTemplate (templates.gatekeeper.sh/v1 and v1beta1):
// the constraint kind it defines, the schema of that kind's parameters, and
// the Rego of its admission target, compiled on its own.
//
// Isolation: each template compiles into an engine of its own, holding only
// its Rego, its libs (packages under data.lib, as Gatekeeper requires) and
// data.inventory, so templates see neither each other nor ordinary
// policies, and package names may repeat across templates.
#ifndef POLICYD_ADMISSION_CONSTRAINT_TEMPLATE_H_
#define POLICYD_ADMISSION_CONSTRAINT_TEMPLATE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/engine.h"
#include "engine/value/value.h"

namespace policyd::admission {

inline constexpr absl::string_view kAdmissionTarget =
    "admission.k8s.gatekeeper.sh";

struct ConstraintTemplate {
  std::string file;  // where it was read, for messages
  std::string name;  // metadata.name: the kind in lower case
  std::string kind;  // spec.crd.spec.names.kind
  // The parameters' schema; null when the template gives none.
  Value schema;
  bool legacy_schema = false;
  // The admission target's Rego: `rego` and `libs`, or the `code` entry
  // with engine Rego (`source.version: v1` selects Rego v1).
  ast::RegoVersion version = ast::RegoVersion::kV0;
  std::string rego;
  std::vector<std::string> libs;
  // E.g. K8sNativeValidation (CEL) code that is skipped.
  std::vector<std::string> warnings;
};

bool IsTemplateApiVersion(absl::string_view api_version);

// Errors name the field ("spec.targets[0].rego: ...").
absl::StatusOr<ConstraintTemplate> ParseConstraintTemplate(
    const Value& object, absl::string_view file);

// One violation of a constraint: its `msg` and optional `details`.
struct Violation {
  std::string message;
  Value details;
};

class CompiledTemplate {
 public:
  // Compiles the template's Rego over `data.inventory` = `inventory`.
  // Refuses Rego without a `violation` rule and libs outside data.lib;
  // compile errors keep the engine's codes and locations (line numbers are
  // those of the Rego text).
  static absl::StatusOr<std::shared_ptr<const CompiledTemplate>> Compile(
      const ConstraintTemplate& tmpl, const Value& inventory);

  const ConstraintTemplate& source() const { return source_; }

  // The `violation` set for `input` ({"review": ..., "parameters": ...}).
  absl::StatusOr<std::vector<Violation>> Violations(
      const Value& input, const EvalOptions& options) const;

  CompiledTemplate(ConstraintTemplate source, PreparedQuery violation);

 private:
  ConstraintTemplate source_;
  PreparedQuery violation_;
};

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_CONSTRAINT_TEMPLATE_H_
