#include "util/files.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(FilesTest, ReadsWholeFile) {
  std::string path = ::testing::TempDir() + "/files_test.txt";
  std::ofstream(path) << "line 1\nline 2\n";
  absl::StatusOr<std::string> text = ReadFile(path);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "line 1\nline 2\n");
}

TEST(FilesTest, MissingFileNamesThePath) {
  absl::StatusOr<std::string> text = ReadFile("/nonexistent/policyd/file");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(text.status().message().find("/nonexistent/policyd/file"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace policyd
