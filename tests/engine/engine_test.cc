#include "engine/engine.h"

#include "engine/errors.h"
#include "engine/syntax/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/eval_test_util.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;
using testing::CompileText;

TEST(EngineTest, PreparedQueryEvaluatesManyTimes) {
  auto engine = CompileText({"package rbac\nallow if input.user == \"admin\""});
  ASSERT_TRUE(engine.ok());
  auto q = (*engine)->Prepare("data.rbac.allow");
  ASSERT_TRUE(q.ok());
  for (int i = 0; i < 3; ++i) {
    Value input = *ParseJson(i % 2 ? R"({"user": "admin"})" : R"({"user": "x"})");
    EvalOptions options;
    options.input = &input;
    auto v = q->EvalValue(options);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->has_value(), i % 2 == 1);
  }
}

TEST(EngineTest, ResultRowsHoldExpressionsAndBindings) {
  auto engine = CompileText({"package t\nxs := [1, 2]"});
  ASSERT_TRUE(engine.ok());
  auto q = (*engine)->Prepare("x := data.t.xs[_]; x > 1");
  ASSERT_TRUE(q.ok());
  ResultSet rs = q->Eval({});
  ASSERT_TRUE(rs.error.ok());
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.rows[0].bindings[0].second.ToJson(), "2");
}

TEST(EngineTest, QueryTermsAndCallsAreCapturedWithTheirValue) {
  auto engine = CompileText({"package t\nno := false\nf(x) := x * 2"});
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.no"), "false");
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.f(3)"), "6");
  EXPECT_EQ(testing::EvalJson(*engine, "1 > 2"), "false");
  // With several expressions a false one fails the query, as in OPA.
  auto q = (*engine)->Prepare("x := 1; data.t.no");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->Eval({}).rows.empty());
}

TEST(EngineTest, ExpressionTextsAreTheQuerySource) {
  auto engine = CompileText({"package t"});
  auto q = (*engine)->Prepare("x := [1, 2];  count(x) > 1\nnot false");
  ASSERT_TRUE(q.ok());
  EXPECT_THAT(q->expression_texts(),
              ::testing::ElementsAre("x := [1, 2]", "count(x) > 1", "not false"));
}

TEST(EngineTest, EvalValueRejectsQueriesWithSeveralResults) {
  auto engine = CompileText({"package t\nxs := [1, 2]"});
  auto q = (*engine)->Prepare("data.t.xs[_]");
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->EvalValue({}).ok());
}

TEST(EngineTest, QuerySyntaxErrorsAreReported) {
  auto engine = CompileText({"package t"});
  auto q = (*engine)->Prepare("data.t.[");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(ErrorCode(q.status()), kRegoParseError);
}

TEST(EngineTest, EngineOutlivesItsCreatorThroughPreparedQueries) {
  absl::StatusOr<PreparedQuery> q = [] {
    auto engine = CompileText({"package t\np := 1"});
    return (*engine)->Prepare("data.t.p");
  }();
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q->EvalValue({}))->ToJson(), "1");
}

TEST(EngineTest, SeveralModuleErrorsAreAllReported) {
  auto engine = CompileText({"package a\np if {", "package b\nq if {"});
  ASSERT_FALSE(engine.ok());
  EXPECT_THAT(engine.status().message(), HasSubstr("test-0.rego"));
  EXPECT_THAT(engine.status().message(), HasSubstr("test-1.rego"));
}

TEST(EngineTest, CompileParsedReusesModulesAcrossEngines) {
  auto lib = ast::ParseModule("lib.rego", "package lib\nlimit := 3",
                              ast::RegoVersion::kV1);
  auto app = ast::ParseModule(
      "app.rego", "package app\nallow if count(input) < data.lib.limit",
      ast::RegoVersion::kV1);
  ASSERT_TRUE(lib.ok() && app.ok());
  std::vector<ast::Module> parsed = {*lib, *app};
  // The same parsed modules compile into two independent engines, over
  // different data, as a bundle store does across reloads.
  auto first = Engine::CompileParsed(parsed, *ParseJson(R"({"d": 1})"));
  auto second = Engine::CompileParsed(parsed);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ((*first)->data(), *ParseJson(R"({"d": 1})"));
  EXPECT_EQ((*second)->data(), *ParseJson("{}"));
  for (const auto& engine : {*first, *second}) {
    auto q = engine->Prepare("data.app.allow");
    ASSERT_TRUE(q.ok());
    Value input = *ParseJson("[1, 2]");
    EvalOptions options;
    options.input = &input;
    auto v = q->EvalValue(options);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->has_value());
    EXPECT_EQ(**v, Value::Bool(true));
  }
  // Whole-program checks still run: a call of a function no module defines.
  auto conflict = ast::ParseModule("c.rego", "package c\nx := data.lib.f(1)",
                                   ast::RegoVersion::kV1);
  ASSERT_TRUE(conflict.ok());
  parsed.push_back(*conflict);
  auto bad = Engine::CompileParsed(parsed);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("c.rego:2: rego_type_error: undefined function"));
}

}  // namespace
}  // namespace policyd
