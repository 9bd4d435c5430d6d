#include "engine/compile/annotations.h"

#include <string>
#include <vector>

#include "engine/errors.h"
#include "engine/syntax/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd::compile {
namespace {

using ::testing::HasSubstr;

std::vector<ast::Module> Parse(const std::vector<std::string>& texts) {
  std::vector<ast::Module> modules;
  for (size_t i = 0; i < texts.size(); ++i) {
    absl::StatusOr<ast::Module> m =
        ast::ParseModule("m" + std::to_string(i) + ".rego", texts[i]);
    EXPECT_TRUE(m.ok()) << m.status();
    if (m.ok()) modules.push_back(*std::move(m));
  }
  return modules;
}

// Chain and rule annotations of rule `rule` of module `m`, as JSON.
struct Result {
  std::string chain, rule;
};

Result Of(const std::vector<ast::Module>& modules, size_t m, size_t rule) {
  absl::StatusOr<Annotations> a = Annotations::Build(modules);
  EXPECT_TRUE(a.ok()) << a.status();
  if (!a.ok()) return {};
  const ast::Rule& r = modules[m].rules[rule];
  return {a->Chain(m, r).ToJson(), a->RuleAnnotations(m, r).ToJson()};
}

std::string BuildError(const std::string& text) {
  std::vector<ast::Module> modules = Parse({text});
  absl::StatusOr<Annotations> a = Annotations::Build(modules);
  return a.ok() ? "ok" : std::string(a.status().message());
}

TEST(AnnotationsTest, RuleAndPackageWithAuthorsNormalised) {
  std::vector<ast::Module> modules = Parse({
      "# METADATA\n# description: suite\npackage a.b\n\n"
      "# METADATA\n# title: T\n# authors:\n# - Jane Doe <jane@x.org>\n"
      "# - name: Bob\n# - <only@x.org>\np := 1\n"});
  Result r = Of(modules, 0, 0);
  EXPECT_EQ(r.rule,
            R"({"authors":[{"email":"jane@x.org","name":"Jane Doe"},{"name":"Bob"},)"
            R"({"email":"only@x.org"}],"scope":"rule","title":"T"})");
  EXPECT_EQ(r.chain,
            R"([{"annotations":)" + r.rule + R"(,"path":["a","b","p"]},)"
            R"({"annotations":{"description":"suite","scope":"package"},"path":["a","b"]}])");
}

TEST(AnnotationsTest, UnannotatedRuleHasBarePathAndEmptyRule) {
  std::vector<ast::Module> modules = Parse({"package a\n\np[x] := 1 if x := 2\n"});
  Result r = Of(modules, 0, 0);
  EXPECT_EQ(r.chain, R"([{"path":["a","p"]}])");
  EXPECT_EQ(r.rule, "{}");
}

TEST(AnnotationsTest, DocumentScopeCoversOtherRulesOfThePath) {
  std::vector<ast::Module> modules = Parse({
      "package a\n\n# METADATA\n# scope: document\n# title: D\np := 1 if false\n\n"
      "# METADATA\n# title: R\np := 2\n\nq := 3\n"});
  Result r = Of(modules, 0, 1);
  EXPECT_EQ(r.chain,
            R"([{"annotations":{"scope":"rule","title":"R"},"path":["a","p"]},)"
            R"({"annotations":{"scope":"document","title":"D"},"path":["a","p"]}])");
  EXPECT_EQ(r.rule, R"({"scope":"rule","title":"R"})");
  // The rule that carries the document annotation has no rule annotation.
  EXPECT_EQ(Of(modules, 0, 0).rule, "{}");
  EXPECT_EQ(Of(modules, 0, 2).chain, R"([{"path":["a","q"]}])");
}

TEST(AnnotationsTest, EntrypointDefaultsToDocumentScope) {
  std::vector<ast::Module> modules =
      Parse({"package a\n\n# METADATA\n# entrypoint: true\nallow := true\n"});
  EXPECT_EQ(Of(modules, 0, 0).chain,
            R"([{"path":["a","allow"]},{"annotations":{"entrypoint":true,)"
            R"("scope":"document"},"path":["a","allow"]}])");
}

TEST(AnnotationsTest, SubpackagesOfEnclosingPackagesInnermostFirst) {
  std::vector<ast::Module> modules = Parse({
      "# METADATA\n# scope: subpackages\n# organizations: [Acme]\npackage a\n",
      "# METADATA\n# scope: subpackages\n# custom:\n#  k: [1, two]\npackage a.b\n",
      "package a.b.c\n\n"
      "# METADATA\n# related_resources:\n# - https://x.org\n"
      "# - ref: https://y.org\n#   description: why\n"
      "# schemas:\n# - input.x: schema.y\np := 1\n"});
  EXPECT_EQ(Of(modules, 2, 0).chain,
            R"([{"annotations":{"related_resources":[{"ref":"https://x.org"},)"
            R"({"description":"why","ref":"https://y.org"}],)"
            R"("schemas":[{"path":[{"type":"var","value":"input"},{"type":"string","value":"x"}],)"
            R"("schema":[{"type":"var","value":"schema"},{"type":"string","value":"y"}]}],)"
            R"("scope":"rule"},"path":["a","b","c","p"]},)"
            R"({"annotations":{"custom":{"k":[1,"two"]},"scope":"subpackages"},"path":["a","b"]},)"
            R"({"annotations":{"organizations":["Acme"],"scope":"subpackages"},"path":["a"]}])");
}

TEST(AnnotationsTest, OnlyMetadataBlocksCount) {
  std::vector<ast::Module> modules =
      Parse({"package a\n\n# title: not metadata\np := 1\n"});
  EXPECT_EQ(Of(modules, 0, 0).rule, "{}");
}

TEST(AnnotationsTest, Errors) {
  EXPECT_THAT(BuildError("package a\n# METADATA\n# scope: galaxy\np := 1\n"),
              HasSubstr("m0.rego:2:1: rego_parse_error: invalid annotation scope 'galaxy'"));
  EXPECT_THAT(BuildError("package a\n# METADATA\n# scope: package\np := 1\n"),
              HasSubstr("annotation scope 'package' must be applied to package (have rule)"));
  EXPECT_THAT(BuildError("# METADATA\n# scope: rule\npackage a\n"),
              HasSubstr("annotation scope 'rule' must be applied to rule (have package)"));
  EXPECT_THAT(BuildError("package a\n# METADATA\n# title: [unclosed\np := 1\n"),
              HasSubstr("m0.rego:2:1: rego_parse_error"));
  EXPECT_THAT(BuildError("package a\n# METADATA\n# authors: [\"\"]\np := 1\n"),
              HasSubstr("author is an empty string"));
  std::vector<ast::Module> twice = Parse({"# METADATA\n# title: x\npackage a\n",
                                          "# METADATA\n# title: z\npackage a\n"});
  absl::StatusOr<Annotations> a = Annotations::Build(twice);
  ASSERT_FALSE(a.ok());
  EXPECT_THAT(std::string(a.status().message()),
              HasSubstr("m1.rego:1: rego_type_error: package annotation redeclared: m0.rego:1"));
}

}  // namespace
}  // namespace policyd::compile
