#include "bundles/manifest.h"

#include "gtest/gtest.h"

namespace policyd::bundles {
namespace {

using ast::RegoVersion;

TEST(ManifestTest, EmptyObjectGivesDefaults) {
  absl::StatusOr<Manifest> m = ParseManifest("{}");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->revision, "");
  EXPECT_EQ(m->roots, std::vector<std::string>{""});
  EXPECT_EQ(m->rego_version, RegoVersion::kV1);
  EXPECT_TRUE(m->file_rego_versions.empty());
  EXPECT_EQ(m->metadata, Value::Object({}));
}

TEST(ManifestTest, Revision) {
  EXPECT_EQ(ParseManifest(R"({"revision": "abc123"})")->revision, "abc123");
  absl::StatusOr<Manifest> bad = ParseManifest(R"({"revision": 7})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("revision must be a string"),
            std::string::npos)
      << bad.status();
}

TEST(ManifestTest, RootsAreNormalised) {
  absl::StatusOr<Manifest> m =
      ParseManifest(R"({"roots": ["/authz/", "shared/lib", ""]})");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->roots, (std::vector<std::string>{"authz", "shared/lib", ""}));
  EXPECT_TRUE(ParseManifest(R"({"roots": []})")->roots.empty());
  EXPECT_FALSE(ParseManifest(R"({"roots": "authz"})").ok());
  EXPECT_FALSE(ParseManifest(R"({"roots": ["a", 1]})").ok());
}

TEST(ManifestTest, RegoVersion) {
  EXPECT_EQ(ParseManifest(R"({"rego_version": 0})")->rego_version,
            RegoVersion::kV0);
  EXPECT_EQ(ParseManifest(R"({"rego_version": 1})")->rego_version,
            RegoVersion::kV1);
  absl::StatusOr<Manifest> bad = ParseManifest(R"({"rego_version": 2})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("rego_version must be 0 or 1"),
            std::string::npos)
      << bad.status();
  EXPECT_FALSE(ParseManifest(R"({"rego_version": "1"})").ok());
}

TEST(ManifestTest, FileRegoVersions) {
  absl::StatusOr<Manifest> m = ParseManifest(R"({
    "rego_version": 1,
    "file_rego_versions": {"/legacy/old.rego": 0, "v0/*.rego": 0,
                           "v0/keep.rego": 1}
  })");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->VersionOf("legacy/old.rego"), RegoVersion::kV0);
  EXPECT_EQ(m->VersionOf("/legacy/old.rego"), RegoVersion::kV0);
  EXPECT_EQ(m->VersionOf("legacy/new.rego"), RegoVersion::kV1);
  EXPECT_EQ(m->VersionOf("v0/a.rego"), RegoVersion::kV0);
  // An exact entry wins over a pattern.
  EXPECT_EQ(m->VersionOf("v0/keep.rego"), RegoVersion::kV1);
  // `*` stays within one segment.
  EXPECT_EQ(m->VersionOf("v0/deeper/a.rego"), RegoVersion::kV1);
  EXPECT_FALSE(
      ParseManifest(R"({"file_rego_versions": {"a.rego": 3}})").ok());
  EXPECT_FALSE(ParseManifest(R"({"file_rego_versions": [1]})").ok());
}

TEST(ManifestTest, BundleDefaultVersionZero) {
  absl::StatusOr<Manifest> m = ParseManifest(
      R"({"rego_version": 0, "file_rego_versions": {"new/**": 1}})");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->VersionOf("old.rego"), RegoVersion::kV0);
  EXPECT_EQ(m->VersionOf("new/x/y.rego"), RegoVersion::kV1);
}

TEST(ManifestTest, Metadata) {
  absl::StatusOr<Manifest> m =
      ParseManifest(R"({"metadata": {"team": "payments", "n": 3}})");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_NE(m->metadata.Find("team"), nullptr);
  EXPECT_EQ(*m->metadata.Find("team"), Value::String("payments"));
  EXPECT_FALSE(ParseManifest(R"({"metadata": "x"})").ok());
}

TEST(ManifestTest, UnknownFieldsAreIgnored) {
  EXPECT_TRUE(ParseManifest(R"({"wasm": [], "revision": "r"})").ok());
}

TEST(ManifestTest, NotJsonOrNotObject) {
  absl::StatusOr<Manifest> m = ParseManifest("{revision: 1");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find(".manifest: invalid JSON"),
            std::string::npos);
  EXPECT_FALSE(ParseManifest("[1]").ok());
}

TEST(GlobMatchTest, Patterns) {
  EXPECT_TRUE(GlobMatch("a/*.rego", "a/b.rego"));
  EXPECT_FALSE(GlobMatch("a/*.rego", "a/b/c.rego"));
  EXPECT_TRUE(GlobMatch("a/**", "a/b/c.rego"));
  EXPECT_TRUE(GlobMatch("**.rego", "x/y/z.rego"));
  EXPECT_TRUE(GlobMatch("a/?.rego", "a/b.rego"));
  EXPECT_FALSE(GlobMatch("a/?.rego", "a/bc.rego"));
  EXPECT_TRUE(GlobMatch("exact.rego", "exact.rego"));
  EXPECT_FALSE(GlobMatch("exact.rego", "exact.regox"));
}

}  // namespace
}  // namespace policyd::bundles
