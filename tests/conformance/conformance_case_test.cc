#include "tests/conformance/conformance_case.h"

#include "gtest/gtest.h"

namespace policyd::conformance {
namespace {

TEST(ConformanceCaseTest, ParsesEveryField) {
  absl::StatusOr<std::vector<ConformanceCase>> cases = ParseCaseFile(
      R"({"cases": [
        {"note": "t/one", "query": "data.p = x", "modules": ["package p"],
         "data": {"a": 1}, "input": {"b": 2}, "want_result": [{"x": 1}],
         "sort_bindings": true, "strict_error": true,
         "env": {"K": "V"}},
        {"note": "t/two", "query": "x = input", "input_term": "{1, 2}",
         "want_error": "oops", "want_error_code": "eval_type_error",
         "ignore_generated_vars": true}
      ]})",
      "t/file.json");
  ASSERT_TRUE(cases.ok()) << cases.status();
  ASSERT_EQ(cases->size(), 2);
  const ConformanceCase& one = (*cases)[0];
  EXPECT_EQ(one.id, "t/file.json#0");
  EXPECT_EQ(one.folder, "t");
  EXPECT_EQ(one.note, "t/one");
  EXPECT_EQ(one.query, "data.p = x");
  EXPECT_EQ(one.modules, std::vector<std::string>{"package p"});
  ASSERT_TRUE(one.data && one.input && one.want_result);
  EXPECT_EQ(one.data->ToJson(), R"({"a":1})");
  EXPECT_EQ(one.input->ToJson(), R"({"b":2})");
  EXPECT_TRUE(one.sort_bindings);
  EXPECT_TRUE(one.strict_error);
  EXPECT_FALSE(one.ignore_generated_vars);
  ASSERT_EQ(one.env.size(), 1);
  EXPECT_EQ(one.env[0].first, "K");

  const ConformanceCase& two = (*cases)[1];
  EXPECT_EQ(two.id, "t/file.json#1");
  EXPECT_EQ(two.input_term, "{1, 2}");
  EXPECT_FALSE(two.input);
  EXPECT_FALSE(two.want_result);
  EXPECT_EQ(two.want_error, "oops");
  EXPECT_EQ(two.want_error_code, "eval_type_error");
  EXPECT_TRUE(two.ignore_generated_vars);
}

TEST(ConformanceCaseTest, RejectsMalformedFiles) {
  EXPECT_FALSE(ParseCaseFile("{}", "t/f.json").ok());
  EXPECT_FALSE(ParseCaseFile(R"({"cases": [{"note": "no query"}]})", "t/f.json").ok());
  EXPECT_FALSE(ParseCaseFile(R"({"cases": [{"query": "x", "modules": "m"}]})",
                             "t/f.json").ok());
}

TEST(ConformanceCaseTest, MissingSuiteIsAnError) {
  EXPECT_FALSE(LoadSuite("/nonexistent/policyd/suite").ok());
}

}  // namespace
}  // namespace policyd::conformance
