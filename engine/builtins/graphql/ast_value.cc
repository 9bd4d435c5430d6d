#include "engine/builtins/graphql/ast_value.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "engine/builtins/args.h"

namespace policyd::graphql {

namespace {

using RegoValue = policyd::Value;

// ---- AST to Value ----

// Builds one pruned object: empty arrays and objects are left out.
class Obj {
 public:
  Obj& Str(std::string_view key, std::string_view s) {
    return Put(key, RegoValue::String(s));
  }
  Obj& Bool(std::string_view key, bool b) { return Put(key, RegoValue::Bool(b)); }
  Obj& Int(std::string_view key, int64_t i) { return Put(key, RegoValue::Int(i)); }
  Obj& Sub(std::string_view key, RegoValue v) {
    if (v.size() == 0) return *this;
    return Put(key, std::move(v));
  }
  template <typename T, typename F>
  Obj& List(std::string_view key, const std::vector<T>& items, F to_value) {
    std::vector<RegoValue> elems;
    for (const T& item : items) {
      RegoValue v = to_value(item);
      if (!v.is_collection() || v.size() > 0) elems.push_back(std::move(v));
    }
    return Sub(key, RegoValue::Array(std::move(elems)));
  }
  RegoValue Build() { return RegoValue::Object(std::move(entries_)); }

 private:
  Obj& Put(std::string_view key, RegoValue v) {
    entries_.emplace_back(RegoValue::String(key), std::move(v));
    return *this;
  }
  std::vector<ObjectEntry> entries_;
};

RegoValue StringValue(const std::string& s) { return RegoValue::String(s); }

RegoValue ValueToValue(const Value& v) {
  Obj o;
  o.Str("Raw", v.raw);
  o.List("Children", v.children, [](const ChildValue& c) {
    return Obj().Str("Name", c.name).Sub("Value", ValueToValue(c.value)).Build();
  });
  o.Int("Kind", static_cast<int64_t>(v.kind));
  o.Bool("ExpectedTypeHasDefault", v.expected_type_has_default);
  return o.Build();
}

RegoValue TypeToValue(const Type& t) {
  Obj o;
  o.Str("NamedType", t.named_type);
  if (t.elem) o.Sub("Elem", TypeToValue(*t.elem));
  o.Bool("NonNull", t.non_null);
  return o.Build();
}

RegoValue ArgumentToValue(const Argument& a) {
  return Obj().Str("Name", a.name).Sub("Value", ValueToValue(a.value)).Build();
}

RegoValue DirectiveToValue(const Directive& d) {
  return Obj()
      .Str("Name", d.name)
      .List("Arguments", d.arguments, ArgumentToValue)
      .Str("Location", d.location)
      .Build();
}

RegoValue VariableToValue(const VariableDefinition& v) {
  Obj o;
  o.Str("Variable", v.variable);
  o.Sub("Type", TypeToValue(v.type));
  if (v.default_value) o.Sub("DefaultValue", ValueToValue(*v.default_value));
  o.List("Directives", v.directives, DirectiveToValue);
  o.Bool("Used", v.used);
  return o.Build();
}

RegoValue SelectionToValue(const Selection& s) {
  Obj o;
  switch (s.kind) {
    case Selection::Kind::kField:
      o.Str("Alias", s.alias).Str("Name", s.name);
      o.List("Arguments", s.arguments, ArgumentToValue);
      break;
    case Selection::Kind::kFragmentSpread:
      o.Str("Name", s.name);
      break;
    case Selection::Kind::kInlineFragment:
      o.Str("TypeCondition", s.type_condition);
      break;
  }
  o.List("Directives", s.directives, DirectiveToValue);
  o.List("SelectionSet", s.selection_set, SelectionToValue);
  return o.Build();
}

RegoValue InputValueToValue(const InputValueDefinition& a) {
  Obj o;
  o.Str("Description", a.description).Str("Name", a.name);
  if (a.default_value) o.Sub("DefaultValue", ValueToValue(*a.default_value));
  o.Sub("Type", TypeToValue(a.type));
  o.List("Directives", a.directives, DirectiveToValue);
  return o.Build();
}

RegoValue FieldToValue(const FieldDefinition& f) {
  Obj o;
  o.Str("Description", f.description).Str("Name", f.name);
  o.List("Arguments", f.arguments, InputValueToValue);
  if (f.default_value) o.Sub("DefaultValue", ValueToValue(*f.default_value));
  o.Sub("Type", TypeToValue(f.type));
  o.List("Directives", f.directives, DirectiveToValue);
  return o.Build();
}

RegoValue DefinitionToValue(const Definition& d) {
  Obj o;
  o.Str("Kind", d.kind).Str("Description", d.description).Str("Name", d.name);
  o.List("Directives", d.directives, DirectiveToValue);
  o.List("Interfaces", d.interfaces, StringValue);
  o.List("Fields", d.fields, FieldToValue);
  o.List("Types", d.types, StringValue);
  o.List("EnumValues", d.enum_values, [](const EnumValueDefinition& e) {
    return Obj()
        .Str("Description", e.description)
        .Str("Name", e.name)
        .List("Directives", e.directives, DirectiveToValue)
        .Build();
  });
  o.Bool("BuiltIn", d.built_in);
  return o.Build();
}

RegoValue SchemaDefinitionToValue(const SchemaDefinition& s) {
  return Obj()
      .Str("Description", s.description)
      .List("Directives", s.directives, DirectiveToValue)
      .List("OperationTypes", s.operation_types,
            [](const OperationTypeDefinition& op) {
              return Obj().Str("Operation", op.operation).Str("Type", op.type).Build();
            })
      .Build();
}

RegoValue DirectiveDefinitionToValue(const DirectiveDefinition& d) {
  return Obj()
      .Str("Description", d.description)
      .Str("Name", d.name)
      .List("Arguments", d.arguments, InputValueToValue)
      .List("Locations", d.locations, StringValue)
      .Bool("IsRepeatable", d.is_repeatable)
      .Build();
}

// ---- Value to AST ----

// Go's name of a JSON value's type in decoding errors.
std::string_view JsonKind(const RegoValue& v) {
  switch (v.kind()) {
    case Kind::kBoolean: return "bool";
    case Kind::kNumber: return "number";
    case Kind::kString: return "string";
    case Kind::kArray:
    case Kind::kSet: return "array";
    case Kind::kObject: return "object";
    case Kind::kNull: return "null";
  }
  return "value";
}

absl::Status DecodeError(const RegoValue& got, std::string_view want) {
  return absl::InvalidArgumentError(
      Concat("json: cannot unmarshal ", JsonKind(got), " into Go value of type ", want));
}

// The member `key` of object `obj`, or nullptr when absent or null (Go
// leaves the field as it was).
const RegoValue* Member(const RegoValue& obj, std::string_view key) {
  const RegoValue* v = obj.Find(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

absl::Status ReadString(const RegoValue& obj, std::string_view key, std::string* out) {
  const RegoValue* v = Member(obj, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_string()) return DecodeError(*v, "string");
  *out = std::string(v->string());
  return absl::OkStatus();
}

absl::Status ReadBool(const RegoValue& obj, std::string_view key, bool* out) {
  const RegoValue* v = Member(obj, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_bool()) return DecodeError(*v, "bool");
  *out = v->boolean();
  return absl::OkStatus();
}

absl::Status CheckObject(const RegoValue& v, std::string_view go_type) {
  return v.is_object() ? absl::OkStatus() : DecodeError(v, go_type);
}

// Decodes the array `key` of `obj` element by element with `read`.
template <typename T>
absl::Status ReadList(const RegoValue& obj, std::string_view key, std::vector<T>* out,
                      const std::function<absl::StatusOr<T>(const RegoValue&)>& read) {
  const RegoValue* v = Member(obj, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_array() && !v->is_set()) return DecodeError(*v, "slice");
  out->clear();
  for (const RegoValue& e : v->elements()) {
    POLICYD_ASSIGN_OR_RETURN(T item, read(e));
    out->push_back(std::move(item));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadStringElem(const RegoValue& v) {
  if (!v.is_string()) return DecodeError(v, "string");
  return std::string(v.string());
}

absl::StatusOr<Value> ValueFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.Value"));
  Value out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Raw", &out.raw));
  POLICYD_RETURN_IF_ERROR(ReadBool(v, "ExpectedTypeHasDefault", &out.expected_type_has_default));
  if (const RegoValue* k = Member(v, "Kind")) {
    int64_t kind;
    if (!k->is_number() || !k->AsInt64(&kind)) return DecodeError(*k, "ast.ValueKind");
    out.kind = static_cast<ValueKind>(kind);
  }
  std::function<absl::StatusOr<ChildValue>(const RegoValue&)> child =
      [](const RegoValue& c) -> absl::StatusOr<ChildValue> {
    POLICYD_RETURN_IF_ERROR(CheckObject(c, "ast.ChildValue"));
    ChildValue out;
    POLICYD_RETURN_IF_ERROR(ReadString(c, "Name", &out.name));
    if (const RegoValue* inner = Member(c, "Value")) {
      POLICYD_ASSIGN_OR_RETURN(out.value, ValueFrom(*inner));
    }
    return out;
  };
  POLICYD_RETURN_IF_ERROR(ReadList(v, "Children", &out.children, child));
  return out;
}

absl::Status ReadValue(const RegoValue& obj, std::string_view key, Value* out) {
  const RegoValue* v = Member(obj, key);
  if (v == nullptr) return absl::OkStatus();
  POLICYD_ASSIGN_OR_RETURN(*out, ValueFrom(*v));
  return absl::OkStatus();
}

absl::Status ReadOptionalValue(const RegoValue& obj, std::string_view key,
                               std::optional<Value>* out) {
  const RegoValue* v = Member(obj, key);
  if (v == nullptr) return absl::OkStatus();
  POLICYD_ASSIGN_OR_RETURN(*out, ValueFrom(*v));
  return absl::OkStatus();
}

absl::StatusOr<Type> TypeFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.Type"));
  Type out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "NamedType", &out.named_type));
  POLICYD_RETURN_IF_ERROR(ReadBool(v, "NonNull", &out.non_null));
  if (const RegoValue* elem = Member(v, "Elem")) {
    POLICYD_ASSIGN_OR_RETURN(Type e, TypeFrom(*elem));
    out.elem = std::make_shared<Type>(std::move(e));
  }
  return out;
}

absl::Status ReadType(const RegoValue& obj, Type* out) {
  const RegoValue* v = Member(obj, "Type");
  if (v == nullptr) return absl::OkStatus();
  POLICYD_ASSIGN_OR_RETURN(*out, TypeFrom(*v));
  return absl::OkStatus();
}

absl::StatusOr<Argument> ArgumentFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.Argument"));
  Argument out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Name", &out.name));
  POLICYD_RETURN_IF_ERROR(ReadValue(v, "Value", &out.value));
  return out;
}

absl::StatusOr<Directive> DirectiveFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.Directive"));
  Directive out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Name", &out.name));
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Location", &out.location));
  POLICYD_RETURN_IF_ERROR(ReadList<Argument>(v, "Arguments", &out.arguments, ArgumentFrom));
  return out;
}

absl::Status ReadDirectives(const RegoValue& obj, std::vector<Directive>* out) {
  return ReadList<Directive>(obj, "Directives", out, DirectiveFrom);
}

absl::StatusOr<VariableDefinition> VariableFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.VariableDefinition"));
  VariableDefinition out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Variable", &out.variable));
  POLICYD_RETURN_IF_ERROR(ReadType(v, &out.type));
  POLICYD_RETURN_IF_ERROR(ReadOptionalValue(v, "DefaultValue", &out.default_value));
  POLICYD_RETURN_IF_ERROR(ReadDirectives(v, &out.directives));
  POLICYD_RETURN_IF_ERROR(ReadBool(v, "Used", &out.used));
  return out;
}

absl::StatusOr<Selection> SelectionFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.Field"));
  Selection out;
  out.kind = Selection::Kind::kField;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Alias", &out.alias));
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Name", &out.name));
  POLICYD_RETURN_IF_ERROR(ReadList<Argument>(v, "Arguments", &out.arguments, ArgumentFrom));
  POLICYD_RETURN_IF_ERROR(ReadDirectives(v, &out.directives));
  POLICYD_RETURN_IF_ERROR(
      ReadList<Selection>(v, "SelectionSet", &out.selection_set, SelectionFrom));
  return out;
}

absl::StatusOr<OperationDefinition> OperationFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.OperationDefinition"));
  OperationDefinition out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Operation", &out.operation));
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Name", &out.name));
  POLICYD_RETURN_IF_ERROR(ReadList<VariableDefinition>(v, "VariableDefinitions",
                                                       &out.variable_definitions,
                                                       VariableFrom));
  POLICYD_RETURN_IF_ERROR(ReadDirectives(v, &out.directives));
  POLICYD_RETURN_IF_ERROR(
      ReadList<Selection>(v, "SelectionSet", &out.selection_set, SelectionFrom));
  return out;
}

absl::StatusOr<FragmentDefinition> FragmentFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.FragmentDefinition"));
  FragmentDefinition out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Name", &out.name));
  POLICYD_RETURN_IF_ERROR(ReadList<VariableDefinition>(v, "VariableDefinition",
                                                       &out.variable_definition,
                                                       VariableFrom));
  POLICYD_RETURN_IF_ERROR(ReadString(v, "TypeCondition", &out.type_condition));
  POLICYD_RETURN_IF_ERROR(ReadDirectives(v, &out.directives));
  POLICYD_RETURN_IF_ERROR(
      ReadList<Selection>(v, "SelectionSet", &out.selection_set, SelectionFrom));
  return out;
}

absl::StatusOr<InputValueDefinition> InputValueFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.ArgumentDefinition"));
  InputValueDefinition out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Description", &out.description));
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Name", &out.name));
  POLICYD_RETURN_IF_ERROR(ReadOptionalValue(v, "DefaultValue", &out.default_value));
  POLICYD_RETURN_IF_ERROR(ReadType(v, &out.type));
  POLICYD_RETURN_IF_ERROR(ReadDirectives(v, &out.directives));
  return out;
}

absl::StatusOr<FieldDefinition> FieldFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.FieldDefinition"));
  FieldDefinition out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Description", &out.description));
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Name", &out.name));
  POLICYD_RETURN_IF_ERROR(
      ReadList<InputValueDefinition>(v, "Arguments", &out.arguments, InputValueFrom));
  POLICYD_RETURN_IF_ERROR(ReadOptionalValue(v, "DefaultValue", &out.default_value));
  POLICYD_RETURN_IF_ERROR(ReadType(v, &out.type));
  POLICYD_RETURN_IF_ERROR(ReadDirectives(v, &out.directives));
  return out;
}

absl::StatusOr<EnumValueDefinition> EnumValueFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.EnumValueDefinition"));
  EnumValueDefinition out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Description", &out.description));
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Name", &out.name));
  POLICYD_RETURN_IF_ERROR(ReadDirectives(v, &out.directives));
  return out;
}

absl::StatusOr<Definition> DefinitionFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.Definition"));
  Definition out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Kind", &out.kind));
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Description", &out.description));
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Name", &out.name));
  POLICYD_RETURN_IF_ERROR(ReadDirectives(v, &out.directives));
  POLICYD_RETURN_IF_ERROR(
      ReadList<std::string>(v, "Interfaces", &out.interfaces, ReadStringElem));
  POLICYD_RETURN_IF_ERROR(ReadList<FieldDefinition>(v, "Fields", &out.fields, FieldFrom));
  POLICYD_RETURN_IF_ERROR(ReadList<std::string>(v, "Types", &out.types, ReadStringElem));
  POLICYD_RETURN_IF_ERROR(
      ReadList<EnumValueDefinition>(v, "EnumValues", &out.enum_values, EnumValueFrom));
  POLICYD_RETURN_IF_ERROR(ReadBool(v, "BuiltIn", &out.built_in));
  return out;
}

absl::StatusOr<SchemaDefinition> SchemaDefinitionFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.SchemaDefinition"));
  SchemaDefinition out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Description", &out.description));
  POLICYD_RETURN_IF_ERROR(ReadDirectives(v, &out.directives));
  std::function<absl::StatusOr<OperationTypeDefinition>(const RegoValue&)> op =
      [](const RegoValue& o) -> absl::StatusOr<OperationTypeDefinition> {
    POLICYD_RETURN_IF_ERROR(CheckObject(o, "ast.OperationTypeDefinition"));
    OperationTypeDefinition out;
    POLICYD_RETURN_IF_ERROR(ReadString(o, "Operation", &out.operation));
    POLICYD_RETURN_IF_ERROR(ReadString(o, "Type", &out.type));
    return out;
  };
  POLICYD_RETURN_IF_ERROR(ReadList(v, "OperationTypes", &out.operation_types, op));
  return out;
}

absl::StatusOr<DirectiveDefinition> DirectiveDefinitionFrom(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.DirectiveDefinition"));
  DirectiveDefinition out;
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Description", &out.description));
  POLICYD_RETURN_IF_ERROR(ReadString(v, "Name", &out.name));
  POLICYD_RETURN_IF_ERROR(
      ReadList<InputValueDefinition>(v, "Arguments", &out.arguments, InputValueFrom));
  POLICYD_RETURN_IF_ERROR(
      ReadList<std::string>(v, "Locations", &out.locations, ReadStringElem));
  POLICYD_RETURN_IF_ERROR(ReadBool(v, "IsRepeatable", &out.is_repeatable));
  return out;
}

}  // namespace

RegoValue QueryToValue(const QueryDocument& doc) {
  return Obj()
      .List("Operations", doc.operations,
            [](const OperationDefinition& op) {
              return Obj()
                  .Str("Operation", op.operation)
                  .Str("Name", op.name)
                  .List("VariableDefinitions", op.variable_definitions, VariableToValue)
                  .List("Directives", op.directives, DirectiveToValue)
                  .List("SelectionSet", op.selection_set, SelectionToValue)
                  .Build();
            })
      .List("Fragments", doc.fragments,
            [](const FragmentDefinition& f) {
              return Obj()
                  .Str("Name", f.name)
                  .List("VariableDefinition", f.variable_definition, VariableToValue)
                  .Str("TypeCondition", f.type_condition)
                  .List("Directives", f.directives, DirectiveToValue)
                  .List("SelectionSet", f.selection_set, SelectionToValue)
                  .Build();
            })
      .Build();
}

RegoValue SchemaToValue(const SchemaDocument& doc) {
  return Obj()
      .List("Schema", doc.schema, SchemaDefinitionToValue)
      .List("SchemaExtension", doc.schema_extension, SchemaDefinitionToValue)
      .List("Directives", doc.directives, DirectiveDefinitionToValue)
      .List("Definitions", doc.definitions, DefinitionToValue)
      .List("Extensions", doc.extensions, DefinitionToValue)
      .Build();
}

absl::StatusOr<QueryDocument> QueryFromValue(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.QueryDocument"));
  QueryDocument doc;
  POLICYD_RETURN_IF_ERROR(
      ReadList<OperationDefinition>(v, "Operations", &doc.operations, OperationFrom));
  POLICYD_RETURN_IF_ERROR(
      ReadList<FragmentDefinition>(v, "Fragments", &doc.fragments, FragmentFrom));
  return doc;
}

absl::StatusOr<SchemaDocument> SchemaFromValue(const RegoValue& v) {
  POLICYD_RETURN_IF_ERROR(CheckObject(v, "ast.SchemaDocument"));
  SchemaDocument doc;
  POLICYD_RETURN_IF_ERROR(
      ReadList<SchemaDefinition>(v, "Schema", &doc.schema, SchemaDefinitionFrom));
  POLICYD_RETURN_IF_ERROR(ReadList<SchemaDefinition>(v, "SchemaExtension",
                                                     &doc.schema_extension,
                                                     SchemaDefinitionFrom));
  POLICYD_RETURN_IF_ERROR(ReadList<DirectiveDefinition>(v, "Directives", &doc.directives,
                                                        DirectiveDefinitionFrom));
  POLICYD_RETURN_IF_ERROR(
      ReadList<Definition>(v, "Definitions", &doc.definitions, DefinitionFrom));
  POLICYD_RETURN_IF_ERROR(
      ReadList<Definition>(v, "Extensions", &doc.extensions, DefinitionFrom));
  return doc;
}

}  // namespace policyd::graphql
