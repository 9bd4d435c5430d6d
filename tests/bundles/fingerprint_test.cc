#include "bundles/fingerprint.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"

namespace policyd::bundles {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST(FingerprintTest, StableUntilChanged) {
  TempDir dir;
  WriteFile(dir / "b/policy.rego", "package b");
  uint64_t first = TreeFingerprint(dir.path());
  EXPECT_EQ(TreeFingerprint(dir.path()), first);
  WriteFile(dir / "b/policy.rego", "package b2");
  uint64_t second = TreeFingerprint(dir.path());
  EXPECT_NE(second, first);
  WriteFile(dir / "b/new.rego", "package n");
  EXPECT_NE(TreeFingerprint(dir.path()), second);
}

TEST(FingerprintTest, SeesConfigMapSwapThroughLinks) {
  TempDir dir;
  WriteFile(dir / "..v1/policy.rego", "package a");
  WriteFile(dir / "..v2/policy.rego", "package b");
  std::filesystem::create_directory_symlink("..v1", dir / "..data");
  std::filesystem::create_symlink("..data/policy.rego", dir / "policy.rego");
  uint64_t before = TreeFingerprint(dir.path());
  std::filesystem::create_directory_symlink("..v2", dir / "..data_tmp");
  std::filesystem::rename(dir / "..data_tmp", dir / "..data");
  EXPECT_NE(TreeFingerprint(dir.path()), before);
}

TEST(FingerprintTest, MissingPath) {
  EXPECT_EQ(TreeFingerprint("/nonexistent/x"), TreeFingerprint("/nonexistent/x"));
}

}  // namespace
}  // namespace policyd::bundles
