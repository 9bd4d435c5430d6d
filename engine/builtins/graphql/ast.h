// The GraphQL document model behind OPA's graphql.* builtins. Field names and
// shapes follow vektah/gqlparser's AST, because OPA hands that AST to policies
// (as JSON): see graphql_ast_value.h for the Value form.
#ifndef POLICYD_ENGINE_BUILTINS_GRAPHQL_AST_H_
#define POLICYD_ENGINE_BUILTINS_GRAPHQL_AST_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace policyd::graphql {

// 1-based line and column (in code points); {0, 0} when unknown (an AST that
// arrived as a Value has no positions).
struct Position {
  int line = 0;
  int column = 0;
  bool known() const { return line > 0; }
};

// gqlparser's ValueKind numbering, which shows in the Value form ("Kind": 7).
enum class ValueKind : int {
  kVariable = 0,
  kInt = 1,
  kFloat = 2,
  kString = 3,
  kBlock = 4,
  kBoolean = 5,
  kNull = 6,
  kEnum = 7,
  kList = 8,
  kObject = 9,
};

struct ChildValue;

// A literal or variable. `raw` is the variable name (without `$`), the
// literal text, or the decoded string; lists and objects hold `children`.
struct Value {
  std::string raw;
  std::vector<ChildValue> children;
  ValueKind kind = ValueKind::kVariable;
  bool expected_type_has_default = false;
  Position pos;
};

// A list element (empty name) or an object field.
struct ChildValue {
  std::string name;
  Value value;
  Position pos;
};

// A type reference: a named type, or a list of `elem`; either may be non-null.
struct Type {
  std::string named_type;
  std::shared_ptr<Type> elem;
  bool non_null = false;
  Position pos;

  // The innermost named type.
  const std::string& Name() const { return elem ? elem->Name() : named_type; }
  // GraphQL notation: "[String!]!".
  std::string String() const {
    std::string out = elem ? "[" + elem->String() + "]" : named_type;
    if (non_null) out.push_back('!');
    return out;
  }
};

struct Argument {
  std::string name;
  Value value;
  Position pos;
};

struct Directive {
  std::string name;
  std::vector<Argument> arguments;
  std::string location;  // always empty after parsing (gqlparser fills it)
  Position pos;
};

struct VariableDefinition {
  std::string variable;
  Type type;
  std::optional<Value> default_value;
  std::vector<Directive> directives;
  bool used = false;
  Position pos;
};

// Field, fragment spread, or inline fragment (one struct: the three share
// most parts, and selection sets nest).
struct Selection {
  enum class Kind { kField, kFragmentSpread, kInlineFragment };
  Kind kind = Kind::kField;
  std::string alias;           // field
  std::string name;            // field, fragment spread
  std::vector<Argument> arguments;  // field
  std::string type_condition;  // inline fragment
  std::vector<Directive> directives;
  std::vector<Selection> selection_set;  // field, inline fragment
  Position pos;
};

struct OperationDefinition {
  std::string operation;  // "query", "mutation", "subscription"
  std::string name;
  std::vector<VariableDefinition> variable_definitions;
  std::vector<Directive> directives;
  std::vector<Selection> selection_set;
  Position pos;
};

struct FragmentDefinition {
  std::string name;
  std::vector<VariableDefinition> variable_definition;
  std::string type_condition;
  std::vector<Directive> directives;
  std::vector<Selection> selection_set;
  Position pos;
};

struct QueryDocument {
  std::vector<OperationDefinition> operations;
  std::vector<FragmentDefinition> fragments;
};

// An argument of a field or directive, or an input object field.
struct InputValueDefinition {
  std::string description;
  std::string name;
  std::optional<Value> default_value;
  Type type;
  std::vector<Directive> directives;
  Position pos;
};

struct FieldDefinition {
  std::string description;
  std::string name;
  std::vector<InputValueDefinition> arguments;
  std::optional<Value> default_value;  // input object fields
  Type type;
  std::vector<Directive> directives;
  Position pos;
};

struct EnumValueDefinition {
  std::string description;
  std::string name;
  std::vector<Directive> directives;
  Position pos;
};

// A type definition or extension. `kind` is "SCALAR", "OBJECT", "INTERFACE",
// "UNION", "ENUM" or "INPUT_OBJECT".
struct Definition {
  std::string kind;
  std::string description;
  std::string name;
  std::vector<Directive> directives;
  std::vector<std::string> interfaces;
  std::vector<FieldDefinition> fields;
  std::vector<std::string> types;
  std::vector<EnumValueDefinition> enum_values;
  bool built_in = false;
  Position pos;
};

struct OperationTypeDefinition {
  std::string operation;
  std::string type;
  Position pos;
};

struct SchemaDefinition {
  std::string description;
  std::vector<Directive> directives;
  std::vector<OperationTypeDefinition> operation_types;
  Position pos;
};

struct DirectiveDefinition {
  std::string description;
  std::string name;
  std::vector<InputValueDefinition> arguments;
  std::vector<std::string> locations;
  bool is_repeatable = false;
  Position pos;
};

struct SchemaDocument {
  std::vector<SchemaDefinition> schema;
  std::vector<SchemaDefinition> schema_extension;
  std::vector<DirectiveDefinition> directives;
  std::vector<Definition> definitions;
  std::vector<Definition> extensions;
};

// A parse or validation error as gqlparser reports it.
struct Error {
  std::string message;
  Position pos;
};

}  // namespace policyd::graphql

#endif  // POLICYD_ENGINE_BUILTINS_GRAPHQL_AST_H_
