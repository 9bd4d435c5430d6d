#include <set>
#include <string>

#include "gtest/gtest.h"
#include "re2/re2.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::Eval;
using ::policyd::testing::I;
using ::policyd::testing::J;
using ::policyd::testing::S;
using ::policyd::testing::kType;

// Calls a builtin with a query's cache.
Value CallWith(BuiltinContext& ctx, std::string_view name, std::vector<Value> args) {
  const Builtin* b = BuiltinRegistry::Default().Find(name);
  EXPECT_NE(b, nullptr);
  auto r = b->fn(ctx, args);
  EXPECT_TRUE(r.ok() && r->has_value()) << name;
  return r.ok() && r->has_value() ? **r : Value();
}

TEST(UuidTest, Rfc4122IsVersion4AndStableWithinAQuery) {
  EXPECT_TRUE(BuiltinRegistry::Default().Find("uuid.rfc4122")->nondeterministic);
  absl::flat_hash_map<std::string, Value> cache;
  BuiltinContext ctx;
  ctx.cache = &cache;
  Value a = CallWith(ctx, "uuid.rfc4122", {S("key")});
  ASSERT_TRUE(a.is_string());
  EXPECT_TRUE(RE2::FullMatch(
      std::string(a.string()),
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
      << a.string();
  EXPECT_EQ(CallWith(ctx, "uuid.rfc4122", {S("key")}), a);
  EXPECT_NE(CallWith(ctx, "uuid.rfc4122", {S("other")}), a);
  // A new query (fresh cache) draws a new one.
  absl::flat_hash_map<std::string, Value> cache2;
  BuiltinContext ctx2;
  ctx2.cache = &cache2;
  EXPECT_NE(CallWith(ctx2, "uuid.rfc4122", {S("key")}), a);
}

TEST(UuidTest, Parse) {
  EXPECT_EQ(Eval("uuid.parse", {S("00000000-0000-4000-8000-000000000000")}),
            R"({"variant":"RFC4122","version":4})");
  EXPECT_EQ(Eval("uuid.parse", {S("{00000000-0000-4000-8000-000000000000}")}),
            R"({"variant":"RFC4122","version":4})");
  EXPECT_EQ(Eval("uuid.parse", {S("6bea8ef2d3d33cd184e09bab06a52ece")}),
            R"({"variant":"RFC4122","version":3})");
  const std::string v2 =
      R"({"clocksequence":12800,"domain":"Person","id":1000,)"
      R"("macvariables":"local:unicast","nodeid":"32-50-96-b3-9f-47",)"
      R"("time":1693566990121469600,"variant":"RFC4122","version":2})";
  EXPECT_EQ(Eval("uuid.parse", {S("000003e8-48b9-21ee-b200-325096b39f47")}), v2);
  EXPECT_EQ(Eval("uuid.parse", {S("URN:uuid:000003e8-48b9-21ee-b200-325096b39f47")}), v2);
  // The Gregorian epoch is before 1677: the nanoseconds wrap as in OPA.
  EXPECT_EQ(Eval("uuid.parse", {S("00000000-0000-1000-c000-010000000000")}),
            R"({"clocksequence":0,"macvariables":"global:multicast",)"
            R"("nodeid":"01-00-00-00-00-00","time":6227451273709551616,)"
            R"("variant":"Microsoft","version":1})");
  // Versions 6, 7 and 8 (RFC 9562) carry a time too, but OPA decodes the
  // fields of versions 1 and 2 only: the others give version and variant.
  EXPECT_EQ(Eval("uuid.parse", {S("1ec9414c-232a-6b00-b3c8-9e6bdeced846")}),
            R"({"variant":"RFC4122","version":6})");
  EXPECT_EQ(Eval("uuid.parse", {S("017f22e2-79b0-7cc3-98c4-dc0c0c07398f")}),
            R"({"variant":"RFC4122","version":7})");
  EXPECT_EQ(Eval("uuid.parse", {S("320c3d4d-cc00-875b-8ec9-32d5f69181c0")}),
            R"({"variant":"RFC4122","version":8})");
  EXPECT_EQ(Eval("uuid.parse", {S("not-a-uuid")}), "undefined");
  EXPECT_EQ(Eval("uuid.parse", {S("00000000-0000-4000-8000-00000000000g")}), "undefined");
  EXPECT_EQ(Error("uuid.parse", {I(123)}, kType),
            "uuid.parse: operand 1 must be string but got number");
}

TEST(RandTest, IntnIsInRangeAndStableWithinAQuery) {
  EXPECT_TRUE(BuiltinRegistry::Default().Find("rand.intn")->nondeterministic);
  absl::flat_hash_map<std::string, Value> cache;
  BuiltinContext ctx;
  ctx.cache = &cache;
  Value first = CallWith(ctx, "rand.intn", {S("key"), I(100)});
  int64_t v;
  ASSERT_TRUE(first.is_number() && first.AsInt64(&v));
  EXPECT_GE(v, 0);
  EXPECT_LT(v, 100);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(CallWith(ctx, "rand.intn", {S("key"), I(100)}), first);
  }
  // A negative bound is its absolute value (and shares the cache entry).
  EXPECT_EQ(CallWith(ctx, "rand.intn", {S("key"), I(-100)}), first);
  std::set<int64_t> seen;
  for (int i = 0; i < 200; ++i) {
    Value r = CallWith(ctx, "rand.intn", {S("k" + std::to_string(i)), I(3)});
    ASSERT_TRUE(r.AsInt64(&v));
    seen.insert(v);
  }
  EXPECT_EQ(seen, (std::set<int64_t>{0, 1, 2}));
  EXPECT_EQ(Eval("rand.intn", {S("x"), I(0)}), "0");
  EXPECT_EQ(Error("rand.intn", {S("x"), J("1.5")}, kType),
            "rand.intn: operand 2 must be integer number but got floating-point "
            "number");
  EXPECT_EQ(Error("rand.intn", {I(1), I(5)}, kType),
            "rand.intn: operand 1 must be string but got number");
}

}  // namespace
}  // namespace policyd
