#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::I;
using ::policyd::testing::J;
using ::policyd::testing::S;
using ::policyd::testing::kBuiltin;

// The error strings of json.match_schema(doc, schema), or "valid". The
// document goes in as JSON text, which also allows scalar documents.
std::string Errors(std::string_view doc, std::string_view schema) {
  auto r = testing::Call("json.match_schema", {S(doc), J(schema)});
  EXPECT_TRUE(r.ok() && r->has_value()) << (r.ok() ? "" : r.status().ToString());
  if (!r.ok() || !r->has_value()) return "";
  const Value& out = **r;
  if (out.At(0)->boolean()) return "valid";
  std::string text;
  for (const Value& e : out.At(1)->elements()) {
    if (!text.empty()) text.append(" | ");
    text.append(e.Find("error")->string());
  }
  return text;
}

TEST(JsonSchemaTest, MatchSchemaReportsGojsonschemaErrors) {
  constexpr std::string_view kSchema =
      R"({"properties": {"id": {"type": "integer"}}, "required": ["id"]})";
  EXPECT_EQ(Eval("json.match_schema", {J(R"({"id": 5})"), J(kSchema)}), "[true,[]]");
  EXPECT_EQ(Eval("json.match_schema", {S(R"({"id": 5})"), S(std::string(kSchema))}),
            "[true,[]]");
  EXPECT_EQ(Eval("json.match_schema", {J(R"({"id": "foo"})"), J(kSchema)}),
            R"([false,[{"desc":"Invalid type. Expected: integer, given: string",)"
            R"("error":"id: Invalid type. Expected: integer, given: string",)"
            R"("field":"id","type":"invalid_type"}]])");
  EXPECT_EQ(Errors("{}", kSchema), "(root): id is required");
}

TEST(JsonSchemaTest, Keywords) {
  EXPECT_EQ(Errors(R"({"a": [1, 2, 2, "x"]})",
                   R"({"properties": {"a": {"type": "array", "items": {"type": "number"},
                       "uniqueItems": true, "maxItems": 3}}})"),
            "a.3: Invalid type. Expected: number, given: string | "
            "a: Array must have at most 3 items | a: array items[1,2] must be unique");
  EXPECT_EQ(Errors(R"("abc")", R"({"minLength": 4, "pattern": "^b"})"),
            "(root): String length must be greater than or equal to 4 | "
            "(root): Does not match pattern '^b'");
  EXPECT_EQ(Errors("7", R"({"minimum": 8, "maximum": 6, "multipleOf": 2})"),
            "(root): Must be a multiple of 2 | (root): Must be less than or equal to 6 | "
            "(root): Must be greater than or equal to 8");
  EXPECT_EQ(Errors("5", R"({"exclusiveMaximum": 5})"), "(root): Must be less than 5");
  EXPECT_EQ(Errors("5", R"({"maximum": 5, "exclusiveMaximum": true})"),
            "(root): Must be less than 5");
  EXPECT_EQ(Errors(R"("c")", R"({"enum": ["a", "b"]})"),
            R"((root): (root) must be one of the following: "a", "b")");
  EXPECT_EQ(Errors(R"({"x": 1})", R"({"properties": {"x": {"const": 2}}})"),
            "x: x does not match: 2");
  EXPECT_EQ(Errors(R"({"a": 1, "b": 2})",
                   R"({"properties": {"a": {}}, "additionalProperties": false})"),
            "(root): Additional property b is not allowed");
  EXPECT_EQ(Errors("null", R"({"type": ["string", "number"]})"),
            "(root): Invalid type. Expected: [string,number], given: null");
  EXPECT_EQ(Errors("1.5", R"({"type": "integer"})"),
            "(root): Invalid type. Expected: integer, given: number");
  EXPECT_EQ(Errors("2.0", R"({"type": "integer"})"), "valid");
  EXPECT_EQ(Errors(R"({"a": 1})", R"({"properties": {"a": false}})"),
            "a: False always fails validation");
}

TEST(JsonSchemaTest, CombinatorsAndRefs) {
  // The closest alternative (the one that got furthest) explains the miss.
  EXPECT_EQ(Errors(R"("x")", R"({"anyOf": [{"type": "number"}, {"minLength": 2}]})"),
            "(root): Must validate at least one schema (anyOf) | "
            "(root): String length must be greater than or equal to 2");
  EXPECT_EQ(Errors("1", R"({"oneOf": [{"type": "number"}, {"minimum": 0}]})"),
            "(root): Must validate one and only one schema (oneOf)");
  EXPECT_EQ(Errors("1", R"({"not": {"type": "number"}})"),
            "(root): Must not validate the schema (not)");
  EXPECT_EQ(Errors(R"({"a": 1})", R"({"dependencies": {"a": ["b"]}})"),
            "(root): Has a dependency on b");
  EXPECT_EQ(Errors("5", R"({"if": {"minimum": 3}, "then": {"maximum": 4}})"),
            "(root): Must validate \"then\" as \"if\" was valid | "
            "(root): Must be less than or equal to 4");
  EXPECT_EQ(Errors(R"({"p": "x"})",
                   R"({"definitions": {"n": {"type": "number"}},
                       "properties": {"p": {"$ref": "#/definitions/n"}}})"),
            "p: Invalid type. Expected: number, given: string");
}

TEST(JsonSchemaTest, VerifySchema) {
  EXPECT_EQ(Eval("json.verify_schema", {S(R"({"type": "boolean"})")}), "[true,null]");
  EXPECT_EQ(Eval("json.verify_schema", {J(R"({"type": "boolean"})")}), "[true,null]");
  EXPECT_EQ(Eval("json.verify_schema", {J(R"({"type": "unknown_type"})")}),
            R"([false,"jsonschema: has a primitive type that is NOT VALID -- given: )"
            R"(/unknown_type/ Expected valid values are:[array boolean integer )"
            R"(number null object string]"])");
  EXPECT_EQ(Eval("json.verify_schema", {J(R"({"minLength": -1})")}),
            R"([false,"jsonschema: minLength must be greater than or equal to 0"])");
  EXPECT_EQ(Eval("json.verify_schema", {J(R"({"pattern": "("})")}),
            R"([false,"jsonschema: Invalid regex pattern '('"])");
  EXPECT_EQ(Eval("json.verify_schema", {S("{")}),
            R"([false,"jsonschema: invalid JSON string"])");
  EXPECT_EQ(Eval("json.verify_schema", {I(1)}),
            R"([false,"jsonschema: wrong type, expected string or object"])");
  EXPECT_EQ(Error("json.match_schema", {J("{}"), J(R"({"type": "nope"})")}, kBuiltin),
            "json.match_schema: has a primitive type that is NOT VALID -- given: "
            "/nope/ Expected valid values are:[array boolean integer number null "
            "object string]");
  EXPECT_EQ(Error("json.match_schema", {I(1), J("{}")}, kBuiltin),
            "json.match_schema: wrong type, expected string or object");
}

}  // namespace
}  // namespace policyd
