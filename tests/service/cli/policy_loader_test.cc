#include "service/cli/policy_loader.h"

#include <filesystem>
#include <fstream>

#include "engine/value/json.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {
namespace fs = std::filesystem;

Value Json(const char* text) { return *ParseJson(text); }

class PolicyLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void Write(const std::string& relative, const std::string& text) {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  std::string Path(const std::string& relative) { return (root_ / relative).string(); }

  fs::path root_;
};

TEST_F(PolicyLoaderTest, DirectoryPlacesDataAtFolderPaths) {
  Write("b/policy.rego", "package b\n");
  Write("a/policy.rego", "package a\n");
  Write("data.json", R"({"top": 1})");
  Write("a/x/data.json", R"({"k": [1, 2]})");
  Write("c/data.yaml", "k: v\n");
  Write("a/input.json", R"({"ignored": true})");
  absl::StatusOr<LoadedPolicies> loaded =
      LoadPolicyPaths({root_.string()}, ast::RegoVersion::kV1);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->data, Json(R"({"top": 1, "a": {"x": {"k": [1, 2]}},
                                   "c": {"k": "v"}})"));
  ASSERT_EQ(loaded->modules.size(), 2);
  EXPECT_EQ(loaded->modules[0].filename, Path("a/policy.rego"));
  EXPECT_EQ(loaded->modules[0].text, "package a\n");
  EXPECT_EQ(loaded->modules[1].filename, Path("b/policy.rego"));
}

TEST_F(PolicyLoaderTest, FilesNamedDirectlyMergeAtTheRoot) {
  Write("one.json", R"({"a": {"x": 1}})");
  // Not `y`: YAML 1.1 (OPA's loader) reads that key as true.
  Write("two.yml", "a:\n  z: 2\n");
  Write("p.rego", "package p\n");
  absl::StatusOr<LoadedPolicies> loaded = LoadPolicyPaths(
      {Path("one.json"), Path("two.yml"), Path("p.rego")},
      ast::RegoVersion::kV0);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->data, Json(R"({"a": {"x": 1, "z": 2}})"));
  ASSERT_EQ(loaded->modules.size(), 1);
  EXPECT_EQ(loaded->modules[0].version, ast::RegoVersion::kV0);
}

TEST_F(PolicyLoaderTest, ConflictingValuesAreAnError) {
  Write("one.json", R"({"a": {"x": 1}})");
  Write("two.json", R"({"a": {"x": 2}})");
  absl::StatusOr<LoadedPolicies> loaded = LoadPolicyPaths(
      {Path("one.json"), Path("two.json")}, ast::RegoVersion::kV1);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("conflicting"), absl::string_view::npos)
      << loaded.status();
  EXPECT_NE(loaded.status().message().find(Path("two.json")),
            absl::string_view::npos)
      << loaded.status();
}

TEST_F(PolicyLoaderTest, MissingPathIsAnError) {
  absl::StatusOr<LoadedPolicies> loaded =
      LoadPolicyPaths({Path("absent")}, ast::RegoVersion::kV1);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PolicyLoaderTest, BadJsonNamesTheFile) {
  Write("data.json", "{");
  absl::StatusOr<LoadedPolicies> loaded =
      LoadPolicyPaths({root_.string()}, ast::RegoVersion::kV1);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find(Path("data.json")),
            absl::string_view::npos);
}

}  // namespace
}  // namespace policyd
