#include "bundles/bundle_dir.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"

namespace policyd::bundles {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST(BundleDirTest, EntriesAreBundles) {
  TempDir dir;
  WriteFile(dir / "authz/policy.rego", "package authz");
  WriteFile(dir / "lib.tar.gz", "");
  WriteFile(dir / "old.tgz", "");
  WriteFile(dir / "README.md", "ignored");
  WriteFile(dir / ".hidden/x.rego", "ignored");
  absl::StatusOr<std::vector<BundleSource>> list = ListBundleSources(dir.path());
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].name, "authz");
  EXPECT_EQ((*list)[0].path, dir / "authz");
  EXPECT_EQ((*list)[1].name, "lib");
  EXPECT_EQ((*list)[2].name, "old");
}

TEST(BundleDirTest, DirectoryWithManifestIsOneBundle) {
  TempDir dir;
  WriteFile(dir / "single/.manifest", "{}");
  WriteFile(dir / "single/sub/policy.rego", "package x");
  absl::StatusOr<std::vector<BundleSource>> list =
      ListBundleSources(dir / "single/");
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "single");
}

TEST(BundleDirTest, ConfigMapLinks) {
  TempDir dir;
  WriteFile(dir / "..2024_01/authz/policy.rego", "package authz");
  std::filesystem::create_directory_symlink("..2024_01", dir / "..data");
  std::filesystem::create_directory_symlink("..data/authz", dir / "authz");
  absl::StatusOr<std::vector<BundleSource>> list = ListBundleSources(dir.path());
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "authz");
}

TEST(BundleDirTest, DuplicateNamesAndMissingDir) {
  TempDir dir;
  WriteFile(dir / "authz/policy.rego", "package authz");
  WriteFile(dir / "authz.tar.gz", "");
  EXPECT_FALSE(ListBundleSources(dir.path()).ok());
  EXPECT_EQ(ListBundleSources(dir / "missing").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace policyd::bundles
