#include "service/cli/test_report.h"

#include "gtest/gtest.h"

namespace policyd {
namespace {

using Outcome = TestResult::Outcome;

TestResult Result(std::string name, Outcome outcome, int64_t ns) {
  TestResult r;
  r.file = "a_test.rego";
  r.location = {3, 1};
  r.package = "data.a";
  r.name = std::move(name);
  r.outcome = outcome;
  r.duration = absl::Nanoseconds(ns);
  return r;
}

TEST(TestReportTest, GoDurations) {
  EXPECT_EQ(FormatGoDuration(absl::ZeroDuration()), "0s");
  EXPECT_EQ(FormatGoDuration(absl::Nanoseconds(426)), "426ns");
  EXPECT_EQ(FormatGoDuration(absl::Nanoseconds(1417)), "1.417µs");
  EXPECT_EQ(FormatGoDuration(absl::Nanoseconds(2000)), "2µs");
  EXPECT_EQ(FormatGoDuration(absl::Microseconds(2500)), "2.5ms");
  EXPECT_EQ(FormatGoDuration(absl::Seconds(90.2)), "1m30.2s");
  EXPECT_EQ(FormatGoDuration(absl::Hours(1)), "1h0m0s");
}

TEST(TestReportTest, QuietShowsOnlyWhatDidNotPass) {
  TestResult fail = Result("test_b", Outcome::kFail, 2000);
  fail.output = "hello\n";
  TestResult error = Result("test_c", Outcome::kError, 5);
  error.error = absl::AbortedError("a_test.rego:9: eval_conflict_error: boom");
  std::string out = FormatTestsPretty(
      {Result("test_a", Outcome::kPass, 1417), fail, error,
       Result("todo_test_d", Outcome::kSkip, 0)},
      false);
  EXPECT_EQ(out,
            "a_test.rego:\n"
            "data.a.test_b: FAIL (2µs)\n"
            "\n"
            "  hello\n"
            "\n"
            "data.a.test_c: ERROR (5ns)\n"
            "  a_test.rego:9: eval_conflict_error: boom\n"
            "data.a.todo_test_d: SKIPPED\n" +
                std::string(80, '-') +
                "\nPASS: 1/4\nFAIL: 1/4\nSKIPPED: 1/4\nERROR: 1/4\n");
}

TEST(TestReportTest, VerboseShowsEveryTest) {
  std::string out = FormatTestsPretty({Result("test_a", Outcome::kPass, 1417)}, true);
  EXPECT_EQ(out, "a_test.rego:\ndata.a.test_a: PASS (1.417µs)\n" +
                     std::string(80, '-') + "\nPASS: 1/1\n");
}

TEST(TestReportTest, AllPassingQuietIsTheSummaryAlone) {
  EXPECT_EQ(FormatTestsPretty({Result("test_a", Outcome::kPass, 1)}, false),
            "PASS: 1/1\n");
}

TEST(TestReportTest, JsonHasOpasFields) {
  TestResult fail = Result("test_b", Outcome::kFail, 2000);
  fail.output = "hi\n";
  std::string out = FormatTestsJson({fail});
  EXPECT_EQ(out, R"([
  {
    "location": {
      "file": "a_test.rego",
      "row": 3,
      "col": 1
    },
    "package": "data.a",
    "name": "test_b",
    "fail": true,
    "duration": 2000,
    "output": "aGkK"
  }
]
)");
  EXPECT_EQ(FormatTestsJson({}), "[]\n");
}

}  // namespace
}  // namespace policyd
