#include "engine/builtins/graphql/validator.h"

#include <string>
#include <vector>

#include "engine/builtins/graphql/parser.h"
#include "engine/builtins/graphql/schema.h"
#include "gtest/gtest.h"

namespace policyd::graphql {
namespace {

constexpr std::string_view kSchema = R"(
  type Query {
    hero(episode: Episode!, limit: Int = 3): Character
    search(text: String): [SearchResult]
    count(min: Int! = 0): Int
    filter(f: Filter): Int
  }
  type Mutation { like(id: ID!): Int }
  type Subscription { a: Int b: Int }
  enum Episode { NEWHOPE EMPIRE JEDI }
  interface Character { name: String friends: [Character] }
  type Human implements Character { name: String friends: [Character] height: Float }
  type Droid implements Character { name: String friends: [Character] }
  union SearchResult = Human | Droid
  input Filter { min: Int! max: Int }
)";

// The errors of `query` against kSchema, each as "MESSAGE@line:col".
std::vector<std::string> Validate(std::string_view query) {
  SchemaDocument schema_doc;
  EXPECT_FALSE(ParseSchema(kSchema, &schema_doc));
  Schema schema;
  EXPECT_FALSE(LoadSchema(schema_doc, &schema));
  QueryDocument doc;
  if (auto e = ParseQuery(query, &doc)) return {"syntax: " + e->message};
  std::vector<std::string> out;
  for (const Error& e : ValidateQuery(schema, doc)) {
    out.push_back(e.message + "@" + std::to_string(e.pos.line) + ":" +
                  std::to_string(e.pos.column));
  }
  return out;
}

using Errors = std::vector<std::string>;  // built as Errors({...}) inside macros

TEST(GraphqlValidatorTest, ValidQueries) {
  EXPECT_EQ(Validate(""), Errors({}));
  EXPECT_EQ(Validate("{ hero(episode: JEDI) { name ... on Human { height } } }"), Errors({}));
  EXPECT_EQ(Validate("query Q($e: Episode! = EMPIRE) { hero(episode: $e) { __typename } }"),
            Errors({}));
  EXPECT_EQ(Validate("query Q($f: Boolean!) { ...F }\n"
                     "fragment F on Query { count @include(if: $f) }"),
            Errors({}));
  EXPECT_EQ(Validate("{ search(text: \"x\") { ... on Droid { name } } __schema { types { name } } }"),
            Errors({}));
  EXPECT_EQ(Validate("mutation { like(id: 4) }"), Errors({}));
}

TEST(GraphqlValidatorTest, Fields) {
  EXPECT_EQ(Validate("{ cont }"),
            Errors({"Cannot query field \"cont\" on type \"Query\". Did you mean \"count\"?@1:3"}));
  EXPECT_EQ(Validate("{ hero(episode: JEDI) { height } }"),
            Errors({"Cannot query field \"height\" on type \"Character\". Did you mean to use "
                   "an inline fragment on \"Human\"?@1:25"}));
  EXPECT_EQ(Validate("{ hero(episode: JEDI) }"),
            Errors({"Field \"hero\" of type \"Character\" must have a selection of subfields. "
                   "Did you mean \"hero { ... }\"?@1:3"}));
  EXPECT_EQ(Validate("{ count { a } }"),
            Errors({"Cannot query field \"a\" on type \"Int\".@1:11",
                   "Field \"count\" must not have a selection since type \"Int\" has no "
                   "subfields.@1:3"}));
}

TEST(GraphqlValidatorTest, Arguments) {
  EXPECT_EQ(Validate("{ hero { name } }"),
            Errors({"Field \"hero\" argument \"episode\" of type \"Episode!\" is required, but "
                   "it was not provided.@1:3"}));
  EXPECT_EQ(Validate("{ count(a: 1) }"), Errors({"Unknown argument \"a\" on field \"Query.count\".@1:3"}));
  EXPECT_EQ(Validate("{ hero(episode: JEDI, episode: JEDI) { name } }"),
            Errors({"There can be only one argument named \"episode\".@1:23"}));
  EXPECT_EQ(Validate("{ count @skip }"),
            Errors({"Directive \"@skip\" argument \"if\" of type \"Boolean!\" is required, but "
                   "it was not provided.@1:10"}));
  EXPECT_EQ(Validate("{ count @nope }"), Errors({"Unknown directive \"@nope\".@1:10"}));
  EXPECT_EQ(Validate("query @skip(if: true) { count }"),
            Errors({"Directive \"@skip\" may not be used on QUERY.@1:8"}));
}

TEST(GraphqlValidatorTest, Values) {
  EXPECT_EQ(Validate("{ hero(episode: SITH) { name } }"),
            Errors({"Value \"SITH\" does not exist in \"Episode!\" enum.@1:17"}));
  EXPECT_EQ(Validate("{ hero(episode: \"JEDI\") { name } }"),
            Errors({"Enum \"Episode!\" cannot represent non-enum value: \"JEDI\". Did you mean "
                   "the enum value \"JEDI\"?@1:18"}));
  EXPECT_EQ(Validate("{ hero(episode: JEDI, limit: \"x\") { name } }"),
            Errors({"Int cannot represent non-integer value: \"x\"@1:31"}));
  EXPECT_EQ(Validate("{ filter(f: {max: 1, mix: 2}) }"),
            Errors({"Field \"Filter.min\" of required type \"Int!\" was not provided.@1:13",
                   "Field \"mix\" is not defined by type \"Filter\". Did you mean \"min\" or "
                   "\"max\"?@1:22"}));
  // Beyond 64 bits an integer has no value; 32 bits are not enforced alone.
  EXPECT_EQ(Validate("{ count(min: 99999999999999999999) }"),
            Errors({"Int cannot represent non 32-bit signed integer value: "
                    "99999999999999999999@1:14"}));
  EXPECT_EQ(Validate("{ count(min: 3000000000) }"), Errors({}));
  EXPECT_EQ(Validate("{ hero(episode: null) { name } }"),
            Errors({"Expected value of type \"Episode!\", found null.@1:17"}));
}

TEST(GraphqlValidatorTest, Variables) {
  EXPECT_EQ(Validate("query Q($e: Episode) { hero(episode: $e) { name } }"),
            Errors({"Variable \"$e\" of type \"Episode\" used in position expecting type "
                   "\"Episode!\".@1:38"}));
  // The argument's default makes a nullable variable acceptable.
  EXPECT_EQ(Validate("query Q($m: Int) { count(min: $m) }"), Errors({}));
  EXPECT_EQ(Validate("query Q { hero(episode: $e) { name } }"),
            Errors({"Variable \"$e\" is not defined by operation \"Q\".@1:25"}));
  EXPECT_EQ(Validate("query Q($e: Episode!) { count }"),
            Errors({"Variable \"$e\" is never used in operation \"Q\".@1:9"}));
  EXPECT_EQ(Validate("query ($h: Human) { count(a: $h) }"),
            Errors({"Unknown argument \"a\" on field \"Query.count\".@1:21",
                   "Variable \"$h\" cannot be non-input type \"Human\".@1:8"}));
  EXPECT_EQ(Validate("query ($x: Nope) { count }"),
            Errors({"Unknown type \"Nope\".@1:8", "Variable \"$x\" is never used.@1:8"}));
}

TEST(GraphqlValidatorTest, OverlappingFields) {
  // Checked at every level, fragments included (graphql_overlap_test.cc has the rule).
  EXPECT_EQ(
      Validate("{ hero(episode: JEDI) { ... on Human { x: height } ... on Droid { x: name } } }"),
      Errors({"Fields \"x\" conflict because they return conflicting types Float and String. "
              "Use different aliases on the fields to fetch both if this was intentional.@1:67"}));
  EXPECT_EQ(Validate("{ a: count ...F } fragment F on Query { a: filter }"),
            Errors({"Fields \"a\" conflict because count and filter are different fields. Use "
                    "different aliases on the fields to fetch both if this was intentional.@1:41"}));
}

TEST(GraphqlValidatorTest, OperationsAndFragments) {
  EXPECT_EQ(Validate("{ count } query Q { count }"),
            Errors({"This anonymous operation must be the only defined operation.@1:1"}));
  EXPECT_EQ(Validate("query Q { count } query Q { count }"),
            Errors({"There can be only one operation named \"Q\".@1:19"}));
  EXPECT_EQ(Validate("subscription { a b }"),
            Errors({"Anonymous Subscription must select only one top level field.@1:1"}));
  EXPECT_EQ(Validate("{ ...Nope }"), Errors({"Unknown fragment \"Nope\".@1:6"}));
  EXPECT_EQ(Validate("{ count } fragment F on Query { count }"),
            Errors({"Fragment \"F\" is never used.@1:11"}));
  EXPECT_EQ(Validate("{ hero(episode: JEDI) { ... on Query { count } } }"),
            Errors({"Fragment cannot be spread here as objects of type \"Character\" can never "
                   "be of type \"Query\".@1:29"}));
  EXPECT_EQ(Validate("{ ... on Int { count } }"),
            Errors({"Cannot query field \"count\" on type \"Int\".@1:16",
                   "Fragment cannot condition on non composite type \"Int\".@1:7"}));
  EXPECT_EQ(Validate("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"),
            Errors({"Cannot spread fragment \"A\" within itself via \"B\".@1:64"}));
}

}  // namespace
}  // namespace policyd::graphql
