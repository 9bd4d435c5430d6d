#include "engine/compile/rule_index.h"

#include "engine/compile/compiler.h"
#include "engine/syntax/parser.h"
#include "gtest/gtest.h"
#include "tests/engine/eval_test_util.h"

namespace policyd {
namespace {

const plan::RuleSet& RulesAt(const compile::CompiledModules& c, const char* pkg,
                             const char* name) {
  return *c.root->children.at(pkg)->children.at(name)->rules;
}

constexpr char kPolicy[] = R"(package t
allow if {
  input.method == "GET"
  input.path == "/a"
}
allow if {
  input.method == "POST"
  input.user == "admin"
}
allow if input.method = "PUT"
allow if input.user == "root"
)";

TEST(RuleIndexTest, FilesRulesUnderTheTestedConstant) {
  auto module = ast::ParseModule("t.rego", kPolicy);
  ASSERT_TRUE(module.ok()) << module.status();
  auto compiled = compile::CompileModules({*module});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  const plan::RuleIndex* index = RulesAt(*compiled, "t", "allow").index.get();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->by_value.size(), 3u);
  EXPECT_EQ(index->by_value.at(Value::String("GET")), std::vector<int>{0});
  EXPECT_EQ(index->by_value.at(Value::String("PUT")), std::vector<int>{2});
  EXPECT_EQ(index->unconditional, std::vector<int>{3});
}

TEST(RuleIndexTest, IndexedRuleSetsGiveTheSameAnswers) {
  auto engine = testing::CompileText({kPolicy});
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.allow", R"({"method": "GET", "path": "/a"})"), "true");
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.allow", R"({"method": "GET", "path": "/b"})"),
            "undefined");
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.allow", R"({"method": "PUT"})"), "true");
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.allow", R"({"user": "root"})"), "true");
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.allow", R"({"method": "DELETE"})"), "undefined");
  EXPECT_EQ(testing::EvalJson(*engine, "data.t.allow", "{}"), "undefined");
}

TEST(RuleIndexTest, NoIndexWithoutASharedTest) {
  auto module = ast::ParseModule("t.rego", "package t\np if input.a == 1\np if input.b == 2\n");
  ASSERT_TRUE(module.ok());
  auto compiled = compile::CompileModules({*module});
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(RulesAt(*compiled, "t", "p").index, nullptr);
}

}  // namespace
}  // namespace policyd
