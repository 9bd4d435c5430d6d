// GraphQL ASTs to and from Rego Values, in the shape OPA gives policies: the
// JSON encoding of gqlparser's AST structs (Go field names as keys, e.g.
// {"Operations": [{"Name": "", "Operation": "query", "SelectionSet": [...]}]})
// with positions, nulls, and empty arrays and objects pruned away. Strings
// and booleans stay even when empty or false.
#ifndef POLICYD_ENGINE_BUILTINS_GRAPHQL_AST_VALUE_H_
#define POLICYD_ENGINE_BUILTINS_GRAPHQL_AST_VALUE_H_

#include "absl/status/statusor.h"
#include "engine/builtins/graphql/ast.h"
#include "engine/value/value.h"

namespace policyd::graphql {

policyd::Value QueryToValue(const QueryDocument& doc);
policyd::Value SchemaToValue(const SchemaDocument& doc);

// The reverse, as Go's JSON decoding into gqlparser's structs does it:
// unknown keys are ignored, missing ones stay empty, a wrong JSON type is an
// error. As in OPA, every selection read back is a field (gqlparser decodes a
// selection as the first struct that accepts it, and a field accepts all).
absl::StatusOr<QueryDocument> QueryFromValue(const policyd::Value& v);
absl::StatusOr<SchemaDocument> SchemaFromValue(const policyd::Value& v);

}  // namespace policyd::graphql

#endif  // POLICYD_ENGINE_BUILTINS_GRAPHQL_AST_VALUE_H_
