#include "service/cli/eval_output.h"

#include "engine/errors.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(EvalOutputTest, UndefinedIsAnEmptyObject) {
  EXPECT_EQ(FormatResultJson(ResultSet{}, {{"data.x", 1, 1}}), "{}\n");
  EXPECT_EQ(FormatResultPretty(ResultSet{}, {{"data.x", 1, 1}}), "undefined\n");
}

TEST(EvalOutputTest, ResultHasOpaShape) {
  ResultSet results;
  results.rows.push_back({{Value::Bool(true)}, {}});
  EXPECT_EQ(FormatResultJson(results, {{"data.rbac.allow", 1, 1}}),
            R"({
  "result": [
    {
      "expressions": [
        {
          "value": true,
          "text": "data.rbac.allow",
          "location": {
            "row": 1,
            "col": 1
          }
        }
      ]
    }
  ]
}
)");
}

TEST(EvalOutputTest, BindingsFollowExpressions) {
  ResultSet results;
  results.rows.push_back(
      {{Value::Bool(true)},
       {{"x", Value::Array({Value::Int(1), Value::Object({})})}}});
  EXPECT_EQ(FormatResultJson(results, {{"x := [1, {}]", 1, 1}}),
            R"({
  "result": [
    {
      "expressions": [
        {
          "value": true,
          "text": "x := [1, {}]",
          "location": {
            "row": 1,
            "col": 1
          }
        }
      ],
      "bindings": {
        "x": [
          1,
          {}
        ]
      }
    }
  ]
}
)");
}

TEST(EvalOutputTest, IndentedJsonSortsStringifiedKeysAndFlattensSets) {
  Value value = Value::Object({
      {Value::Int(10), Value::Set({Value::Int(2), Value::Int(1)})},
      {Value::Int(9), Value::Array({})},
      {Value::String("a"), Value::Null()},
  });
  std::string out;
  AppendIndentedJson(value, 0, &out);
  // Go orders the keys "10" < "9" < "a" by bytes.
  EXPECT_EQ(out, R"({
  "10": [
    1,
    2
  ],
  "9": [],
  "a": null
})");
}

TEST(EvalOutputTest, ErrorsAreSplitIntoCodeAndLocation) {
  absl::Status status = MakeError(kEvalBuiltinError, "policy.rego", 3, 5,
                                  "div: divide by zero");
  EXPECT_EQ(FormatErrorsJson(status), R"({
  "errors": [
    {
      "message": "div: divide by zero",
      "code": "eval_builtin_error",
      "location": {
        "file": "policy.rego",
        "row": 3,
        "col": 0
      }
    }
  ]
}
)");
  EXPECT_EQ(FormatErrorsPretty(status),
            "1 error occurred: policy.rego:3: eval_builtin_error: div: divide "
            "by zero\n");
}

TEST(EvalOutputTest, FreeTextErrorKeepsItsMessage) {
  absl::Status status = absl::NotFoundError("x.json: cannot open");
  EXPECT_EQ(FormatErrorsJson(status), R"({
  "errors": [
    {
      "message": "x.json: cannot open"
    }
  ]
}
)");
}

TEST(EvalOutputTest, PrettyPrintsABindingsTable) {
  ResultSet results;
  results.rows.push_back({{Value::Bool(true)}, {{"x", Value::Int(1)}}});
  results.rows.push_back({{Value::Bool(true)}, {{"x", Value::String("ab")}}});
  EXPECT_EQ(FormatResultPretty(results, {{"x = data.a[_]", 1, 1}}),
            "+------+\n"
            "| x    |\n"
            "+------+\n"
            "| 1    |\n"
            "| \"ab\" |\n"
            "+------+\n");
}

}  // namespace
}  // namespace policyd
