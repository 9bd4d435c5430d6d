#include "tests/conformance/judge.h"

#include "engine/errors.h"
#include "engine/value/json.h"
#include "gtest/gtest.h"

namespace policyd::conformance {
namespace {

Value Json(const char* text) { return *ParseJson(text); }

ConformanceCase WantResult(const char* rows) {
  ConformanceCase c;
  c.id = "t/t.json#0";
  c.want_result = Json(rows);
  return c;
}

ResultSet Rows(std::vector<std::vector<std::pair<std::string, Value>>> rows) {
  ResultSet results;
  for (auto& bindings : rows) results.rows.push_back({{}, std::move(bindings)});
  return results;
}

TEST(JudgeTest, RowsCompareAsSetsWithNumbersNumerically) {
  ConformanceCase c = WantResult(R"([{"x": 1.0}, {"x": 2}])");
  EXPECT_TRUE(Judge(c, Rows({{{"x", Value::Int(2)}}, {{"x", Value::Int(1)}}})).passed);
  EXPECT_FALSE(Judge(c, Rows({{{"x", Value::Int(1)}}})).passed);
}

TEST(JudgeTest, EmptyWantResultMeansUndefined) {
  ConformanceCase c = WantResult("[]");
  EXPECT_TRUE(Judge(c, ResultSet{}).passed);
  EXPECT_FALSE(Judge(c, Rows({{}})).passed);
}

TEST(JudgeTest, SetsBecomeSortedArraysAndKeysBecomeJsonText) {
  ConformanceCase c = WantResult(R"([{"x": [1, 2], "y": {"1": "a"}}])");
  Value set = Value::Set({Value::Int(2), Value::Int(1)});
  Value object = Value::Object({{Value::Int(1), Value::String("a")}});
  EXPECT_TRUE(Judge(c, Rows({{{"x", set}, {"y", object}}})).passed);
}

TEST(JudgeTest, SortBindingsSortsOnlyTheActualArrays) {
  ConformanceCase c = WantResult(R"([{"x": [1, 2, 3]}])");
  Value unsorted = Value::Array({Value::Int(3), Value::Int(1), Value::Int(2)});
  EXPECT_FALSE(Judge(c, Rows({{{"x", unsorted}}})).passed);
  c.sort_bindings = true;
  EXPECT_TRUE(Judge(c, Rows({{{"x", unsorted}}})).passed);
}

TEST(JudgeTest, GeneratedVarsAreDroppedOnRequest) {
  ConformanceCase c = WantResult(R"([{"x": 1}])");
  ResultSet results =
      Rows({{{"__localq0__", Value::Int(5)}, {"x", Value::Int(1)}}});
  EXPECT_FALSE(Judge(c, results).passed);
  c.ignore_generated_vars = true;
  EXPECT_TRUE(Judge(c, results).passed);
}

TEST(JudgeTest, WantErrorIsASubstring) {
  ConformanceCase c;
  c.want_error = "divide by zero";
  ResultSet results;
  results.error = MakeError(kEvalBuiltinError, "test-0.rego", 3, 0,
                            "div: divide by zero");
  EXPECT_TRUE(Judge(c, results).passed);
  c.want_error = "modulo";
  EXPECT_FALSE(Judge(c, results).passed);
  EXPECT_FALSE(Judge(c, ResultSet{}).passed);
}

TEST(JudgeTest, WantErrorCodeIsExact) {
  ConformanceCase c;
  c.want_error_code = std::string(kEvalTypeError);
  ResultSet results;
  results.error = MakeError(kEvalBuiltinError, "", 0, 0, "x");
  EXPECT_FALSE(Judge(c, results).passed);
  results.error = MakeError(kEvalTypeError, "", 0, 0, "x");
  EXPECT_TRUE(Judge(c, results).passed);
}

TEST(JudgeTest, ResultsAreComparedEvenWithAnExpectedError) {
  ConformanceCase c = WantResult(R"([{"x": 1}])");
  c.want_error_code = std::string(kEvalBuiltinError);
  ResultSet results = Rows({{{"x", Value::Int(1)}}});
  results.error = MakeError(kEvalBuiltinError, "", 0, 0, "x");
  EXPECT_TRUE(Judge(c, results).passed);
  results.rows.clear();
  EXPECT_FALSE(Judge(c, results).passed);
}

TEST(JudgeTest, UnexpectedErrorFails) {
  ConformanceCase c = WantResult("[]");
  ResultSet results;
  results.error = MakeError(kEvalConflictError, "", 0, 0, "conflict");
  Verdict verdict = Judge(c, results);
  EXPECT_FALSE(verdict.passed);
  EXPECT_NE(verdict.reason.find("conflict"), std::string::npos);
}

TEST(JudgeTest, CaseWithoutExpectationsIsInvalid) {
  EXPECT_FALSE(Judge(ConformanceCase{}, ResultSet{}).passed);
}

}  // namespace
}  // namespace policyd::conformance
