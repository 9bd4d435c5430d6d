#include "admission/parameter_schema.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/engine.h"
#include "util/status_macros.h"

namespace policyd::admission {
namespace {

// The two builtins, prepared once over an empty engine.
struct SchemaQueries {
  std::shared_ptr<const Engine> engine;
  std::optional<PreparedQuery> verify;
  std::optional<PreparedQuery> match;
};

const SchemaQueries& Queries() {
  static const SchemaQueries* queries = [] {
    auto* q = new SchemaQueries;
    q->engine = *Engine::Compile({}, Value::Object({}));
    q->verify = *q->engine->Prepare("json.verify_schema(input.schema)");
    q->match =
        *q->engine->Prepare("json.match_schema(input.document, input.schema)");
    return q;
  }();
  return *queries;
}

absl::StatusOr<Value> Run(const PreparedQuery& query, Value input) {
  EvalOptions options;
  options.input = &input;
  options.strict_builtin_errors = true;
  POLICYD_ASSIGN_OR_RETURN(std::optional<Value> result,
                           query.EvalValue(options));
  if (!result.has_value() || !(result)->is_array() || (result)->size() != 2) {
    return absl::InternalError("schema check gave no result");
  }
  return *result;
}

}  // namespace

absl::Status CheckParameterSchema(const Value& schema) {
  POLICYD_ASSIGN_OR_RETURN(
      Value r, Run(*Queries().verify,
                   Value::Object({{Value::String("schema"), schema}})));
  if (r.elements()[0] == Value::Bool(true)) return absl::OkStatus();
  const Value& why = r.elements()[1];
  return absl::InvalidArgumentError(
      absl::StrCat("invalid openAPIV3Schema: ",
                   why.is_string() ? std::string(why.string()) : why.ToJson()));
}

absl::Status ValidateParameters(const Value& schema, const Value& parameters) {
  POLICYD_ASSIGN_OR_RETURN(
      Value r, Run(*Queries().match,
                   Value::Object({{Value::String("document"), parameters},
                                  {Value::String("schema"), schema}})));
  if (r.elements()[0] == Value::Bool(true)) return absl::OkStatus();
  std::vector<std::string> lines;
  for (const Value& e : r.elements()[1].elements()) {
    const Value* error = e.is_object() ? e.Find("error") : nullptr;
    lines.push_back(error != nullptr && error->is_string()
                        ? std::string(error->string())
                        : e.ToJson());
  }
  return absl::InvalidArgumentError(
      absl::StrCat("parameters do not match the template's schema: ",
                   absl::StrJoin(lines, "; ")));
}

}  // namespace policyd::admission
