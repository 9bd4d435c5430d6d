#include "engine/builtins/graphql/parser.h"

#include <string>

#include "gtest/gtest.h"

namespace policyd::graphql {
namespace {

// The first syntax error as "MESSAGE@line:col", or "ok".
std::string QueryError(std::string_view text) {
  QueryDocument doc;
  auto e = ParseQuery(text, &doc);
  if (!e) return "ok";
  return e->message + "@" + std::to_string(e->pos.line) + ":" + std::to_string(e->pos.column);
}

std::string SchemaError(std::string_view text) {
  SchemaDocument doc;
  auto e = ParseSchema(text, &doc);
  if (!e) return "ok";
  return e->message + "@" + std::to_string(e->pos.line) + ":" + std::to_string(e->pos.column);
}

TEST(GraphqlParserTest, QueryStructure) {
  QueryDocument doc;
  ASSERT_FALSE(ParseQuery(R"(
    query Q($a: [Int!]! = [1], $b: In @d) @op {
      x: f(a: $a, o: {k: "v", l: [ENUM, null, 1.5, true]}) @skip(if: false) { g }
      ... on T { h }
      ... Frag
    }
    fragment Frag on T { i }
    { j }
  )",
                          &doc));
  ASSERT_EQ(doc.operations.size(), 2u);
  const OperationDefinition& q = doc.operations[0];
  EXPECT_EQ(q.operation, "query");
  EXPECT_EQ(q.name, "Q");
  ASSERT_EQ(q.variable_definitions.size(), 2u);
  EXPECT_EQ(q.variable_definitions[0].type.String(), "[Int!]!");
  ASSERT_TRUE(q.variable_definitions[0].default_value.has_value());
  EXPECT_EQ(q.variable_definitions[0].default_value->kind, ValueKind::kList);
  EXPECT_EQ(q.variable_definitions[1].directives[0].name, "d");
  EXPECT_EQ(q.directives[0].name, "op");
  ASSERT_EQ(q.selection_set.size(), 3u);
  const Selection& f = q.selection_set[0];
  EXPECT_EQ(f.kind, Selection::Kind::kField);
  EXPECT_EQ(f.alias, "x");
  EXPECT_EQ(f.name, "f");
  EXPECT_EQ(f.pos.line, 3);
  EXPECT_EQ(f.pos.column, 7);
  ASSERT_EQ(f.arguments.size(), 2u);
  EXPECT_EQ(f.arguments[0].value.kind, ValueKind::kVariable);
  EXPECT_EQ(f.arguments[0].value.raw, "a");
  const Value& o = f.arguments[1].value;
  ASSERT_EQ(o.kind, ValueKind::kObject);
  EXPECT_EQ(o.children[0].name, "k");
  EXPECT_EQ(o.children[0].value.kind, ValueKind::kString);
  const Value& l = o.children[1].value;
  ASSERT_EQ(l.children.size(), 4u);
  EXPECT_EQ(l.children[0].value.kind, ValueKind::kEnum);
  EXPECT_EQ(l.children[1].value.kind, ValueKind::kNull);
  EXPECT_EQ(l.children[2].value.kind, ValueKind::kFloat);
  EXPECT_EQ(l.children[3].value.kind, ValueKind::kBoolean);
  EXPECT_EQ(f.directives[0].arguments[0].value.raw, "false");
  EXPECT_EQ(f.selection_set[0].name, "g");
  EXPECT_EQ(q.selection_set[1].kind, Selection::Kind::kInlineFragment);
  EXPECT_EQ(q.selection_set[1].type_condition, "T");
  EXPECT_EQ(q.selection_set[2].kind, Selection::Kind::kFragmentSpread);
  EXPECT_EQ(q.selection_set[2].name, "Frag");
  EXPECT_EQ(doc.operations[1].operation, "query");
  EXPECT_EQ(doc.operations[1].name, "");
  ASSERT_EQ(doc.fragments.size(), 1u);
  EXPECT_EQ(doc.fragments[0].type_condition, "T");
}

TEST(GraphqlParserTest, QueryErrors) {
  EXPECT_EQ(QueryError(""), "ok");
  EXPECT_EQ(QueryError("{"), "Expected Name, found <EOF>@1:2");
  EXPECT_EQ(QueryError("\n  { ...MissingOn }\n  fragment MissingOn Type\n"),
            "Expected \"on\", found Name \"Type\"@3:22");
  EXPECT_EQ(QueryError("{ field: {} }"), "Expected Name, found {@1:10");
  EXPECT_EQ(QueryError("notanoperation Foo { field }"),
            "Unexpected Name \"notanoperation\"@1:1");
  EXPECT_EQ(QueryError("..."), "Unexpected ...@1:1");
  EXPECT_EQ(QueryError("query Foo($x: Complex = { a: { b: [ $var ] } }) { field }"),
            "Unexpected $@1:37");
  EXPECT_EQ(QueryError("fragment on on on { on }"), "Unexpected Name \"on\"@1:10");
  EXPECT_EQ(QueryError("{ ...on }"), "Expected Name, found }@1:9");
  EXPECT_EQ(QueryError("{__typename{...}}"), "Expected {, found }@1:16");
  EXPECT_EQ(QueryError("{...{__typename{...{}}}}"),
            "expected at least one definition, found }@1:21");
  EXPECT_EQ(QueryError("{ f(a: \"open) }"), "Unexpected <Invalid>@1:16");
}

TEST(GraphqlParserTest, SchemaStructure) {
  SchemaDocument doc;
  ASSERT_FALSE(ParseSchema(R"(
    "Described"
    type A implements & I & J @d { f(x: Int = 1 @e): [A] @deprecated }
    input In { g: Int = 2 }
    union U = | A | B
    enum E { X Y }
    scalar S
    schema { query: A }
    extend schema @d
    extend type A { h: Int }
    directive @d(a: Int) repeatable on FIELD | OBJECT
  )",
                           &doc));
  ASSERT_EQ(doc.definitions.size(), 5u);
  const Definition& a = doc.definitions[0];
  EXPECT_EQ(a.kind, "OBJECT");
  EXPECT_EQ(a.description, "Described");
  EXPECT_EQ(a.interfaces, (std::vector<std::string>{"I", "J"}));
  EXPECT_EQ(a.fields[0].arguments[0].default_value->raw, "1");
  EXPECT_EQ(a.fields[0].arguments[0].directives[0].name, "e");
  EXPECT_EQ(a.fields[0].type.String(), "[A]");
  EXPECT_EQ(doc.definitions[1].fields[0].default_value->raw, "2");
  EXPECT_EQ(doc.definitions[2].types, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(doc.definitions[3].enum_values.size(), 2u);
  EXPECT_EQ(doc.definitions[4].kind, "SCALAR");
  ASSERT_EQ(doc.schema.size(), 1u);
  EXPECT_EQ(doc.schema[0].operation_types[0].type, "A");
  EXPECT_EQ(doc.schema_extension[0].directives[0].name, "d");
  EXPECT_EQ(doc.extensions[0].fields[0].name, "h");
  ASSERT_EQ(doc.directives.size(), 1u);
  EXPECT_TRUE(doc.directives[0].is_repeatable);
  EXPECT_EQ(doc.directives[0].locations, (std::vector<std::string>{"FIELD", "OBJECT"}));
}

TEST(GraphqlParserTest, SchemaErrors) {
  EXPECT_EQ(SchemaError("type Hello {}"), "expected at least one definition, found }@1:13");
  EXPECT_EQ(SchemaError("extend type Hello"), "Unexpected <EOF>@1:18");
  EXPECT_EQ(SchemaError("\n  \"Description\"\n  extend type Hello { world: String }"),
            "Unexpected String \"Description\"@2:4");
  EXPECT_EQ(SchemaError("\n  extend \"Description\" type Hello { world: String }"),
            "Unexpected String \"Description\"@2:11");
  EXPECT_EQ(SchemaError("extend schema"), "Unexpected <EOF>@1:14");
  EXPECT_EQ(SchemaError("union Hello = || Wo | Rld"), "Expected Name, found |@1:16");
  EXPECT_EQ(SchemaError("union Hello = | Wo | Rld |"), "Expected Name, found <EOF>@1:27");
  EXPECT_EQ(SchemaError("\n  input Hello {\n    world(foo: Int): String\n  }"),
            "Expected :, found (@3:10");
  EXPECT_EQ(SchemaError("directive @foo on FIELD | INCORRECT_LOCATION"),
            "Unexpected Name \"INCORRECT_LOCATION\"@1:27");
  EXPECT_EQ(SchemaError("type o{d(g:["), "Expected Name, found <EOF>@1:13");
  EXPECT_EQ(SchemaError("\"\"\"\r"), "Unexpected <Invalid>@2:1");
  EXPECT_EQ(SchemaError("query { a }"), "Unexpected Name \"query\"@1:1");
}

}  // namespace
}  // namespace policyd::graphql
