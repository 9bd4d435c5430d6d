#include "tests/conformance/expected_failures.h"

#include "gtest/gtest.h"

namespace policyd::conformance {
namespace {

TEST(ExpectedFailuresTest, ParsesIdsAndReasons) {
  ExpectedFailures failures = ParseExpectedFailures(
      "# comment\n\ntime/test-time-0947.json#0 needs test.sleep\n"
      "a/b.json#3\n  c/d.json#1\t tab reason  \n");
  ASSERT_EQ(failures.size(), 3);
  EXPECT_EQ(failures["time/test-time-0947.json#0"], "needs test.sleep");
  EXPECT_EQ(failures["a/b.json#3"], "");
  EXPECT_EQ(failures["c/d.json#1"], "tab reason");
}

TEST(ExpectedFailuresTest, FormatRoundTrips) {
  ExpectedFailures failures = {{"b/x.json#0", "why"}, {"a/y.json#2", ""}};
  EXPECT_EQ(ParseExpectedFailures(FormatExpectedFailures(failures)), failures);
}

TEST(ExpectedFailuresTest, MissingFileIsEmpty) {
  absl::StatusOr<ExpectedFailures> failures =
      ReadExpectedFailures("/nonexistent/policyd/expected.txt");
  ASSERT_TRUE(failures.ok());
  EXPECT_TRUE(failures->empty());
}

TEST(ExpectedFailuresTest, WriteThenRead) {
  std::string path = ::testing::TempDir() + "/expected_failures_test.txt";
  ExpectedFailures failures = {{"a/b.json#0", "reason one"}};
  ASSERT_TRUE(WriteExpectedFailures(path, failures).ok());
  absl::StatusOr<ExpectedFailures> read = ReadExpectedFailures(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, failures);
}

}  // namespace
}  // namespace policyd::conformance
