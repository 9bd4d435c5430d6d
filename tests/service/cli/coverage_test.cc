#include "service/cli/coverage.h"

#include "engine/engine.h"
#include "engine/syntax/parser.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace policyd {
namespace {

constexpr char kPolicy[] = R"(package p

allow if {
	input.a == 1
	input.b == 2
}

deny if {
	input.c == 3
}

some_rule if {
	some x in [1]
	x == 1
}
)";

nlohmann::json Report(const Value& input) {
  auto engine = Engine::Compile({{"p.rego", kPolicy}});
  EXPECT_TRUE(engine.ok()) << engine.status();
  auto query = (*engine)->Prepare("data.p.allow");
  EXPECT_TRUE(query.ok());
  CoverageTracer tracer;
  EvalOptions options;
  options.input = &input;
  options.tracer = &tracer;
  query->Eval(options);
  std::vector<ast::Module> modules = {*ast::ParseModule("p.rego", kPolicy)};
  return nlohmann::json::parse(CoverageReportJson(tracer, modules));
}

TEST(CoverageTest, CoveredAndNotCoveredRanges) {
  nlohmann::json report = Report(*ast::ParseValue(R"({"a": 1, "b": 2})"));
  nlohmann::json file = report["files"]["p.rego"];
  EXPECT_EQ(file["covered"], nlohmann::json::parse(
                                 R"([{"start": {"row": 3}, "end": {"row": 5}}])"));
  // `some x in` is a declaration: not counted as not covered.
  EXPECT_EQ(file["not_covered"], nlohmann::json::parse(R"([
      {"start": {"row": 8}, "end": {"row": 9}},
      {"start": {"row": 12}, "end": {"row": 12}},
      {"start": {"row": 14}, "end": {"row": 14}}])"));
  EXPECT_EQ(file["covered_lines"], 3);
  EXPECT_EQ(file["not_covered_lines"], 4);
  EXPECT_EQ(report["coverage"], 42.85);  // 3/7, rounded to 0.05 as OPA does
}

TEST(CoverageTest, RuleThatFailsLeavesItsHeadUncovered) {
  nlohmann::json report = Report(*ast::ParseValue(R"({"a": 2})"));
  nlohmann::json file = report["files"]["p.rego"];
  EXPECT_EQ(file["covered"], nlohmann::json::parse(
                                 R"([{"start": {"row": 4}, "end": {"row": 4}}])"));
  EXPECT_EQ(file["not_covered"][0],
            nlohmann::json::parse(R"({"start": {"row": 3}, "end": {"row": 3}})"));
}

TEST(CoverageTest, NoTracerNoHits) {
  CoverageTracer tracer;
  std::vector<ast::Module> modules = {*ast::ParseModule("p.rego", kPolicy)};
  nlohmann::json report = nlohmann::json::parse(CoverageReportJson(tracer, modules));
  EXPECT_EQ(report["covered_lines"], 0);
  EXPECT_EQ(report["coverage"], 0);
  EXPECT_FALSE(report["files"]["p.rego"].contains("covered"));
}

}  // namespace
}  // namespace policyd
