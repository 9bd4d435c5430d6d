// OPA's graphql.* builtins: parsing GraphQL queries and schemas into ASTs
// (as Values), and validating queries against schemas.
//
// Queries and schemas are given as GraphQL text or as an AST Value from an
// earlier parse. Errors read as OPA's do: "graphql.parse_query: Expected Name,
// found <EOF> in GraphQL string at location 1:2".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/graphql/ast.h"
#include "engine/builtins/graphql/ast_value.h"
#include "engine/builtins/graphql/parser.h"
#include "engine/builtins/graphql/schema.h"
#include "engine/builtins/graphql/validator.h"
#include "engine/value/value.h"

namespace policyd {

namespace {

using graphql::Error;

// gqlparser's text for an error: "input:LINE:COL: MESSAGE".
std::string GqlErrorText(const Error& e) {
  if (!e.pos.known()) return Concat("input: ", e.message);
  return Concat("input:", e.pos.line, ":", e.pos.column, ": ", e.message);
}

std::string AtLocation(std::string_view message, const graphql::Position& pos) {
  return Concat(message, " in GraphQL string at location ", pos.line, ":", pos.column);
}

// A syntax error: "MESSAGE in GraphQL string at location LINE:COL".
absl::Status SyntaxError(std::string_view name, const Error& e) {
  return BuiltinError(name, AtLocation(e.message, e.pos));
}

// Validation errors, as OPA rewords gqlparser's list text ("input:L:C: M1\n
// input:L:C: M2\n"): the text after the first location, less the final
// ".\n", then " in GraphQL string at location L:C" of the first error.
absl::Status ValidationError(std::string_view name, const std::vector<Error>& errors) {
  const Error& first = errors.front();
  std::string text;
  for (const Error& e : errors) text.append(GqlErrorText(e)).append("\n");
  if (!first.pos.known()) return BuiltinError(name, "GraphQL parse error: " + text);
  std::string rest = text.substr(GqlErrorText(Error{"", first.pos}).size());
  if (rest.size() >= 2 && rest.compare(rest.size() - 2, 2, ".\n") == 0) {
    rest.resize(rest.size() - 2);
  }
  return BuiltinError(name, AtLocation(rest, first.pos));
}

absl::StatusOr<graphql::QueryDocument> ParseQueryText(std::string_view name,
                                                      std::string_view text) {
  graphql::QueryDocument doc;
  if (auto e = graphql::ParseQuery(text, &doc)) return SyntaxError(name, *e);
  return doc;
}

absl::StatusOr<graphql::SchemaDocument> ParseSchemaText(std::string_view name,
                                                        std::string_view text) {
  graphql::SchemaDocument doc;
  if (auto e = graphql::ParseSchema(text, &doc)) return SyntaxError(name, *e);
  return doc;
}

// A query operand: GraphQL text or an AST object. Operand type errors are
// InvalidArgument, the rest builtin errors.
absl::StatusOr<graphql::QueryDocument> QueryOperand(std::string_view name, const Value& v) {
  if (v.is_string()) return ParseQueryText(name, v.string());
  if (v.is_object()) {
    auto doc = graphql::QueryFromValue(v);
    if (!doc.ok()) return BuiltinError(name, MessageOf(doc.status()));
    return doc;
  }
  // OPA numbers this operand 0.
  return OperandTypeError(name, 0, "one of {string, object}", v);
}

absl::StatusOr<graphql::SchemaDocument> SchemaOperand(std::string_view name, int pos,
                                                      const Value& v) {
  if (v.is_string()) return ParseSchemaText(name, v.string());
  if (v.is_object()) {
    auto doc = graphql::SchemaFromValue(v);
    if (!doc.ok()) return BuiltinError(name, MessageOf(doc.status()));
    return doc;
  }
  return OperandTypeError(name, pos, "one of {string, object}", v);
}

absl::StatusOr<graphql::Schema> BuildSchema(std::string_view name,
                                            const graphql::SchemaDocument& doc) {
  graphql::Schema schema;
  if (auto e = graphql::LoadSchema(doc, &schema)) {
    return BuiltinError(name, "Error in gqlparser SchemaDocument to Schema conversion: " +
                                  GqlErrorText(*e));
  }
  return schema;
}

// Parses and validates both operands: [query AST, schema AST], or an error.
absl::StatusOr<Value> ParseAndValidate(std::string_view name, const Value& query,
                                       const Value& schema) {
  POLICYD_ASSIGN_OR_RETURN(graphql::QueryDocument query_doc, QueryOperand(name, query));
  POLICYD_ASSIGN_OR_RETURN(graphql::SchemaDocument schema_doc,
                           SchemaOperand(name, 1, schema));
  POLICYD_ASSIGN_OR_RETURN(graphql::Schema built, BuildSchema(name, schema_doc));
  std::vector<Error> errors = graphql::ValidateQuery(built, query_doc);
  if (!errors.empty()) return ValidationError(name, errors);
  return Value::Array({graphql::QueryToValue(query_doc), graphql::SchemaToValue(schema_doc)});
}

BuiltinResult Parse(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_ASSIGN_OR_RETURN(Value result, ParseAndValidate("graphql.parse", args[0], args[1]));
  return ValueResult(std::move(result));
}

BuiltinResult ParseAndVerify(BuiltinContext&, absl::Span<const Value> args) {
  auto result = ParseAndValidate("graphql.parse_and_verify", args[0], args[1]);
  if (!result.ok()) {
    return ValueResult(Value::Array(
        {Value::Bool(false), Value::Object({}), Value::Object({})}));
  }
  absl::Span<const Value> parts = result->elements();
  return ValueResult(Value::Array({Value::Bool(true), parts[0], parts[1]}));
}

BuiltinResult ParseQuery(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view kName = "graphql.parse_query";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  POLICYD_ASSIGN_OR_RETURN(graphql::QueryDocument doc, ParseQueryText(kName, args[0].string()));
  return ValueResult(graphql::QueryToValue(doc));
}

BuiltinResult ParseSchema(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view kName = "graphql.parse_schema";
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  POLICYD_ASSIGN_OR_RETURN(graphql::SchemaDocument doc,
                           ParseSchemaText(kName, args[0].string()));
  return ValueResult(graphql::SchemaToValue(doc));
}

BuiltinResult IsValid(BuiltinContext&, absl::Span<const Value> args) {
  return BoolResult(ParseAndValidate("graphql.is_valid", args[0], args[1]).ok());
}

BuiltinResult SchemaIsValid(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view kName = "graphql.schema_is_valid";
  auto doc = SchemaOperand(kName, 0, args[0]);
  return BoolResult(doc.ok() && BuildSchema(kName, *doc).ok());
}

}  // namespace

void RegisterGraphqlBuiltins(BuiltinRegistry& registry) {
  registry.Add({"graphql.parse", 2, Parse});
  registry.Add({"graphql.parse_and_verify", 2, ParseAndVerify});
  registry.Add({"graphql.parse_query", 1, ParseQuery});
  registry.Add({"graphql.parse_schema", 1, ParseSchema});
  registry.Add({"graphql.is_valid", 2, IsValid});
  registry.Add({"graphql.schema_is_valid", 1, SchemaIsValid});
}

}  // namespace policyd
