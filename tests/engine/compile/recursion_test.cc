#include "engine/compile/recursion.h"

#include "engine/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/eval_test_util.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;
using testing::CompileText;

TEST(RecursionTest, RulesThatDependOnEachOtherAreAnError) {
  auto engine = CompileText({"package t\np if q\nq if p"});
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(ErrorCode(engine.status()), kRegoRecursionError);
  EXPECT_THAT(engine.status().message(),
              HasSubstr("rule data.t.p is recursive: data.t.p -> data.t.q -> data.t.p"));
}

TEST(RecursionTest, RecursiveFunctionIsAnError) {
  auto engine = CompileText({"package t\nf(x) := f(x - 1) if x > 0"});
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(ErrorCode(engine.status()), kRegoRecursionError);
}

TEST(RecursionTest, ReadingTheWholePackageFromARuleInsideIsRecursive) {
  auto engine = CompileText({"package t\np := data.t"});
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(ErrorCode(engine.status()), kRegoRecursionError);
}

TEST(RecursionTest, ChainsWithoutCyclesCompile) {
  auto engine = CompileText({"package t\np if q\nq if r\nr := true\ns := data.u",
                             "package u\nv := 1"});
  EXPECT_TRUE(engine.ok()) << engine.status();
}

}  // namespace
}  // namespace policyd
