// The graphql.* builtins end to end; the parts have their own tests.
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::I;
using ::policyd::testing::J;
using ::policyd::testing::S;

constexpr std::string_view kSchema = R"(
  type Employee { id: String! salary: Int! }
  schema { query: Query }
  type Query { employeeByID(id: String): Employee }
)";
constexpr std::string_view kQuery = R"(query { employeeByID(id: "alice") { salary } })";

TEST(GraphqlTest, ParseQueryAndSchema) {
  EXPECT_EQ(Eval("graphql.parse_query", {S("{a}")}),
            R"({"Operations":[{"Name":"","Operation":"query","SelectionSet":[{"Alias":"a","Name":"a"}]}]})");
  EXPECT_EQ(Eval("graphql.parse_schema", {S("scalar S")}),
            R"({"Definitions":[{"BuiltIn":false,"Description":"","Kind":"SCALAR","Name":"S"}]})");
  EXPECT_EQ(Error("graphql.parse_query", {S("{")}, absl::StatusCode::kUnknown),
            "graphql.parse_query: Expected Name, found <EOF> in GraphQL string at location 1:2");
  EXPECT_EQ(Error("graphql.parse_schema", {S("type Hello {}")}, absl::StatusCode::kUnknown),
            "graphql.parse_schema: expected at least one definition, found } in GraphQL "
            "string at location 1:13");
  EXPECT_EQ(Error("graphql.parse_query", {I(1)}, absl::StatusCode::kInvalidArgument),
            "graphql.parse_query: operand 1 must be string but got number");
}

TEST(GraphqlTest, Parse) {
  std::string parsed = Eval("graphql.parse", {S(kQuery), S(kSchema)});
  std::string query_ast = Eval("graphql.parse_query", {S(kQuery)});
  std::string schema_ast = Eval("graphql.parse_schema", {S(kSchema)});
  EXPECT_EQ(parsed, "[" + query_ast + "," + schema_ast + "]");
  // ASTs are accepted in place of text.
  EXPECT_EQ(Eval("graphql.parse", {J(query_ast), J(schema_ast)}), parsed);
}

TEST(GraphqlTest, ValidationErrorsReadAsOpa) {
  EXPECT_EQ(Error("graphql.parse",
                  {S("{ employeeByID(id: \"a\") { nope } }"), S(kSchema)},
                  absl::StatusCode::kUnknown),
            "graphql.parse: Cannot query field \"nope\" on type \"Employee\" in GraphQL "
            "string at location 1:27");
  // Further errors follow the first in gqlparser's form.
  EXPECT_EQ(Error("graphql.parse", {S("{ a b }"), S(kSchema)}, absl::StatusCode::kUnknown),
            "graphql.parse: Cannot query field \"a\" on type \"Query\".\ninput:1:5: Cannot "
            "query field \"b\" on type \"Query\" in GraphQL string at location 1:3");
  EXPECT_EQ(Error("graphql.parse", {S("{ a }"), S("type Query { a: Nope }")},
                  absl::StatusCode::kUnknown),
            "graphql.parse: Error in gqlparser SchemaDocument to Schema conversion: "
            "input:1:17: Undefined type Nope.");
}

TEST(GraphqlTest, ParseAndVerify) {
  std::string parsed = Eval("graphql.parse", {S(kQuery), S(kSchema)});
  EXPECT_EQ(Eval("graphql.parse_and_verify", {S(kQuery), S(kSchema)}),
            "[true," + parsed.substr(1));
  EXPECT_EQ(Eval("graphql.parse_and_verify", {S("{ nope }"), S(kSchema)}), "[false,{},{}]");
  EXPECT_EQ(Eval("graphql.parse_and_verify", {I(1), S(kSchema)}), "[false,{},{}]");
}

TEST(GraphqlTest, IsValid) {
  EXPECT_EQ(Eval("graphql.is_valid", {S(kQuery), S(kSchema)}), "true");
  EXPECT_EQ(Eval("graphql.is_valid", {S("{ nope }"), S(kSchema)}), "false");
  EXPECT_EQ(Eval("graphql.is_valid", {S("{"), S(kSchema)}), "false");
  EXPECT_EQ(Eval("graphql.is_valid", {S(kQuery), I(1)}), "false");
  EXPECT_EQ(Eval("graphql.schema_is_valid", {S(kSchema)}), "true");
  EXPECT_EQ(Eval("graphql.schema_is_valid", {S("union U = Nope")}), "false");
  EXPECT_EQ(Eval("graphql.schema_is_valid", {J(Eval("graphql.parse_schema", {S(kSchema)}))}),
            "true");
  EXPECT_EQ(Eval("graphql.schema_is_valid", {I(1)}), "false");
}

}  // namespace
}  // namespace policyd
