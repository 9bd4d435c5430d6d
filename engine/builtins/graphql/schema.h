// A GraphQL schema built from a schema document the way gqlparser's
// ValidateSchemaDocument builds it (which OPA uses): the document is merged
// after the built-in prelude (scalars, @include/@skip/@deprecated/...,
// introspection types), extensions are folded into their types (an extension
// of an undefined type defines it), and the first rule violation is the error,
// with gqlparser's message ("Undefined type \"World\".").
#ifndef POLICYD_ENGINE_BUILTINS_GRAPHQL_SCHEMA_H_
#define POLICYD_ENGINE_BUILTINS_GRAPHQL_SCHEMA_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/builtins/graphql/ast.h"

namespace policyd::graphql {

struct Schema {
  std::map<std::string, Definition> types;
  std::map<std::string, DirectiveDefinition> directives;
  // Root operation types by operation ("query", ...); absent when none.
  std::map<std::string, std::string> roots;
  // For an interface or union: the types that may stand for it, in
  // definition order; an object type is listed under its own name too.
  std::map<std::string, std::vector<std::string>> possible_types;

  // nullptr when there is no such type.
  const Definition* Type(const std::string& name) const {
    auto it = types.find(name);
    return it == types.end() ? nullptr : &it->second;
  }
  const Definition* Root(const std::string& operation) const {
    auto it = roots.find(operation);
    return it == roots.end() ? nullptr : Type(it->second);
  }
};

// Builds *schema from `doc` (plus the prelude); returns the first error.
std::optional<Error> LoadSchema(const SchemaDocument& doc, Schema* schema);

// Field `name` of `fields`, or nullptr.
const FieldDefinition* FindField(const std::vector<FieldDefinition>& fields,
                                 const std::string& name);
// Argument `name` of `args`, or nullptr.
const InputValueDefinition* FindArgument(const std::vector<InputValueDefinition>& args,
                                         const std::string& name);

// gqlparser's Type.IsCompatible, e.g. may a variable of type `t` be used
// where `other` is expected? Named types must match, lists nest alike, and a
// non-null `other` requires a non-null `t`.
bool IsCompatible(const Type& t, const Type& other);

}  // namespace policyd::graphql

#endif  // POLICYD_ENGINE_BUILTINS_GRAPHQL_SCHEMA_H_
