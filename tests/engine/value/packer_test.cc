#include "engine/value/packer.h"

#include <string>
#include <vector>

#include "engine/value/json.h"
#include "engine/value/rep.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

bool InArena(const Value& v) {
  return v.rep() != nullptr && (v.rep()->flags & value_internal::kInArena) != 0;
}

TEST(ValuePackerTest, PackedValuesAreEqualAndLiveInChunks) {
  absl::StatusOr<Value> original = ParseJson(
      R"({"a long key for the heap": ["a long string for the heap", 1, 2.5, true, null],
          "short": {"nested object key": "another long string value"}})");
  ASSERT_TRUE(original.ok()) << original.status();
  ASSERT_FALSE(InArena(*original));  // a small document is built on the heap
  Value packed;
  {
    ValuePacker packer;
    packed = packer.Pack(*original);
  }  // the chunks outlive the packer
  EXPECT_EQ(packed, *original);
  EXPECT_TRUE(InArena(packed));
  const Value* list = packed.Find("a long key for the heap");
  ASSERT_NE(list, nullptr);
  EXPECT_TRUE(InArena(*list));
  EXPECT_TRUE(InArena(list->elements()[0]));
  EXPECT_EQ(packed.ToJson(), original->ToJson());
}

TEST(ValuePackerTest, PackedSetsAndObjectsKeepTheirIndexInTheChunk) {
  // Sixteen or more members get a hash index; it must answer lookups.
  std::vector<Value> members;
  std::vector<ObjectEntry> entries;
  for (int i = 0; i < 40; ++i) {
    members.push_back(Value::String("member number " + std::to_string(i)));
    entries.emplace_back(Value::String("key number " + std::to_string(i)), Value::Int(i));
  }
  Value set = Value::Set(members);
  Value object = Value::Object(entries);
  ValuePacker packer;
  Value packed_set = packer.Pack(set);
  Value packed_object = packer.Pack(object);
  ASSERT_TRUE(InArena(packed_set));
  ASSERT_TRUE(InArena(packed_object));
  for (int i = 0; i < 40; ++i) {
    EXPECT_TRUE(packed_set.Contains(Value::String("member number " + std::to_string(i))));
    const Value* v = packed_object.Find("key number " + std::to_string(i));
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(*v, Value::Int(i));
  }
  EXPECT_FALSE(packed_set.Contains(Value::String("member number 40")));
  EXPECT_EQ(packed_object.Find("key number 40"), nullptr);
}

TEST(ValuePackerTest, DeepValuesAreSharedBelowTheDepthLimit) {
  // Ten times the depth limit: packing stops copying there, without
  // recursing further.
  Value v = Value::String("the innermost string, long enough");
  for (int i = 0; i < 10 * ValuePacker::kMaxDepth; ++i) v = Value::Array({v});
  ValuePacker packer;
  Value packed = packer.Pack(v);
  EXPECT_EQ(packed, v);
  const Value* at = &packed;
  int depth = 0;
  while (at->is_array() && InArena(*at)) {
    at = &at->elements()[0];
    ++depth;
  }
  EXPECT_EQ(depth, ValuePacker::kMaxDepth);
  EXPECT_FALSE(InArena(*at));  // shared with the original from here on
}

}  // namespace
}  // namespace policyd
