#include "bundles/module_cache.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd::bundles {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const Bundle> Make(const std::string& name,
                                   std::vector<BundleFile> files) {
  absl::StatusOr<Bundle> b = BundleFromFiles(name, files, SignatureOptions());
  EXPECT_TRUE(b.ok()) << b.status();
  return std::make_shared<const Bundle>(*std::move(b));
}

std::vector<std::string> Files(const std::vector<ast::Module>& modules) {
  std::vector<std::string> out;
  for (const ast::Module& m : modules) out.push_back(m.filename);
  return out;
}

TEST(ModuleCacheTest, ParsesOnlyNewOrChangedModules) {
  ModuleCache cache;
  auto a = Make("a", {{"p.rego", "package a\nx := 1\n"},
                      {"q.rego", "package a\ny := 2\n"}});
  auto b = Make("b", {{"p.rego", "package b\nz := 3\n"}});
  auto first = cache.Parse({a, b});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(Files(*first),
              ::testing::ElementsAre("a/p.rego", "a/q.rego", "b/p.rego"));
  EXPECT_EQ(cache.parsed(), 3u);
  EXPECT_EQ(cache.reused(), 0u);

  // A new version of a where q.rego changed and r.rego is new; b is the
  // same object.
  auto a2 = Make("a", {{"p.rego", "package a\nx := 1\n"},
                       {"q.rego", "package a\ny := 20\n"},
                       {"r.rego", "package a\nw := 4\n"}});
  auto second = cache.Parse({a2, b});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(cache.parsed(), 2u);
  EXPECT_EQ(cache.reused(), 2u);
  ASSERT_EQ(second->size(), 4u);
  EXPECT_EQ((*second)[1].filename, "a/q.rego");
  ASSERT_EQ((*second)[1].rules.size(), 1u);
  EXPECT_THAT((*second)[1].rules[0].text, HasSubstr("20"));
}

TEST(ModuleCacheTest, AChangedSyntaxVersionIsParsedAgain) {
  ModuleCache cache;
  const std::string text = "package a\nx := 1\n";
  ASSERT_TRUE(cache.Parse({Make("a", {{"p.rego", text}})}).ok());
  auto v0 = Make("a", {{".manifest", R"({"rego_version": 0})"},
                       {"p.rego", text}});
  ASSERT_TRUE(cache.Parse({v0}).ok());
  EXPECT_EQ(cache.parsed(), 1u);
  EXPECT_EQ(cache.reused(), 0u);
}

TEST(ModuleCacheTest, ParseErrorsAreAllReportedAndTheGoodParseIsKept) {
  ModuleCache cache;
  auto good = Make("a", {{"p.rego", "package a\nx := 1\n"},
                         {"q.rego", "package a\ny := 2\n"}});
  ASSERT_TRUE(cache.Parse({good}).ok());
  auto bad = Make("a", {{"p.rego", "package a\nx := 1\n"},
                        {"q.rego", "package a\ny := \n"},
                        {"r.rego", "package a\nz := ]\n"}});
  auto result = cache.Parse({bad});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("a/q.rego:"));
  EXPECT_THAT(result.status().message(), HasSubstr("a/r.rego:"));
  // The fix only touches q.rego and r.rego: p.rego's parse is still kept.
  auto fixed = Make("a", {{"p.rego", "package a\nx := 1\n"},
                          {"q.rego", "package a\ny := 3\n"}});
  ASSERT_TRUE(cache.Parse({fixed}).ok());
  EXPECT_EQ(cache.parsed(), 1u);
  EXPECT_EQ(cache.reused(), 1u);
}

TEST(ModuleCacheTest, RemovedBundlesAreForgotten) {
  ModuleCache cache;
  auto a = Make("a", {{"p.rego", "package a\nx := 1\n"}});
  ASSERT_TRUE(cache.Parse({a}).ok());
  ASSERT_TRUE(cache.Parse({}).ok());
  // A bundle of the same name and text arriving later is parsed afresh.
  ASSERT_TRUE(cache.Parse({Make("a", {{"p.rego", "package a\nx := 1\n"}})}).ok());
  EXPECT_EQ(cache.parsed(), 1u);
  EXPECT_EQ(cache.reused(), 0u);
}

}  // namespace
}  // namespace policyd::bundles
