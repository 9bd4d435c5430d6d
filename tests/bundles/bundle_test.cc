#include "bundles/bundle.h"

#include "engine/value/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"

namespace policyd::bundles {
namespace {

using ::testing::HasSubstr;

TEST(BundleTest, ModulesAndDataDocuments) {
  absl::StatusOr<Bundle> b = BundleFromFiles(
      "authz",
      {{".manifest", R"({"revision": "r1", "roots": ["authz"]})"},
       {"authz/policy.rego", "package authz\nallow := true\n"},
       {"authz/data.json", R"({"users": ["alice"]})"},
       {"authz/roles/data.yaml", "admin:\n  - alice\n"},
       {"README.md", "ignored"},
       {"authz/other.json", "{\"ignored\": true}"}},
      SignatureOptions());
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->name, "authz");
  EXPECT_EQ(b->manifest.revision, "r1");
  ASSERT_EQ(b->modules.size(), 1u);
  EXPECT_EQ(b->modules[0].filename, "authz/authz/policy.rego");
  EXPECT_EQ(b->modules[0].version, ast::RegoVersion::kV1);
  ASSERT_EQ(b->data.size(), 2u);
  EXPECT_EQ(b->data[0].path, (DataPath{"authz"}));
  EXPECT_EQ(b->data[0].value, *ParseJson(R"({"users": ["alice"]})"));
  EXPECT_EQ(b->data[1].path, (DataPath{"authz", "roles"}));
  EXPECT_EQ(b->data[1].value, *ParseJson(R"({"admin": ["alice"]})"));
}

TEST(BundleTest, OtherYamlFilesAreHandedOver) {
  absl::StatusOr<Bundle> b = BundleFromFiles(
      "b", {{"policies/template.yaml", "kind: ConstraintTemplate"},
            {"c.yml", "kind: K"},
            {"x/data.yaml", "a: 1"},
            {"notes.txt", "x"}},
      SignatureOptions());
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ(b->yaml_files.size(), 2u);
  EXPECT_EQ(b->yaml_files[0].path, "policies/template.yaml");
  EXPECT_EQ(b->yaml_files[1].path, "c.yml");
  EXPECT_EQ(b->data.size(), 1u);
}

TEST(BundleTest, NoManifestOwnsEverything) {
  absl::StatusOr<Bundle> b = BundleFromFiles(
      "b", {{"x/data.json", "1"}, {"p.rego", "package anything"}},
      SignatureOptions());
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->manifest.roots, std::vector<std::string>{""});
}

TEST(BundleTest, RegoVersionsPerFile) {
  absl::StatusOr<Bundle> b = BundleFromFiles(
      "b",
      {{".manifest",
        R"({"rego_version": 0, "file_rego_versions": {"/v1/*.rego": 1}})"},
       {"old.rego", "package old\np { true }"},
       {"v1/new.rego", "package new\np if true"}},
      SignatureOptions());
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ(b->modules.size(), 2u);
  EXPECT_EQ(b->modules[0].version, ast::RegoVersion::kV0);
  EXPECT_EQ(b->modules[1].version, ast::RegoVersion::kV1);
}

TEST(BundleTest, PackageOutsideRoots) {
  absl::StatusOr<Bundle> b = BundleFromFiles(
      "b",
      {{".manifest", R"({"roots": ["authz"]})"},
       {"x.rego", "package billing.rules\n"}},
      SignatureOptions());
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.status().message(),
              HasSubstr("x.rego: package data.billing.rules is outside the "
                        "bundle's roots [\"authz\"]"));
}

TEST(BundleTest, DataOutsideRoots) {
  absl::StatusOr<Bundle> b = BundleFromFiles(
      "b",
      {{".manifest", R"({"roots": ["authz"]})"},
       {"data.json", R"({"authz": {"ok": 1}, "billing": 2})"}},
      SignatureOptions());
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.status().message(),
              HasSubstr("data.json: data.billing is outside"));
}

TEST(BundleTest, BadDataFile) {
  absl::StatusOr<Bundle> b = BundleFromFiles(
      "b", {{"a/data.json", "{\"x\": "}}, SignatureOptions());
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.status().message(), HasSubstr("a/data.json: "));
  b = BundleFromFiles("b", {{"data.yaml", "- 1\n"}}, SignatureOptions());
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.status().message(), HasSubstr("must be an object"));
}

TEST(BundleTest, BadManifest) {
  absl::StatusOr<Bundle> b = BundleFromFiles(
      "b", {{".manifest", R"({"rego_version": 9})"}}, SignatureOptions());
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.status().message(), HasSubstr(".manifest: rego_version"));
}

TEST(BundleTest, SignatureRequired) {
  SignatureOptions options;
  options.keys["k"] = {"HS256", "secret"};
  options.required = true;
  absl::StatusOr<Bundle> b =
      BundleFromFiles("b", {{"p.rego", "package p"}}, options);
  EXPECT_EQ(b.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(BundleTest, LoadFromTarball) {
  testing::TempDir dir;
  testing::WriteTarGz(dir / "b.tar.gz",
                      {{"/.manifest", R"({"revision": "t1"})"},
                       {"/p/data.json", "{\"v\": 1}"}});
  absl::StatusOr<Bundle> b = LoadBundle("b", dir / "b.tar.gz", LoadOptions());
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->manifest.revision, "t1");
  ASSERT_EQ(b->data.size(), 1u);
  EXPECT_EQ(b->data[0].path, (DataPath{"p"}));
}

}  // namespace
}  // namespace policyd::bundles
