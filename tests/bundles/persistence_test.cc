#include "bundles/persistence.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"

namespace policyd::bundles {
namespace {

TEST(PersistenceTest, WritesAtomicallyAndReadsBack) {
  testing::TempDir dir;
  EXPECT_EQ(LoadPersistedBundle(dir.path(), "authz").status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(PersistBundle(dir.path(), "authz", "first").ok());
  ASSERT_TRUE(PersistBundle(dir.path(), "authz", "second").ok());
  EXPECT_EQ(*LoadPersistedBundle(dir.path(), "authz"), "second");
  EXPECT_TRUE(std::filesystem::exists(dir / "bundles/authz/bundle.tar.gz"));
  EXPECT_FALSE(std::filesystem::exists(dir / "bundles/authz/bundle.tar.gz.tmp"));
}

TEST(PersistenceTest, RefusesNamesThatAreNotFolderNames) {
  testing::TempDir dir;
  for (const char* name : {"", ".", "..", "a/../../etc"}) {
    EXPECT_EQ(PersistBundle(dir.path(), name, "x").code(),
              absl::StatusCode::kInvalidArgument)
        << name;
  }
}

}  // namespace
}  // namespace policyd::bundles
