#include "admission/constraint_template.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "admission/fields.h"
#include "engine/syntax/parser.h"
#include "util/status_macros.h"

namespace policyd::admission {
namespace {

struct TargetCode {
  std::optional<ast::RegoVersion> version;  // set when Rego was found
  std::string rego;
  std::vector<std::string> libs;
};

absl::Status ReadRego(const Value& source, absl::string_view at,
                      TargetCode* out) {
  const Value* rego = source.Find("rego");
  if (rego == nullptr || !rego->is_string() || rego->string().empty()) {
    return FieldError(absl::StrCat(at, ".rego"), "expected Rego text");
  }
  POLICYD_ASSIGN_OR_RETURN(
      std::vector<std::string> libs,
      StringList(source.Find("libs"), absl::StrCat(at, ".libs")));
  out->rego = std::string(rego->string());
  out->libs = std::move(libs);
  return absl::OkStatus();
}

// The `code` list of a target: the Rego entry, warnings for the others.
absl::Status ReadCode(const Value& code, absl::string_view at, TargetCode* out,
                      std::vector<std::string>* warnings) {
  if (!code.is_array()) return FieldError(at, "expected a list");
  for (size_t i = 0; i < code.size(); ++i) {
    const Value& entry = code.elements()[i];
    std::string item = absl::StrCat(at, "[", i, "]");
    std::string engine = StringAt(entry, {"engine"});
    if (engine != "Rego") {
      warnings->push_back(
          absl::StrCat(item, ": engine \"", engine,
                       engine == "K8sNativeValidation" ? "\" (CEL)" : "\"",
                       " is not supported by policyd; this code is skipped"));
      continue;
    }
    if (out->version.has_value()) {
      return FieldError(item, "a second Rego source; give one");
    }
    const Value* source = entry.Find("source");
    std::string source_at = absl::StrCat(item, ".source");
    if (source == nullptr || !source->is_object()) {
      return FieldError(source_at, "expected an object");
    }
    POLICYD_RETURN_IF_ERROR(ReadRego(*source, source_at, out));
    std::string version = StringAt(*source, {"version"});
    if (version == "v1") {
      out->version = ast::RegoVersion::kV1;
    } else if (version.empty() || version == "v0") {
      out->version = ast::RegoVersion::kV0;
    } else {
      return FieldError(absl::StrCat(source_at, ".version"),
                        "expected \"v0\" or \"v1\"");
    }
  }
  return absl::OkStatus();
}

absl::Status ReadTarget(const Value& target, absl::string_view at,
                        ConstraintTemplate* out) {
  TargetCode code;
  if (const Value* list = target.Find("code");
      list != nullptr && !list->is_null()) {
    POLICYD_RETURN_IF_ERROR(
        ReadCode(*list, absl::StrCat(at, ".code"), &code, &out->warnings));
  }
  if (const Value* rego = target.Find("rego");
      rego != nullptr && !rego->is_null()) {
    if (code.version.has_value()) {
      return FieldError(at,
                        "both `rego` and a `code` entry with engine Rego; "
                        "give one");
    }
    POLICYD_RETURN_IF_ERROR(ReadRego(target, at, &code));
    code.version = ast::RegoVersion::kV0;
  }
  if (!code.version.has_value()) {
    return FieldError(at,
                      "no Rego (`rego`, or `code` with engine Rego); "
                      "policyd evaluates Rego only");
  }
  out->version = *code.version;
  out->rego = std::move(code.rego);
  out->libs = std::move(code.libs);
  return absl::OkStatus();
}

// `package a.b` -> {"a", "b"}.
std::vector<std::string> PackagePath(const ast::Module& module) {
  std::vector<std::string> out;
  for (size_t i = 1; i < module.package->items.size(); ++i) {
    const ast::Term& t = *module.package->items[i];
    out.emplace_back(t.value.is_string() ? t.value.string() : "");
  }
  return out;
}

bool DefinesViolation(const ast::Module& module) {
  for (const ast::Rule& rule : module.rules) {
    const ast::Term& head = *rule.head.ref;
    const ast::Term& first =
        head.kind == ast::TermKind::kRef ? *head.items[0] : head;
    if (first.kind == ast::TermKind::kVar && first.name == "violation") {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsTemplateApiVersion(absl::string_view api_version) {
  return absl::StartsWith(api_version, "templates.gatekeeper.sh/");
}

absl::StatusOr<ConstraintTemplate> ParseConstraintTemplate(
    const Value& object, absl::string_view file) {
  ConstraintTemplate t;
  t.file = std::string(file);
  t.name = StringAt(object, {"metadata", "name"});
  if (t.name.empty()) return FieldError("metadata.name", "is required");
  const Value* crd = FieldAt(object, {"spec", "crd", "spec"});
  t.kind = crd == nullptr ? "" : StringAt(*crd, {"names", "kind"});
  if (t.kind.empty()) {
    return FieldError("spec.crd.spec.names.kind", "is required");
  }
  if (t.name != absl::AsciiStrToLower(t.kind)) {
    return FieldError("metadata.name",
                      absl::StrCat("must be the kind in lower case (\"",
                                   absl::AsciiStrToLower(t.kind), "\")"));
  }
  if (const Value* validation = FieldAt(*crd, {"validation"});
      validation != nullptr && validation->is_object()) {
    if (const Value* schema = validation->Find("openAPIV3Schema");
        schema != nullptr && !schema->is_null()) {
      if (!schema->is_object()) {
        return FieldError("spec.crd.spec.validation.openAPIV3Schema",
                          "expected an object");
      }
      t.schema = *schema;
    }
    if (const Value* legacy = validation->Find("legacySchema");
        legacy != nullptr && !legacy->is_null()) {
      if (!legacy->is_bool()) {
        return FieldError("spec.crd.spec.validation.legacySchema",
                          "expected true or false");
      }
      t.legacy_schema = legacy->boolean();
    }
  }
  const Value* targets = FieldAt(object, {"spec", "targets"});
  if (targets == nullptr || !targets->is_array() || targets->size() == 0) {
    return FieldError("spec.targets", "expected a non-empty list");
  }
  if (targets->size() != 1) {
    return FieldError("spec.targets", "expected exactly one target");
  }
  const Value& target = targets->elements()[0];
  std::string name = StringAt(target, {"target"});
  if (name != kAdmissionTarget) {
    return FieldError(
        "spec.targets[0].target",
        absl::StrCat("\"", name, "\" is not \"", kAdmissionTarget, "\""));
  }
  POLICYD_RETURN_IF_ERROR(ReadTarget(target, "spec.targets[0]", &t));
  return t;
}

absl::StatusOr<std::shared_ptr<const CompiledTemplate>>
CompiledTemplate::Compile(const ConstraintTemplate& tmpl,
                          const Value& inventory) {
  std::string prefix = absl::StrCat(tmpl.file, "#", tmpl.name);
  std::vector<ast::Module> modules;
  POLICYD_ASSIGN_OR_RETURN(
      ast::Module main,
      ast::ParseModule(absl::StrCat(prefix, "/rego"), tmpl.rego, tmpl.version));
  std::vector<std::string> package = PackagePath(main);
  if (!package.empty() && package[0] == "lib") {
    return absl::InvalidArgumentError(
        "rego: the template's package must not be under data.lib (that is "
        "for libs)");
  }
  if (!DefinesViolation(main)) {
    return absl::InvalidArgumentError(
        "rego: no `violation` rule (Gatekeeper templates report through "
        "violation[{\"msg\": msg}])");
  }
  modules.push_back(std::move(main));
  for (size_t i = 0; i < tmpl.libs.size(); ++i) {
    POLICYD_ASSIGN_OR_RETURN(
        ast::Module lib,
        ast::ParseModule(absl::StrCat(prefix, "/libs[", i, "]"), tmpl.libs[i],
                         tmpl.version));
    std::vector<std::string> lib_package = PackagePath(lib);
    if (lib_package.empty() || lib_package[0] != "lib") {
      return absl::InvalidArgumentError(absl::StrCat(
          "libs[", i, "]: a lib's package must be under data.lib"));
    }
    modules.push_back(std::move(lib));
  }
  POLICYD_ASSIGN_OR_RETURN(
      std::shared_ptr<const Engine> engine,
      Engine::CompileParsed(
          std::move(modules),
          Value::Object(
              {{Value::String("inventory"),
                inventory.is_null() ? Value::Object({}) : inventory}})));
  std::string query = "data";
  for (const std::string& part : package) {
    absl::StrAppend(&query, "[", Value::String(part).ToJson(), "]");
  }
  absl::StrAppend(&query, ".violation");
  POLICYD_ASSIGN_OR_RETURN(PreparedQuery violation, (engine)->Prepare(query));
  return std::make_shared<const CompiledTemplate>(tmpl, std::move(violation));
}

CompiledTemplate::CompiledTemplate(ConstraintTemplate source,
                                   PreparedQuery violation)
    : source_(std::move(source)), violation_(std::move(violation)) {}

absl::StatusOr<std::vector<Violation>> CompiledTemplate::Violations(
    const Value& input, const EvalOptions& options) const {
  EvalOptions with_input = options;
  with_input.input = &input;
  POLICYD_ASSIGN_OR_RETURN(std::optional<Value> result,
                           violation_.EvalValue(with_input));
  std::vector<Violation> out;
  if (!result.has_value()) return out;
  const Value& set = *result;
  if (!set.is_set() && !set.is_array()) {
    return absl::InvalidArgumentError(
        "violation is not a set (write violation[{\"msg\": msg}])");
  }
  for (const Value& v : set.elements()) {
    const Value* msg = v.is_object() ? v.Find("msg") : nullptr;
    const Value* details = v.is_object() ? v.Find("details") : nullptr;
    out.push_back({msg != nullptr && msg->is_string()
                       ? std::string(msg->string())
                       : v.ToJson(),
                   details != nullptr ? *details : Value()});
  }
  return out;
}

}  // namespace policyd::admission
