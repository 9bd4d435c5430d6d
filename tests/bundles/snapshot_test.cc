#include "bundles/snapshot.h"

#include "engine/value/json.h"
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

std::string Eval(const Snapshot& s, const std::string& query) {
  absl::StatusOr<std::shared_ptr<const PreparedQuery>> q = s.Query(query);
  if (!q.ok()) return q.status().ToString();
  absl::StatusOr<std::optional<Value>> v = (*q)->EvalValue(EvalOptions());
  if (!v.ok()) return v.status().ToString();
  return v->has_value() ? (*v)->ToJson() : "undefined";
}

TEST(SnapshotTest, MergesBundlesAndCompiles) {
  std::vector<BundleError> errors;
  auto s = Snapshot::Build(
      {Make("lib", {{".manifest", R"({"roots": ["lib"]})"},
                    {"lib/data.json", R"({"admins": ["alice"]})"}}),
       Make("authz", {{".manifest", R"({"roots": ["authz"], "revision": "7"})"},
                      {"authz/p.rego",
                       "package authz\nallow if \"alice\" in data.lib.admins\n"}})},
      3, &errors);
  ASSERT_NE(s, nullptr) << (errors.empty() ? "" : errors[0].ToString());
  EXPECT_EQ(s->generation(), 3u);
  ASSERT_EQ(s->bundles().size(), 2u);
  EXPECT_EQ(s->bundles()[0]->name, "authz");  // sorted
  EXPECT_EQ(Eval(*s, "data.authz.allow"), "true");
  EXPECT_EQ(s->data(), *ParseJson(R"({"lib": {"admins": ["alice"]}})"));
}

struct Counted : SnapshotExtension {
  size_t bundles = 0;
};

TEST(SnapshotTest, BuildsTheExtensionOverBundlesAndData) {
  std::vector<BundleError> errors;
  ExtensionBuilder builder = [](const auto& bundles, const Value& data,
                                std::vector<BundleError>*) {
    EXPECT_EQ(data, *ParseJson(R"({"x": 1})"));
    auto c = std::make_shared<Counted>();
    c->bundles = bundles.size();
    return c;
  };
  auto s = Snapshot::Build({Make("a", {{"x/data.json", "1"}})}, 1, &errors,
                           &builder);
  ASSERT_NE(s, nullptr);
  ASSERT_NE(s->extension(), nullptr);
  EXPECT_EQ(static_cast<const Counted&>(*s->extension()).bundles, 1u);
}

TEST(SnapshotTest, AFailingExtensionFailsTheBuild) {
  std::vector<BundleError> errors;
  ExtensionBuilder builder = [](const auto&, const Value&,
                                std::vector<BundleError>* errors) {
    errors->push_back({"a", "t.yaml", 0, 0, "bad template"});
    return nullptr;
  };
  auto s = Snapshot::Build({Make("a", {})}, 1, &errors, &builder);
  EXPECT_EQ(s, nullptr);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "bad template");
}

TEST(SnapshotTest, OverlappingRootsNameBothBundles) {
  std::vector<BundleError> errors;
  auto s = Snapshot::Build(
      {Make("one", {{".manifest", R"({"roots": ["a"]})"}}),
       Make("two", {{".manifest", R"({"roots": ["a/b"]})"}})},
      1, &errors);
  EXPECT_EQ(s, nullptr);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].bundle, "one");
  EXPECT_EQ(errors[1].bundle, "two");
  EXPECT_THAT(errors[0].message,
              HasSubstr("bundles \"one\" and \"two\" have overlapping roots "
                        "\"a\" and \"a/b\""));
}

TEST(SnapshotTest, TwoBundlesWithoutManifestsOverlap) {
  std::vector<BundleError> errors;
  auto s = Snapshot::Build({Make("x", {}), Make("y", {})}, 1, &errors);
  EXPECT_EQ(s, nullptr);
  EXPECT_FALSE(errors.empty());
}

TEST(SnapshotTest, CompileErrorsAreAttributedToTheirBundle) {
  std::vector<BundleError> errors;
  auto s = Snapshot::Build(
      {Make("authz", {{"p.rego", "package authz\nallow if {\n"}})}, 1,
      &errors);
  EXPECT_EQ(s, nullptr);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].bundle, "authz");
  EXPECT_EQ(errors[0].file, "p.rego");
  EXPECT_GT(errors[0].line, 0);
  EXPECT_THAT(errors[0].message, HasSubstr("rego_parse_error"));
}

TEST(SnapshotTest, QueriesAreCachedPerText) {
  std::vector<BundleError> errors;
  auto s = Snapshot::Build({Make("b", {{"p.rego", "package p\nx := 1\n"}})}, 1,
                           &errors);
  ASSERT_NE(s, nullptr);
  auto first = s->Query("data.p.x");
  auto second = s->Query("data.p.x");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->get(), second->get());
  EXPECT_FALSE(s->Query("data.p.x +").ok());
}

}  // namespace
}  // namespace policyd::bundles
