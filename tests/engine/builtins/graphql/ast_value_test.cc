#include "engine/builtins/graphql/ast_value.h"

#include <string>

#include "engine/builtins/graphql/parser.h"
#include "engine/value/json.h"
#include "gtest/gtest.h"

namespace policyd::graphql {
namespace {

policyd::Value J(std::string_view json) {
  auto v = ParseJson(json);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : policyd::Value();
}

std::string QueryJson(std::string_view text) {
  QueryDocument doc;
  EXPECT_FALSE(ParseQuery(text, &doc));
  return QueryToValue(doc).ToJson();
}

std::string SchemaJson(std::string_view text) {
  SchemaDocument doc;
  EXPECT_FALSE(ParseSchema(text, &doc));
  return SchemaToValue(doc).ToJson();
}

TEST(GraphqlAstValueTest, QueryShape) {
  EXPECT_EQ(QueryJson(""), "{}");
  EXPECT_EQ(QueryJson("{hero {name}}"),
            J(R"({"Operations": [{"Name": "", "Operation": "query", "SelectionSet": [
                 {"Alias": "hero", "Name": "hero",
                  "SelectionSet": [{"Alias": "name", "Name": "name"}]}]}]})")
                .ToJson());
  EXPECT_EQ(
      QueryJson("query ($v: [T!] = [1] @d) { f(a: {b: $v}) ...S ... on T { g } }\n"
                "fragment S on T { h }"),
      J(R"({"Operations": [{"Name": "", "Operation": "query",
             "VariableDefinitions": [{"Variable": "v", "Used": false,
               "Type": {"NamedType": "", "NonNull": false,
                        "Elem": {"NamedType": "T", "NonNull": true}},
               "DefaultValue": {"Raw": "", "Kind": 8, "ExpectedTypeHasDefault": false,
                 "Children": [{"Name": "", "Value": {"Raw": "1", "Kind": 1,
                                                     "ExpectedTypeHasDefault": false}}]},
               "Directives": [{"Name": "d", "Location": ""}]}],
             "SelectionSet": [
               {"Alias": "f", "Name": "f", "Arguments": [{"Name": "a", "Value": {
                 "Raw": "", "Kind": 9, "ExpectedTypeHasDefault": false,
                 "Children": [{"Name": "b", "Value": {"Raw": "v", "Kind": 0,
                                                      "ExpectedTypeHasDefault": false}}]}}]},
               {"Name": "S"},
               {"TypeCondition": "T", "SelectionSet": [{"Alias": "g", "Name": "g"}]}]}],
           "Fragments": [{"Name": "S", "TypeCondition": "T",
                          "SelectionSet": [{"Alias": "h", "Name": "h"}]}]})")
          .ToJson());
}

TEST(GraphqlAstValueTest, SchemaShape) {
  EXPECT_EQ(
      SchemaJson("\"D\" type A implements I { f(x: Int = 1): [A] @deprecated }\n"
                 "union U = A\nenum E { X }\nschema { query: A }\n"
                 "extend input In @d\ndirective @d on INPUT_OBJECT"),
      J(R"({"Definitions": [
             {"Kind": "OBJECT", "Description": "D", "Name": "A", "BuiltIn": false,
              "Interfaces": ["I"],
              "Fields": [{"Description": "", "Name": "f",
                "Arguments": [{"Description": "", "Name": "x",
                  "Type": {"NamedType": "Int", "NonNull": false},
                  "DefaultValue": {"Raw": "1", "Kind": 1, "ExpectedTypeHasDefault": false}}],
                "Type": {"NamedType": "", "NonNull": false,
                         "Elem": {"NamedType": "A", "NonNull": false}},
                "Directives": [{"Name": "deprecated", "Location": ""}]}]},
             {"Kind": "UNION", "Description": "", "Name": "U", "BuiltIn": false, "Types": ["A"]},
             {"Kind": "ENUM", "Description": "", "Name": "E", "BuiltIn": false,
              "EnumValues": [{"Description": "", "Name": "X"}]}],
           "Schema": [{"Description": "", "OperationTypes": [{"Operation": "query", "Type": "A"}]}],
           "Extensions": [{"Kind": "INPUT_OBJECT", "Description": "", "Name": "In",
                           "BuiltIn": false, "Directives": [{"Name": "d", "Location": ""}]}],
           "Directives": [{"Description": "", "Name": "d", "Locations": ["INPUT_OBJECT"],
                           "IsRepeatable": false}]})")
          .ToJson());
}

TEST(GraphqlAstValueTest, RoundTrips) {
  QueryDocument q;
  ASSERT_FALSE(ParseQuery("query Q($v: [T!]! = [1]) @d(a: 1) { f(a: {b: $v}) { g } }", &q));
  policyd::Value qv = QueryToValue(q);
  auto q2 = QueryFromValue(qv);
  ASSERT_TRUE(q2.ok()) << q2.status();
  EXPECT_EQ(QueryToValue(*q2), qv);

  SchemaDocument s;
  ASSERT_FALSE(ParseSchema("type A implements I { f(x: Int = 1): [A!] @deprecated }\n"
                           "schema { query: A }\ndirective @d(a: Int) on FIELD",
                           &s));
  policyd::Value sv = SchemaToValue(s);
  auto s2 = SchemaFromValue(sv);
  ASSERT_TRUE(s2.ok()) << s2.status();
  EXPECT_EQ(SchemaToValue(*s2), sv);
}

TEST(GraphqlAstValueTest, SelectionsReadBackAsFields) {
  auto doc = QueryFromValue(J(R"({"Operations": [{"Operation": "query", "SelectionSet": [
      {"TypeCondition": "T", "SelectionSet": [{"Alias": "a", "Name": "a"}]}]}]})"));
  ASSERT_TRUE(doc.ok()) << doc.status();
  const Selection& s = doc->operations[0].selection_set[0];
  EXPECT_EQ(s.kind, Selection::Kind::kField);
  EXPECT_EQ(s.name, "");
  EXPECT_EQ(s.selection_set[0].name, "a");
}

TEST(GraphqlAstValueTest, DecodingErrors) {
  EXPECT_EQ(QueryFromValue(J(R"({"Operations": [{"Name": 1}]})")).status().message(),
            "json: cannot unmarshal number into Go value of type string");
  EXPECT_EQ(SchemaFromValue(J(R"({"Definitions": {}})")).status().message(),
            "json: cannot unmarshal object into Go value of type slice");
  EXPECT_FALSE(SchemaFromValue(J(R"({"Definitions": [{"Fields": [{"Type": "Int"}]}]})")).ok());
  // Unknown keys and nulls are ignored.
  EXPECT_TRUE(QueryFromValue(J(R"({"Other": 1, "Operations": null})")).ok());
}

}  // namespace
}  // namespace policyd::graphql
