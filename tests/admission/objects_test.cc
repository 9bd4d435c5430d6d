#include "admission/objects.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace policyd::admission {
namespace {

TEST(ObjectsTest, ManyDocumentsAndLists) {
  absl::StatusOr<std::vector<ObjectSource>> objects = ParseObjects(
      "kind: A\n---\n---\nkind: List\nitems: [{kind: B}, {kind: C}]\n", "f.yaml");
  ASSERT_TRUE(objects.ok()) << objects.status();
  ASSERT_EQ(objects->size(), 3u);
  EXPECT_EQ((*objects)[2].object.Find("kind")->string(), "C");
  EXPECT_EQ((*objects)[2].file, "f.yaml");
}

TEST(ObjectsTest, ErrorsNameTheFile) {
  absl::StatusOr<std::vector<ObjectSource>> bad = ParseObjects("a: [", "f.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "f.yaml: yaml: line 1: "))
      << bad.status();
  absl::StatusOr<std::vector<ObjectSource>> scalar = ParseObjects("12", "g.yaml");
  ASSERT_FALSE(scalar.ok());
  EXPECT_EQ(scalar.status().message(), "g.yaml: a document is not a Kubernetes object");
}

TEST(ObjectsTest, ReadsYamlAndJsonFilesOfADirectory) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "objects_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "sub");
  std::ofstream(dir / "a.yaml") << "kind: A\n";
  std::ofstream(dir / "sub" / "b.json") << R"({"kind": "B"})";
  std::ofstream(dir / "notes.txt") << "kind: Ignored\n";
  absl::StatusOr<std::vector<ObjectSource>> objects = ReadObjects(dir.string());
  ASSERT_TRUE(objects.ok()) << objects.status();
  ASSERT_EQ(objects->size(), 2u);
  EXPECT_EQ(ObjectLabel((*objects)[1].object), "B (no name)");
  EXPECT_FALSE(ReadObjects((dir / "missing.yaml").string()).ok());
}

}  // namespace
}  // namespace policyd::admission
