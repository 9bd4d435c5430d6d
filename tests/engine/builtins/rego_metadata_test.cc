#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using ::policyd::core_testing::Eval;

TEST(RegoMetadataTest, NamesAreRegisteredWithoutArguments) {
  for (const char* name : {"rego.metadata.chain", "rego.metadata.rule"}) {
    const Builtin* b = BuiltinRegistry::Default().Find(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_EQ(b->arity, 0);
    EXPECT_TRUE(b->nondeterministic);
  }
}

TEST(RegoMetadataTest, CallsLeftForEvaluationFail) {
  EXPECT_EQ(Eval("rego.metadata.chain"),
            "builtin error: rego.metadata.chain: must be resolved at compile time");
  EXPECT_EQ(Eval("rego.metadata.rule"),
            "builtin error: rego.metadata.rule: must be resolved at compile time");
}

}  // namespace
}  // namespace policyd
