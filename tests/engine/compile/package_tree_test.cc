#include "engine/compile/package_tree.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/compile/pass_test_util.h"

namespace policyd::compile {
namespace {

using ::testing::ElementsAre;
using testing::Parsed;

TEST(PackageTreeTest, ModuleSeesInputDataImportsAndItsPackagesRules) {
  Parsed p({"package a.b\nimport data.lib.util as u\nimport input.user\n"
            "p := 1\nq contains 2",
            "package a.b\nr := 3"});
  const ModuleEnv& env = p.envs[0];
  EXPECT_EQ(env.file, "m0.rego");
  EXPECT_THAT(env.package, ElementsAre("a", "b"));
  std::optional<GlobalRef> u = env.Resolve("u");
  ASSERT_TRUE(u.has_value());
  EXPECT_FALSE(u->input);
  EXPECT_THAT(u->path, ElementsAre("lib", "util"));
  std::optional<GlobalRef> user = env.Resolve("user");
  ASSERT_TRUE(user.has_value());
  EXPECT_TRUE(user->input);
  EXPECT_THAT(user->path, ElementsAre("user"));
  // A rule of the same package defined in another module is visible.
  std::optional<GlobalRef> r = env.Resolve("r");
  ASSERT_TRUE(r.has_value());
  EXPECT_THAT(r->path, ElementsAre("a", "b", "r"));
  EXPECT_TRUE(env.Resolve("input")->input);
  EXPECT_TRUE(env.Resolve("data")->path.empty());
  EXPECT_FALSE(env.Resolve("x").has_value());  // a local
}

TEST(PackageTreeTest, ImportWithoutAliasIsNamedByItsLastSegment) {
  Parsed p({"package t\nimport data.x.y\np := y"});
  EXPECT_THAT(p.envs[0].Resolve("y")->path, ElementsAre("x", "y"));
  EXPECT_FALSE(p.envs[0].Resolve("x").has_value());
}

TEST(PackageTreeTest, RulesOfOtherPackagesAreNotVisible) {
  Parsed p({"package a\np := 1", "package b\nq := 2"});
  EXPECT_TRUE(p.envs[0].Resolve("p").has_value());
  EXPECT_FALSE(p.envs[0].Resolve("q").has_value());
  EXPECT_TRUE(p.envs[1].Resolve("q").has_value());
}

TEST(PackageTreeTest, ConstPrefixStopsAtTheFirstNonStringKey) {
  Parsed p({"package t\np := data.a.b[x].c if x := 1"});
  const ast::Term& ref = *p.modules[0].rules[0].head.value;
  size_t rest = 0;
  EXPECT_THAT(ConstPrefix(ref, &rest), ElementsAre("data", "a", "b"));
  EXPECT_EQ(rest, 3u);
}

}  // namespace
}  // namespace policyd::compile
