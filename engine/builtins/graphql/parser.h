// GraphQL executable documents (queries) and type system documents (schemas)
// to their AST, following the GraphQL grammar as vektah/gqlparser accepts it
// (e.g. fragment variable definitions), with its error messages and positions:
// "Expected Name, found <EOF>", "Unexpected Name \"x\"",
// "expected at least one definition, found }".
#ifndef POLICYD_ENGINE_BUILTINS_GRAPHQL_PARSER_H_
#define POLICYD_ENGINE_BUILTINS_GRAPHQL_PARSER_H_

#include <optional>
#include <string_view>

#include "engine/builtins/graphql/ast.h"

namespace policyd::graphql {

// Parses `source` into *doc; returns the first syntax error, if any (*doc
// is then incomplete).
std::optional<Error> ParseQuery(std::string_view source, QueryDocument* doc);
std::optional<Error> ParseSchema(std::string_view source, SchemaDocument* doc);

}  // namespace policyd::graphql

#endif  // POLICYD_ENGINE_BUILTINS_GRAPHQL_PARSER_H_
