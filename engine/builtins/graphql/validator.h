// Validation of a GraphQL query document against a schema: the rules of the
// GraphQL spec ("Validation") as gqlparser implements them, with its messages
// ("Cannot query field \"x\" on type \"Query\".", "Field \"f\" argument \"a\"
// of type \"Int!\" is required, but it was not provided."). Errors come in
// gqlparser's order: document walk order, then rule order within one node.
#ifndef POLICYD_ENGINE_BUILTINS_GRAPHQL_VALIDATOR_H_
#define POLICYD_ENGINE_BUILTINS_GRAPHQL_VALIDATOR_H_

#include <vector>

#include "engine/builtins/graphql/ast.h"
#include "engine/builtins/graphql/schema.h"

namespace policyd::graphql {

// All rule violations of `doc` against `schema`; empty when valid.
std::vector<Error> ValidateQuery(const Schema& schema, const QueryDocument& doc);

}  // namespace policyd::graphql

#endif  // POLICYD_ENGINE_BUILTINS_GRAPHQL_VALIDATOR_H_
