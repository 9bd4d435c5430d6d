#include "engine/builtins/graphql/schema.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/go/quote.h"
#include "engine/builtins/graphql/parser.h"

namespace policyd::graphql {

namespace {

// The types and directives every schema has (GraphQL spec: built-in scalars,
// directives, and the introspection system).
constexpr std::string_view kPrelude = R"(
scalar Int
scalar Float
scalar String
scalar Boolean
scalar ID
directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @deprecated(reason: String = "No longer supported")
  on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
directive @specifiedBy(url: String!) on SCALAR
directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @oneOf on INPUT_OBJECT
type __Schema {
  description: String
  types: [__Type!]!
  queryType: __Type!
  mutationType: __Type
  subscriptionType: __Type
  directives: [__Directive!]!
}
type __Type {
  kind: __TypeKind!
  name: String
  description: String
  fields(includeDeprecated: Boolean = false): [__Field!]
  interfaces: [__Type!]
  possibleTypes: [__Type!]
  enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
  inputFields: [__InputValue!]
  ofType: __Type
  specifiedByURL: String
}
type __Field {
  name: String!
  description: String
  args: [__InputValue!]!
  type: __Type!
  isDeprecated: Boolean!
  deprecationReason: String
}
type __InputValue {
  name: String!
  description: String
  type: __Type!
  defaultValue: String
}
type __EnumValue {
  name: String!
  description: String
  isDeprecated: Boolean!
  deprecationReason: String
}
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
type __Directive {
  name: String!
  description: String
  locations: [__DirectiveLocation!]!
  args: [__InputValue!]!
  isRepeatable: Boolean!
}
enum __DirectiveLocation {
  QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD
  INLINE_FRAGMENT VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION
  ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT
  INPUT_FIELD_DEFINITION
}
)";

const SchemaDocument& Prelude() {
  static const SchemaDocument* prelude = [] {
    auto* doc = new SchemaDocument();
    ParseSchema(kPrelude, doc);
    for (Definition& def : doc->definitions) def.built_in = true;
    return doc;
  }();
  return *prelude;
}

bool IsInputKind(const std::string& kind) {
  return kind == "SCALAR" || kind == "ENUM" || kind == "INPUT_OBJECT";
}

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  for (const std::string& e : list) {
    if (e == s) return true;
  }
  return false;
}

// The checks of one schema, each returning the first violation.
class SchemaChecker {
 public:
  explicit SchemaChecker(const Schema& schema) : schema_(schema) {}

  std::optional<Error> Definition(const graphql::Definition& def) const;
  std::optional<Error> DirectiveDefinition(const graphql::DirectiveDefinition& def) const;
  std::optional<Error> Directives(const std::vector<Directive>& dirs,
                                  const std::string& location,
                                  const graphql::DirectiveDefinition* current) const;

 private:
  std::optional<Error> TypeRef(const Type& type) const;
  std::optional<Error> Arguments(const std::vector<InputValueDefinition>& args,
                                 const graphql::DirectiveDefinition* current) const;
  std::optional<Error> Implements(const graphql::Definition& def,
                                  const std::string& name) const;
  bool IsCovariant(const Type& required, const Type& actual) const;

  const Schema& schema_;
};

std::optional<Error> CheckName(const Position& pos, const std::string& name) {
  if (name.rfind("__", 0) == 0) {
    return Error{Concat("Name \"", name,
                        "\" must not begin with \"__\", which is reserved by GraphQL "
                        "introspection."),
                 pos};
  }
  return std::nullopt;
}

std::optional<Error> SchemaChecker::TypeRef(const Type& type) const {
  if (schema_.Type(type.Name()) == nullptr) {
    return Error{Concat("Undefined type ", type.Name(), "."), type.pos};
  }
  return std::nullopt;
}

std::optional<Error> SchemaChecker::Arguments(
    const std::vector<InputValueDefinition>& args,
    const graphql::DirectiveDefinition* current) const {
  for (const InputValueDefinition& arg : args) {
    if (auto e = CheckName(arg.pos, arg.name)) return e;
    if (auto e = TypeRef(arg.type)) return e;
    const graphql::Definition* def = schema_.Type(arg.type.Name());
    if (!IsInputKind(def->kind)) {
      return Error{Concat("cannot use ", arg.type.String(), " as argument ", arg.name,
                          " because ", def->kind, " is not a valid input type"),
                   arg.pos};
    }
    if (auto e = Directives(arg.directives, "ARGUMENT_DEFINITION", current)) return e;
  }
  return std::nullopt;
}

std::optional<Error> SchemaChecker::Directives(
    const std::vector<Directive>& dirs, const std::string& location,
    const graphql::DirectiveDefinition* current) const {
  for (const Directive& dir : dirs) {
    if (auto e = CheckName(dir.pos, dir.name)) return e;
    if (current != nullptr && dir.name == current->name) {
      return Error{Concat("Directive ", current->name, " cannot refer to itself."), dir.pos};
    }
    auto it = schema_.directives.find(dir.name);
    if (it == schema_.directives.end()) {
      return Error{Concat("Undefined directive ", dir.name, "."), dir.pos};
    }
    const graphql::DirectiveDefinition& def = it->second;
    if (!Contains(def.locations, location)) {
      return Error{Concat("Directive ", dir.name, " is not applicable on ", location, "."),
                   dir.pos};
    }
    for (const Argument& arg : dir.arguments) {
      if (FindArgument(def.arguments, arg.name) == nullptr) {
        return Error{Concat("Undefined argument ", arg.name, " for directive ", dir.name, "."),
                     arg.pos};
      }
    }
    for (const InputValueDefinition& want : def.arguments) {
      if (!want.type.non_null || want.default_value) continue;
      const Argument* given = nullptr;
      for (const Argument& arg : dir.arguments) {
        if (arg.name == want.name) {
          given = &arg;
          break;
        }
      }
      if (given == nullptr || given->value.kind == ValueKind::kNull) {
        return Error{Concat("Argument ", want.name, " for directive ", dir.name,
                            " cannot be null."),
                     dir.pos};
      }
    }
  }
  return std::nullopt;
}

bool SchemaChecker::IsCovariant(const Type& required, const Type& actual) const {
  if (required.non_null && !actual.non_null) return false;
  if (!required.named_type.empty()) {
    if (required.named_type == actual.named_type) return true;
    auto it = schema_.possible_types.find(required.named_type);
    return it != schema_.possible_types.end() && Contains(it->second, actual.named_type);
  }
  if (required.elem && !actual.elem) return false;
  if (!required.elem) return true;
  return IsCovariant(*required.elem, *actual.elem);
}

std::optional<Error> SchemaChecker::Implements(const graphql::Definition& def,
                                               const std::string& name) const {
  const graphql::Definition* intf = schema_.Type(name);
  if (intf == nullptr) return Error{Concat("Undefined type ", GoQuote(name), "."), def.pos};
  if (intf->kind != "INTERFACE") {
    return Error{Concat(GoQuote(name), " is a non interface type ", intf->kind, "."), def.pos};
  }
  std::string who = Concat("For ", def.name, " to implement ", intf->name);
  for (const FieldDefinition& required : intf->fields) {
    const FieldDefinition* found = FindField(def.fields, required.name);
    if (found == nullptr) {
      return Error{Concat(who, " it must have a field called ", required.name, "."), def.pos};
    }
    if (!IsCovariant(required.type, found->type)) {
      return Error{Concat(who, " the field ", required.name, " must have type ",
                          required.type.String(), "."),
                   found->pos};
    }
    for (const InputValueDefinition& arg : required.arguments) {
      const InputValueDefinition* have = FindArgument(found->arguments, arg.name);
      if (have == nullptr) {
        return Error{Concat(who, " the field ", required.name,
                            " must have the same arguments but it is missing ", arg.name, "."),
                     found->pos};
      }
      if (!IsCompatible(arg.type, have->type)) {
        return Error{Concat(who, " the field ", required.name,
                            " must have the same arguments but ", arg.name,
                            " has the wrong type."),
                     have->pos};
      }
    }
    for (const InputValueDefinition& extra : found->arguments) {
      if (FindArgument(required.arguments, extra.name) == nullptr && extra.type.non_null &&
          !extra.default_value) {
        return Error{Concat(who, " any additional arguments on ", found->name,
                            " must be optional or have a default value but ", extra.name,
                            " is required."),
                     extra.pos};
      }
    }
  }
  // An interface's own interfaces must be implemented too.
  for (const std::string& transitive : intf->interfaces) {
    if (Contains(def.interfaces, transitive)) continue;
    if (transitive == def.name) {
      return Error{Concat("Type ", def.name, " cannot implement ", name,
                          " because it would create a circular reference."),
                   def.pos};
    }
    return Error{Concat("Type ", def.name, " must implement ", transitive,
                        " because it is implemented by ", name, "."),
                 def.pos};
  }
  return std::nullopt;
}

std::optional<Error> SchemaChecker::Definition(const graphql::Definition& def) const {
  for (const FieldDefinition& field : def.fields) {
    if (auto e = CheckName(field.pos, field.name)) return e;
    if (auto e = TypeRef(field.type)) return e;
    if (auto e = Arguments(field.arguments, nullptr)) return e;
    std::string location =
        def.kind == "INPUT_OBJECT" ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION";
    if (auto e = Directives(field.directives, location, nullptr)) return e;
  }
  for (const std::string& member : def.types) {
    const graphql::Definition* t = schema_.Type(member);
    if (t == nullptr) return Error{Concat("Undefined type ", GoQuote(member), "."), def.pos};
    if (t->kind != "OBJECT") {
      return Error{Concat(def.kind, " type ", GoQuote(member), " must be OBJECT."), def.pos};
    }
  }
  for (const std::string& intf : def.interfaces) {
    if (auto e = Implements(def, intf)) return e;
  }
  if (def.kind == "OBJECT" || def.kind == "INTERFACE") {
    if (def.fields.empty()) {
      return Error{Concat(def.kind, " ", def.name, ": must define one or more fields."),
                   def.pos};
    }
    for (const FieldDefinition& field : def.fields) {
      const graphql::Definition* t = schema_.Type(field.type.Name());
      if (t != nullptr && t->kind == "INPUT_OBJECT") {
        return Error{Concat(def.kind, " ", def.name,
                            ": field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM."),
                     field.pos};
      }
    }
  } else if (def.kind == "ENUM") {
    if (def.enum_values.empty()) {
      return Error{Concat(def.kind, " ", def.name,
                          ": must define one or more unique enum values."),
                   def.pos};
    }
    for (const EnumValueDefinition& value : def.enum_values) {
      if (value.name == "true" || value.name == "false" || value.name == "null") {
        return Error{Concat(def.kind, " ", def.name, ": non-enum value ", value.name, "."),
                     def.pos};
      }
      if (auto e = Directives(value.directives, "ENUM_VALUE", nullptr)) return e;
    }
  } else if (def.kind == "INPUT_OBJECT") {
    if (def.fields.empty()) {
      return Error{Concat(def.kind, " ", def.name, ": must define one or more input fields."),
                   def.pos};
    }
    for (const FieldDefinition& field : def.fields) {
      const graphql::Definition* t = schema_.Type(field.type.Name());
      if (t != nullptr && !IsInputKind(t->kind)) {
        return Error{Concat(t->kind, " ", field.name,
                            ": field must be one of SCALAR, ENUM, INPUT_OBJECT."),
                     field.pos};
      }
    }
  }
  for (size_t i = 0; i < def.fields.size(); ++i) {
    for (size_t j = i + 1; j < def.fields.size(); ++j) {
      if (def.fields[i].name == def.fields[j].name) {
        return Error{Concat("Field ", def.name, ".", def.fields[j].name,
                            " can only be defined once."),
                     def.fields[j].pos};
      }
    }
  }
  if (!def.built_in) {
    if (auto e = CheckName(def.pos, def.name)) return e;
  }
  return Directives(def.directives, def.kind, nullptr);
}

std::optional<Error> SchemaChecker::DirectiveDefinition(
    const graphql::DirectiveDefinition& def) const {
  if (auto e = CheckName(def.pos, def.name)) return e;
  return Arguments(def.arguments, &def);
}

void AddPossibleType(Schema* schema, const std::string& name, const std::string& type) {
  schema->possible_types[name].push_back(type);
}

// Reads the root operation types of a `schema` definition or extension.
std::optional<Error> AddRoots(const SchemaDefinition& def, Schema* schema) {
  for (const OperationTypeDefinition& op : def.operation_types) {
    if (schema->Type(op.type) == nullptr) {
      return Error{Concat("Schema root ", op.operation, " refers to a type ", op.type,
                          " that does not exist."),
                   op.pos};
    }
    schema->roots[op.operation] = op.type;
  }
  return std::nullopt;
}

}  // namespace

const FieldDefinition* FindField(const std::vector<FieldDefinition>& fields,
                                 const std::string& name) {
  for (const FieldDefinition& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const InputValueDefinition* FindArgument(const std::vector<InputValueDefinition>& args,
                                         const std::string& name) {
  for (const InputValueDefinition& a : args) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

bool IsCompatible(const Type& t, const Type& other) {
  if (t.named_type != other.named_type) return false;
  if (t.elem && !other.elem) return false;
  if (t.elem && !IsCompatible(*t.elem, *other.elem)) return false;
  if (other.non_null) return t.non_null;
  return true;
}

std::optional<Error> LoadSchema(const SchemaDocument& user, Schema* schema) {
  const SchemaDocument& prelude = Prelude();
  std::vector<const SchemaDocument*> docs = {&prelude, &user};

  // Types, in definition order (extensions of undefined types define them).
  std::vector<std::string> order;
  for (const SchemaDocument* doc : docs) {
    for (const Definition& def : doc->definitions) {
      if (schema->types.count(def.name) > 0) {
        return Error{Concat("Cannot redeclare type ", def.name, "."), def.pos};
      }
      schema->types[def.name] = def;
      order.push_back(def.name);
    }
  }
  for (const SchemaDocument* doc : docs) {
    for (const Definition& ext : doc->extensions) {
      auto it = schema->types.find(ext.name);
      if (it == schema->types.end()) {
        Definition def;
        def.kind = ext.kind;
        def.name = ext.name;
        def.pos = ext.pos;
        it = schema->types.emplace(ext.name, std::move(def)).first;
        order.push_back(ext.name);
      }
      Definition& def = it->second;
      if (def.kind != ext.kind) {
        return Error{Concat("Cannot extend type ", ext.name, " because the base type is a ",
                            def.kind, ", not ", ext.kind, "."),
                     ext.pos};
      }
      def.directives.insert(def.directives.end(), ext.directives.begin(),
                            ext.directives.end());
      def.interfaces.insert(def.interfaces.end(), ext.interfaces.begin(),
                            ext.interfaces.end());
      def.fields.insert(def.fields.end(), ext.fields.begin(), ext.fields.end());
      def.types.insert(def.types.end(), ext.types.begin(), ext.types.end());
      def.enum_values.insert(def.enum_values.end(), ext.enum_values.begin(),
                             ext.enum_values.end());
    }
  }
  for (const std::string& name : order) {
    const Definition& def = schema->types[name];
    if (def.kind == "UNION") {
      for (const std::string& t : def.types) AddPossibleType(schema, def.name, t);
    } else if (def.kind == "OBJECT" || def.kind == "INPUT_OBJECT") {
      for (const std::string& intf : def.interfaces) AddPossibleType(schema, intf, def.name);
      AddPossibleType(schema, def.name, def.name);
    } else if (def.kind == "INTERFACE") {
      for (const std::string& intf : def.interfaces) AddPossibleType(schema, intf, def.name);
    }
  }

  for (const SchemaDocument* doc : docs) {
    for (const DirectiveDefinition& dir : doc->directives) {
      if (schema->directives.count(dir.name) > 0) {
        // Redefining a built-in directive is allowed; the first one stays.
        static constexpr std::string_view kBuiltIn[] = {"include", "skip", "deprecated",
                                                        "specifiedBy", "defer", "oneOf"};
        bool built_in = false;
        for (std::string_view b : kBuiltIn) built_in = built_in || b == dir.name;
        if (!built_in) {
          return Error{Concat("Cannot redeclare directive ", dir.name, "."), dir.pos};
        }
        continue;
      }
      schema->directives[dir.name] = dir;
    }
  }

  SchemaChecker checker(*schema);
  if (user.schema.size() > 1) {
    return Error{"Cannot have multiple schema entry points, consider schema extensions instead.",
                 user.schema[1].pos};
  }
  if (user.schema.size() == 1) {
    if (auto e = AddRoots(user.schema[0], schema)) return e;
    if (auto e = checker.Directives(user.schema[0].directives, "SCHEMA", nullptr)) return e;
  }
  for (const SchemaDefinition& ext : user.schema_extension) {
    if (auto e = AddRoots(ext, schema)) return e;
    if (auto e = checker.Directives(ext.directives, "SCHEMA", nullptr)) return e;
  }

  for (const auto& [name, def] : schema->types) {
    if (auto e = checker.Definition(def)) return e;
  }
  for (const auto& [name, dir] : schema->directives) {
    if (auto e = checker.DirectiveDefinition(dir)) return e;
  }

  // Without a `schema` definition, the roots are the types named after them.
  if (user.schema.empty()) {
    for (const char* op : {"query", "mutation", "subscription"}) {
      std::string type_name(op);
      type_name[0] = static_cast<char>(type_name[0] - 'a' + 'A');
      if (schema->roots.count(op) == 0 && schema->Type(type_name) != nullptr) {
        schema->roots[op] = type_name;
      }
    }
  }
  // The query root answers introspection.
  if (auto it = schema->roots.find("query"); it != schema->roots.end()) {
    Definition& query = schema->types[it->second];
    FieldDefinition schema_field;
    schema_field.name = "__schema";
    schema_field.type.named_type = "__Schema";
    schema_field.type.non_null = true;
    query.fields.push_back(std::move(schema_field));
    FieldDefinition type_field;
    type_field.name = "__type";
    type_field.type.named_type = "__Type";
    InputValueDefinition name_arg;
    name_arg.name = "name";
    name_arg.type.named_type = "String";
    name_arg.type.non_null = true;
    type_field.arguments.push_back(std::move(name_arg));
    query.fields.push_back(std::move(type_field));
  }
  return std::nullopt;
}

}  // namespace policyd::graphql
