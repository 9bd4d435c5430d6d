#include "engine/compile/tight_vector.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace policyd::plan {
namespace {

static_assert(sizeof(TightVector<std::string>) == 16);

TEST(TightVectorTest, GrowsKeepingItsElementsInOrder) {
  TightVector<std::string> v;
  EXPECT_TRUE(v.empty());
  for (int i = 0; i < 100; ++i) v.push_back(std::string(20, static_cast<char>('a' + i % 26)));
  ASSERT_EQ(v.size(), 100u);
  EXPECT_GE(v.capacity(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(v[i], std::string(20, static_cast<char>('a' + i % 26)));
  EXPECT_EQ(v.back(), std::string(20, 'v'));
  v.pop_back();
  EXPECT_EQ(v.size(), 99u);
  EXPECT_EQ(v.back(), std::string(20, 'u'));
}

TEST(TightVectorTest, EmplacesAnElementOfItselfWhileGrowing) {
  TightVector<std::string> v;
  v.push_back("first element, long enough to live on the heap");
  ASSERT_EQ(v.capacity(), 1u);
  v.push_back(v[0]);  // grows: the argument must be read before the move
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1], v[0]);
}

TEST(TightVectorTest, ShrinksToItsSize) {
  TightVector<std::string> v;
  for (int i = 0; i < 5; ++i) v.push_back(std::to_string(i));
  EXPECT_EQ(v.capacity(), 8u);
  v.shrink_to_fit();
  EXPECT_EQ(v.capacity(), 5u);
  EXPECT_EQ(v[4], "4");
  TightVector<std::string> none;
  none.shrink_to_fit();
  EXPECT_EQ(none.capacity(), 0u);
}

TEST(TightVectorTest, CopiesDeeplyAndMovesByStealing) {
  TightVector<std::string> a;
  a.push_back("x");
  a.push_back("y");
  TightVector<std::string> b = a;
  b[0] = "changed";
  EXPECT_EQ(a[0], "x");
  EXPECT_EQ(b.capacity(), 2u);
  const std::string* data = a.data();
  TightVector<std::string> c = std::move(a);
  EXPECT_EQ(c.data(), data);
  EXPECT_TRUE(a.empty());  // NOLINT: moved-from is empty
  c = b;
  EXPECT_EQ(c[0], "changed");
  c = TightVector<std::string>();
  EXPECT_TRUE(c.empty());
}

TEST(TightVectorTest, DestroysEveryElement) {
  auto counter = std::make_shared<int>(0);
  {
    TightVector<std::shared_ptr<int>> v;
    for (int i = 0; i < 10; ++i) v.push_back(counter);
    EXPECT_EQ(counter.use_count(), 11);
    v.pop_back();
    EXPECT_EQ(counter.use_count(), 10);
  }
  EXPECT_EQ(counter.use_count(), 1);
}

}  // namespace
}  // namespace policyd::plan
