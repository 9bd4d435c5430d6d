#include "engine/builtins/graphql/overlap.h"

#include <string>
#include <vector>

#include "engine/builtins/graphql/parser.h"
#include "engine/builtins/graphql/schema.h"
#include "gtest/gtest.h"

namespace policyd::graphql {
namespace {

constexpr std::string_view kUse =
    ". Use different aliases on the fields to fetch both if this was intentional.";

class GraphqlOverlapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SchemaDocument doc;
    ASSERT_FALSE(ParseSchema(R"(
      type Query { count(min: Int): Int filter: Int hero: Character }
      interface Character { name: String friends: [Character] }
      type Human implements Character { name: String friends: [Character] height: Float }
      type Droid implements Character { name: String friends: [Character] nickname: String }
    )",
                             &doc));
    ASSERT_FALSE(LoadSchema(doc, &schema_));
  }

  // The conflicts in the first operation's selection set, or in the
  // selection set of its first field when `nested`.
  std::vector<std::string> Check(std::string_view query, bool nested = false) {
    doc_ = QueryDocument();
    EXPECT_FALSE(ParseQuery(query, &doc_));
    OverlapChecker checker(schema_, doc_);
    const std::vector<Selection>& top = doc_.operations[0].selection_set;
    std::vector<Error> errors =
        nested ? checker.Check(schema_.Type("Character"), top[0].selection_set)
               : checker.Check(schema_.Root("query"), top);
    std::vector<std::string> out;
    for (const Error& e : errors) {
      out.push_back(e.message + "@" + std::to_string(e.pos.column));
    }
    return out;
  }

  Schema schema_;
  QueryDocument doc_;
};

using Conflicts = std::vector<std::string>;

TEST_F(GraphqlOverlapTest, AgreeingFields) {
  EXPECT_EQ(Check("{ count a: count count b: count(min: 1) }"), Conflicts{});
  EXPECT_EQ(Check("{ hero { name } hero { friends { name } } }"), Conflicts{});
  // Different object types never meet in one response.
  EXPECT_EQ(Check("{ hero { ... on Human { x: name } ... on Droid { x: nickname } } }",
                  /*nested=*/true),
            Conflicts{});
}

TEST_F(GraphqlOverlapTest, Conflicts) {
  EXPECT_EQ(Check("{ a: count, a: filter }"),
            Conflicts{"Fields \"a\" conflict because count and filter are different fields" +
                      std::string(kUse) + "@13"});
  EXPECT_EQ(Check("{ count(min: 1) count(min: 2) }"),
            Conflicts{"Fields \"count\" conflict because they have differing arguments" +
                      std::string(kUse) + "@17"});
  EXPECT_EQ(Check("{ hero { ... on Human { x: height } ... on Droid { x: name } } }",
                  /*nested=*/true),
            Conflicts{"Fields \"x\" conflict because they return conflicting types Float and "
                      "String" +
                      std::string(kUse) + "@52"});
  EXPECT_EQ(Check("{ hero { name } hero { name: friends { name } } }"),
            Conflicts{"Fields \"hero\" conflict because subfields \"name\" conflict because "
                      "name and friends are different fields" +
                      std::string(kUse) + "@17"});
}

TEST_F(GraphqlOverlapTest, FragmentsAreCompared) {
  EXPECT_EQ(Check("{ a: count ...F } fragment F on Query { a: filter }"),
            Conflicts{"Fields \"a\" conflict because count and filter are different fields" +
                      std::string(kUse) + "@41"});
  EXPECT_EQ(Check("{ ...F ...G } fragment F on Query { a: count } fragment G on Query { a: filter }"),
            Conflicts{"Fields \"a\" conflict because count and filter are different fields" +
                      std::string(kUse) + "@70"});
  // Self-spreading fragments terminate.
  EXPECT_EQ(Check("{ ...F } fragment F on Query { count ...F }"), Conflicts{});
}

}  // namespace
}  // namespace policyd::graphql
