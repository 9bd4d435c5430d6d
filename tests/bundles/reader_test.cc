#include "bundles/reader.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"

namespace policyd::bundles {
namespace {

using ::testing::HasSubstr;
using testing::TarEntry;
using testing::TempDir;
using testing::WriteFile;
using testing::WriteTarGz;

std::vector<std::string> Paths(const std::vector<BundleFile>& files) {
  std::vector<std::string> out;
  for (const BundleFile& f : files) out.push_back(f.path);
  return out;
}

TEST(ReaderTest, DirectoryFilesSortedWithContent) {
  TempDir dir;
  WriteFile(dir / "b/policy.rego", "package b");
  WriteFile(dir / ".manifest", "{}");
  WriteFile(dir / "a/data.json", "{\"x\": 1}");
  absl::StatusOr<std::vector<BundleFile>> files =
      ReadBundleFiles(dir.path(), ReadLimits());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(Paths(*files), ::testing::ElementsAre(".manifest", "a/data.json",
                                                    "b/policy.rego"));
  EXPECT_EQ((*files)[2].content, "package b");
}

TEST(ReaderTest, TarballWithLeadingSlashNames) {
  TempDir dir;
  std::string tgz = dir / "b.tar.gz";
  WriteTarGz(tgz, {{"/.manifest", "{\"revision\": \"7\"}"},
                   {"/x/", "", TarEntry::kDir},
                   {"/x/data.json", "{}"},
                   {"./y/policy.rego", "package y"}});
  absl::StatusOr<std::vector<BundleFile>> files =
      ReadBundleFiles(tgz, ReadLimits());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(Paths(*files), ::testing::ElementsAre(".manifest", "x/data.json",
                                                    "y/policy.rego"));
  EXPECT_EQ((*files)[0].content, "{\"revision\": \"7\"}");
}

TEST(ReaderTest, TruncatedTarballIsRefused) {
  TempDir dir;
  std::string tgz = dir / "b.tar.gz";
  std::string big(200000, 'x');
  for (size_t i = 0; i < big.size(); ++i) big[i] = "abcdefgh"[(i * 7919) % 8];
  WriteTarGz(tgz, {{"data.json", "{\"big\": \"" + big + "\"}"}});
  std::filesystem::resize_file(tgz, std::filesystem::file_size(tgz) / 2);
  absl::StatusOr<std::vector<BundleFile>> files =
      ReadBundleFiles(tgz, ReadLimits());
  ASSERT_FALSE(files.ok());
  EXPECT_THAT(files.status().message(), HasSubstr("truncated or corrupt"));
}

TEST(ReaderTest, NotATarball) {
  TempDir dir;
  WriteFile(dir / "b.tar.gz", "this is not gzip");
  EXPECT_FALSE(ReadBundleFiles(dir / "b.tar.gz", ReadLimits()).ok());
}

TEST(ReaderTest, TarballPathTraversalIsRefused) {
  TempDir dir;
  std::string tgz = dir / "b.tar.gz";
  WriteTarGz(tgz, {{"ok.rego", "package ok"}, {"../../etc/evil.rego", "x"}});
  absl::StatusOr<std::vector<BundleFile>> files =
      ReadBundleFiles(tgz, ReadLimits());
  ASSERT_FALSE(files.ok());
  EXPECT_THAT(files.status().message(), HasSubstr("path traversal"));
  WriteTarGz(tgz, {{"a/../../b.rego", "x"}});
  EXPECT_FALSE(ReadBundleFiles(tgz, ReadLimits()).ok());
}

TEST(ReaderTest, TarballLinks) {
  TempDir dir;
  std::string tgz = dir / "b.tar.gz";
  WriteTarGz(tgz, {{"a/real.rego", "package a"},
                   {"a/alias.rego", "", TarEntry::kSymlink, "real.rego"},
                   {"hard.rego", "", TarEntry::kHardlink, "a/real.rego"}});
  absl::StatusOr<std::vector<BundleFile>> files =
      ReadBundleFiles(tgz, ReadLimits());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(Paths(*files), ::testing::ElementsAre("a/alias.rego",
                                                    "a/real.rego", "hard.rego"));
  EXPECT_EQ((*files)[0].content, "package a");

  WriteTarGz(tgz, {{"evil", "", TarEntry::kSymlink, "/etc/passwd"}});
  absl::StatusOr<std::vector<BundleFile>> abs = ReadBundleFiles(tgz, ReadLimits());
  ASSERT_FALSE(abs.ok());
  EXPECT_THAT(abs.status().message(), HasSubstr("points outside the bundle"));

  WriteTarGz(tgz, {{"a/evil", "", TarEntry::kSymlink, "../../x"}});
  EXPECT_FALSE(ReadBundleFiles(tgz, ReadLimits()).ok());
}

TEST(ReaderTest, DirectoryLinkOutOfTheBundleIsRefused) {
  TempDir dir;
  WriteFile(dir / "outside/secret.rego", "package secret");
  WriteFile(dir / "bundle/policy.rego", "package p");
  std::filesystem::create_symlink("../outside/secret.rego",
                                  dir / "bundle/link.rego");
  absl::StatusOr<std::vector<BundleFile>> files =
      ReadBundleFiles(dir / "bundle", ReadLimits());
  ASSERT_FALSE(files.ok());
  EXPECT_THAT(files.status().message(), HasSubstr("points outside the bundle"));

  std::filesystem::remove(dir / "bundle/link.rego");
  std::filesystem::create_symlink("/etc", dir / "bundle/etc");
  EXPECT_FALSE(ReadBundleFiles(dir / "bundle", ReadLimits()).ok());
}

TEST(ReaderTest, DirectoryLinksInsideAreFollowed) {
  TempDir dir;
  WriteFile(dir / "bundle/real/policy.rego", "package p");
  std::filesystem::create_symlink("real", dir / "bundle/alias");
  absl::StatusOr<std::vector<BundleFile>> files =
      ReadBundleFiles(dir / "bundle", ReadLimits());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(Paths(*files), ::testing::ElementsAre("alias/policy.rego",
                                                    "real/policy.rego"));
}

TEST(ReaderTest, ConfigMapInternalsAreSkipped) {
  TempDir dir;
  WriteFile(dir / "..2024_01_01/policy.rego", "package p");
  std::filesystem::create_directory_symlink("..2024_01_01", dir / "..data");
  std::filesystem::create_symlink("..data/policy.rego", dir / "policy.rego");
  absl::StatusOr<std::vector<BundleFile>> files =
      ReadBundleFiles(dir.path(), ReadLimits());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(Paths(*files), ::testing::ElementsAre("policy.rego"));
}

TEST(ReaderTest, FileCountLimit) {
  TempDir dir;
  for (int i = 0; i < 5; ++i) WriteFile(dir / ("f" + std::to_string(i)), "x");
  ReadLimits limits;
  limits.max_files = 4;
  absl::StatusOr<std::vector<BundleFile>> files =
      ReadBundleFiles(dir.path(), limits);
  ASSERT_FALSE(files.ok());
  EXPECT_THAT(files.status().message(), HasSubstr("more than 4 files"));
  limits.max_files = 5;
  EXPECT_TRUE(ReadBundleFiles(dir.path(), limits).ok());

  std::string tgz = dir / "b.tar.gz";
  WriteTarGz(tgz, {{"a", "1"}, {"b", "2"}, {"c", "3"}});
  limits.max_files = 2;
  EXPECT_FALSE(ReadBundleFiles(tgz, limits).ok());
}

TEST(ReaderTest, TotalSizeLimit) {
  TempDir dir;
  WriteFile(dir / "bundle/a", std::string(600, 'a'));
  WriteFile(dir / "bundle/b", std::string(600, 'b'));
  ReadLimits limits;
  limits.max_total_bytes = 1000;
  absl::StatusOr<std::vector<BundleFile>> files =
      ReadBundleFiles(dir / "bundle", limits);
  ASSERT_FALSE(files.ok());
  EXPECT_THAT(files.status().message(), HasSubstr("bytes uncompressed"));

  // A tarball that compresses well is measured uncompressed.
  std::string tgz = dir / "bomb.tar.gz";
  WriteTarGz(tgz, {{"zeros", std::string(100000, '\0')}});
  ASSERT_LT(std::filesystem::file_size(tgz), 1000u);
  absl::StatusOr<std::vector<BundleFile>> bomb = ReadBundleFiles(tgz, limits);
  ASSERT_FALSE(bomb.ok());
  EXPECT_THAT(bomb.status().message(), HasSubstr("bytes uncompressed"));
  limits.max_total_bytes = 200000;
  EXPECT_TRUE(ReadBundleFiles(tgz, limits).ok());
}

TEST(ReaderTest, MissingBundle) {
  EXPECT_FALSE(ReadBundleFiles("/nonexistent/bundle", ReadLimits()).ok());
}

}  // namespace
}  // namespace policyd::bundles
