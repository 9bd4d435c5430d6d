#include "bundles/package_path.h"

#include "gtest/gtest.h"

namespace policyd::bundles {
namespace {

TEST(PackagePathTest, Simple) {
  EXPECT_EQ(ModulePackagePath("package a.b.c\n\nallow := true"),
            (DataPath{"a", "b", "c"}));
}

TEST(PackagePathTest, CommentsAndBlankLinesFirst) {
  EXPECT_EQ(ModulePackagePath("# METADATA\n# title: x\n\n  package authz # c\n"),
            (DataPath{"authz"}));
}

TEST(PackagePathTest, BracketStrings) {
  EXPECT_EQ(ModulePackagePath("package a[\"b-c\"].d"),
            (DataPath{"a", "b-c", "d"}));
}

TEST(PackagePathTest, Malformed) {
  EXPECT_FALSE(ModulePackagePath("allow := true").has_value());
  EXPECT_FALSE(ModulePackagePath("package").has_value());
  EXPECT_FALSE(ModulePackagePath("package a.").has_value());
  EXPECT_FALSE(ModulePackagePath("package a[1]").has_value());
  EXPECT_FALSE(ModulePackagePath("packages a").has_value());
}

}  // namespace
}  // namespace policyd::bundles
