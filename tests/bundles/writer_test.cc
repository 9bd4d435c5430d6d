#include "bundles/writer.h"

#include "bundles/bundle.h"
#include "engine/value/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"

namespace policyd::bundles {
namespace {

using ::testing::HasSubstr;

TEST(WriterTest, TarballRoundTripsThroughTheReader) {
  testing::TempDir dir;
  std::vector<BundleFile> files = {
      {".manifest", R"({"revision":"r1","roots":["authz"]})"},
      {"data.json", R"({"authz":{"users":["alice"]}})"},
      {"authz/policy.rego", "package authz\nallow if input.user in data.authz.users\n"},
      {"empty.rego", ""}};
  ASSERT_TRUE(WriteBundleTarball(files, dir / "b.tar.gz").ok());
  absl::StatusOr<std::vector<BundleFile>> read =
      ReadBundleFiles(dir / "b.tar.gz", ReadLimits());
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 4u);
  for (const BundleFile& want : files) {
    bool found = false;
    for (const BundleFile& got : *read) {
      if (got.path == want.path) {
        EXPECT_EQ(got.content, want.content) << want.path;
        found = true;
      }
    }
    EXPECT_TRUE(found) << want.path;
  }
  absl::StatusOr<Bundle> bundle = LoadBundle("b", dir / "b.tar.gz", LoadOptions());
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ(bundle->manifest.revision, "r1");
}

TEST(WriterTest, UnwritablePathIsAnErrorNamingIt) {
  absl::Status status = WriteBundleTarball({}, "/nonexistent/dir/b.tar.gz");
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("/nonexistent/dir/b.tar.gz"));
}

TEST(WriterTest, ManifestJsonParsesBackToTheSameManifest) {
  Manifest manifest;
  manifest.revision = "v2";
  manifest.roots = {"a", "b/c"};
  manifest.rego_version = ast::RegoVersion::kV0;
  manifest.file_rego_versions = {{"x/*.rego", ast::RegoVersion::kV1}};
  manifest.metadata = *ParseJson(R"({"team": "search"})");
  std::string text = ManifestJson(manifest);
  // Compact with sorted keys: the bytes OPA hashes for a JSON file.
  EXPECT_EQ(text, ParseJson(text)->ToJson());
  absl::StatusOr<Manifest> parsed = ParseManifest(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->revision, "v2");
  EXPECT_EQ(parsed->roots, manifest.roots);
  EXPECT_EQ(parsed->rego_version, ast::RegoVersion::kV0);
  EXPECT_EQ(parsed->VersionOf("x/p.rego"), ast::RegoVersion::kV1);
  EXPECT_EQ(parsed->metadata, manifest.metadata);
}

}  // namespace
}  // namespace policyd::bundles
