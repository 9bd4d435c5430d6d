#include "engine/builtins/graphql/schema.h"

#include <string>

#include "engine/builtins/graphql/parser.h"
#include "gtest/gtest.h"

namespace policyd::graphql {
namespace {

// Loads schema text: "ok" or the first error as "MESSAGE@line:col".
std::string Load(std::string_view text, Schema* schema = nullptr) {
  SchemaDocument doc;
  if (auto e = ParseSchema(text, &doc)) return "syntax: " + e->message;
  Schema local;
  auto e = LoadSchema(doc, schema != nullptr ? schema : &local);
  if (!e) return "ok";
  return e->message + "@" + std::to_string(e->pos.line) + ":" + std::to_string(e->pos.column);
}

TEST(GraphqlSchemaTest, ValidSchemas) {
  EXPECT_EQ(Load(""), "ok");
  EXPECT_EQ(Load("type Hello { world(flag: Boolean = true): String }"), "ok");
  EXPECT_EQ(Load("enum Hello { WO, RLD }"), "ok");
  EXPECT_EQ(Load("directive @foo repeatable on FIELD"), "ok");
  EXPECT_EQ(Load("type DeprecatedType { f: String @deprecated }\n"
                 "enum DeprecatedEnum { ALPHA @deprecated }"),
            "ok");
  EXPECT_EQ(Load("type Query { x: Int }\n"
                 "directive @directive(a: String = \"b\") on SCHEMA\n"
                 "extend schema @directive"),
            "ok");
  // Extending an undefined type defines it.
  EXPECT_EQ(Load("extend type User { id: ID! }\n"
                 "union _Entity = User\n"
                 "extend type Query { entity: _Entity }"),
            "ok");
}

TEST(GraphqlSchemaTest, RootsAndPossibleTypes) {
  Schema schema;
  ASSERT_EQ(Load("type Query { a: I }\n"
                 "interface I { id: ID }\n"
                 "type A implements I { id: ID }\n"
                 "type Mutation { m: Int }",
                 &schema),
            "ok");
  ASSERT_NE(schema.Root("query"), nullptr);
  EXPECT_EQ(schema.Root("query")->name, "Query");
  EXPECT_EQ(schema.Root("mutation")->name, "Mutation");
  EXPECT_EQ(schema.Root("subscription"), nullptr);
  EXPECT_EQ(schema.possible_types.at("I"), (std::vector<std::string>{"A"}));
  // The query root answers introspection.
  EXPECT_NE(FindField(schema.Root("query")->fields, "__schema"), nullptr);
  EXPECT_NE(FindField(schema.Root("query")->fields, "__type"), nullptr);
  // A schema definition names the roots; no inference then.
  Schema explicit_roots;
  ASSERT_EQ(Load("schema { query: Q }\ntype Q { a: Int }\ntype Mutation { m: Int }",
                 &explicit_roots),
            "ok");
  EXPECT_EQ(explicit_roots.Root("query")->name, "Q");
  EXPECT_EQ(explicit_roots.Root("mutation"), nullptr);
}

TEST(GraphqlSchemaTest, Violations) {
  EXPECT_EQ(Load("type Hello implements World { field: String }"),
            "Undefined type \"World\".@1:6");
  EXPECT_EQ(Load("extend type Hello implements Greeting"),
            "Undefined type \"Greeting\".@1:13");
  EXPECT_EQ(Load("schema { query: Query }"),
            "Schema root query refers to a type Query that does not exist.@1:10");
  EXPECT_EQ(Load("union Hello = World"), "Undefined type \"World\".@1:7");
  EXPECT_EQ(Load("extend scalar Foo @deprecated\nextend type Foo @deprecated"),
            "Cannot extend type Foo because the base type is a SCALAR, not OBJECT.@2:13");
  EXPECT_EQ(Load("scalar Foo @deprecated"), "Directive deprecated is not applicable on SCALAR.@1:13");
  EXPECT_EQ(Load("interface IA { id: ID! }\n"
                 "interface IIA implements IA { id: ID! }\n"
                 "type A implements IIA { id: ID! }"),
            "Type A must implement IA because it is implemented by IIA.@3:6");
  EXPECT_EQ(Load("type Pupil { friends: [Pupil!]! }\ninput PupilInput { friends: [Pupil] }"),
            "OBJECT friends: field must be one of SCALAR, ENUM, INPUT_OBJECT.@2:20");
  EXPECT_EQ(Load("type Q { f(a: Q): Int }"),
            "cannot use Q as argument a because OBJECT is not a valid input type@1:12");
  EXPECT_EQ(Load("type Q { a: Int a: String }"), "Field Q.a can only be defined once.@1:17");
  EXPECT_EQ(Load("type __Q { a: Int }"),
            "Name \"__Q\" must not begin with \"__\", which is reserved by GraphQL "
            "introspection.@1:6");
  EXPECT_EQ(Load("type Q { a: Int }\ntype Q { b: Int }"), "Cannot redeclare type Q.@2:6");
  EXPECT_EQ(Load("interface I { a(x: Int): Int }\ntype T implements I { a: Int }"),
            "For T to implement I the field a must have the same arguments but it is missing "
            "x.@2:23");
  EXPECT_EQ(Load("type Q { a: Int @nope }"), "Undefined directive nope.@1:18");
}

TEST(GraphqlSchemaTest, IsCompatible) {
  Type int_type{"Int"};
  Type int_nn{"Int", nullptr, true};
  Type list{"", std::make_shared<Type>(int_type)};
  EXPECT_TRUE(IsCompatible(int_nn, int_type));
  EXPECT_TRUE(IsCompatible(int_nn, int_nn));
  EXPECT_FALSE(IsCompatible(int_type, int_nn));
  EXPECT_FALSE(IsCompatible(list, int_type));
  EXPECT_FALSE(IsCompatible(int_type, list));
  EXPECT_TRUE(IsCompatible(list, list));
}

}  // namespace
}  // namespace policyd::graphql
