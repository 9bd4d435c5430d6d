#include "engine/value/value.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

Value Num(std::string_view text) { return *Value::NumberFromText(text); }
Value Str(std::string_view s) { return Value::String(s); }

TEST(ValueTest, SizeIsTwoWords) { EXPECT_EQ(sizeof(Value), 16u); }

TEST(ValueTest, KindNames) {
  EXPECT_EQ(KindName(Kind::kNull), "null");
  EXPECT_EQ(KindName(Kind::kBoolean), "boolean");
  EXPECT_EQ(KindName(Kind::kNumber), "number");
  EXPECT_EQ(KindName(Kind::kString), "string");
  EXPECT_EQ(KindName(Kind::kArray), "array");
  EXPECT_EQ(KindName(Kind::kObject), "object");
  EXPECT_EQ(KindName(Kind::kSet), "set");
}

// Sizes from 0xFFFF up are kept after the header instead of in it.
TEST(ValueTest, LargeStringsKeepTheirBytesAndLength) {
  std::string ascii(70000, 'a');
  std::string mixed = std::string(70000, 'b') + "\xc3\xa9";  // one 2-byte rune
  Value a = Str(ascii), m = Str(mixed);
  EXPECT_EQ(a.string(), ascii);
  EXPECT_EQ(a.size(), 70000u);
  EXPECT_EQ(m.string(), mixed);
  EXPECT_EQ(m.size(), 70001u);
  EXPECT_EQ(a, Str(ascii));
  EXPECT_EQ(a.Hash(), Str(ascii).Hash());
  EXPECT_LT(a, m);
}

TEST(ValueTest, LargeCollectionsKeepTheirElements) {
  constexpr int64_t kN = 70000;
  std::vector<Value> elems;
  std::vector<ObjectEntry> entries;
  for (int64_t i = 0; i < kN; ++i) {
    elems.push_back(Value::Int(i));
    entries.emplace_back(Str(absl::StrCat("key-", i)), Value::Int(i));
  }
  Value array = Value::Array(elems);
  Value set = Value::Set(elems);
  Value object = Value::Object(entries);
  ASSERT_EQ(array.size(), static_cast<size_t>(kN));
  EXPECT_EQ(*array.At(kN - 1), Value::Int(kN - 1));
  EXPECT_EQ(array.At(kN), nullptr);
  EXPECT_EQ(set.size(), static_cast<size_t>(kN));
  EXPECT_TRUE(set.Contains(Value::Int(kN - 1)));
  EXPECT_FALSE(set.Contains(Value::Int(kN)));
  EXPECT_EQ(object.size(), static_cast<size_t>(kN));
  ASSERT_NE(object.Find("key-69999"), nullptr);
  EXPECT_EQ(*object.Find("key-69999"), Value::Int(69999));
  EXPECT_EQ(*object.Find(Str("key-0")), Value::Int(0));
  EXPECT_EQ(object.Find("key-70000"), nullptr);
  EXPECT_EQ(array, Value::Array(elems));
}

TEST(ValueTest, EntriesViewWalksKeysWithTheirValues) {
  Value o = Value::Object({{Str("b"), Value::Int(2)}, {Str("a"), Value::Int(1)}});
  EntriesView es = o.entries();
  ASSERT_EQ(es.size(), 2u);
  EXPECT_EQ(es[0].first, Str("a"));
  EXPECT_EQ(es[0].second, Value::Int(1));
  EXPECT_EQ(es.back().first, Str("b"));
  EXPECT_EQ(es.end() - es.begin(), 2);
  auto it = es.begin();
  EXPECT_EQ(it->second, Value::Int(1));
  ++it;
  EXPECT_EQ((*it).first, Str("b"));
  // The references are the object's own.
  EXPECT_EQ(&es[1].second, o.Find("b"));
  std::vector<ObjectEntry> copy = es.ToVector();
  EXPECT_EQ(Value::Object(copy), o);
}

TEST(ValueTest, ScalarsDoNotAllocate) {
  EXPECT_EQ(Value::Null().rep(), nullptr);
  EXPECT_EQ(Value::Bool(true).rep(), nullptr);
  EXPECT_EQ(Value::Int(-5).rep(), nullptr);
  EXPECT_EQ(Num("123").rep(), nullptr);
  EXPECT_NE(Num("1.5").rep(), nullptr);
}

TEST(ValueTest, OrderAcrossKinds) {
  std::vector<Value> ordered = {
      Value::Null(),
      Value::Bool(false),
      Value::Bool(true),
      Value::Int(-1),
      Num("0.5"),
      Value::Int(1),
      Str(""),
      Str("a"),
      Str("b"),
      Value::Array({}),
      Value::Array({Value::Int(1)}),
      Value::Array({Value::Int(1), Value::Int(0)}),
      Value::Array({Value::Int(2)}),
      Value::Object({}),
      Value::Object({{Str("a"), Value::Int(1)}}),
      Value::Object({{Str("a"), Value::Int(1)}, {Str("b"), Value::Int(0)}}),
      Value::Object({{Str("a"), Value::Int(2)}}),
      Value::Object({{Str("b"), Value::Int(0)}}),
      Value::Set({}),
      Value::Set({Value::Int(1)}),
      Value::Set({Value::Int(1), Value::Int(2)}),
      Value::Set({Value::Int(2)}),
  };
  for (size_t i = 0; i < ordered.size(); ++i) {
    for (size_t j = 0; j < ordered.size(); ++j) {
      int want = i < j ? -1 : (i > j ? 1 : 0);
      EXPECT_EQ(ordered[i].Compare(ordered[j]), want)
          << ordered[i].ToRego() << " vs " << ordered[j].ToRego();
    }
  }
}

TEST(ValueTest, ShortStringsAreInlineAndLongOnesShared) {
  std::string thirteen(13, 'x'), fourteen(14, 'x');
  Value a = Str(thirteen);
  Value b = Str(fourteen);
  EXPECT_EQ(a.rep(), nullptr);
  EXPECT_NE(b.rep(), nullptr);
  EXPECT_EQ(a.string(), thirteen);
  EXPECT_EQ(b.string(), fourteen);
  Value a2 = a;
  Value b2 = b;
  EXPECT_EQ(a2.string(), thirteen);
  EXPECT_EQ(b2.rep(), b.rep());
  EXPECT_LT(a, b);
  EXPECT_EQ(Str(std::string_view("a\0b", 3)).string(), std::string_view("a\0b", 3));
  EXPECT_EQ(Str("").string(), "");
  EXPECT_EQ(Str("").Hash(), Str(std::string()).Hash());
  a = b;
  EXPECT_EQ(a.string(), fourteen);
  b = Str("short");
  EXPECT_EQ(b.string(), "short");
  EXPECT_EQ(a2.string(), thirteen);
}

TEST(ValueTest, StringsCompareBytewise) {
  EXPECT_LT(Str("Z"), Str("a"));
  EXPECT_LT(Str("a"), Str("\xc3\xa9"));  // bytes >= 0x80 sort after ASCII
}

TEST(ValueTest, StringSizeCountsCodePoints) {
  EXPECT_EQ(Str("h\xc3\xa9llo").size(), 5u);
  EXPECT_EQ(Str("\xf0\x9f\x98\x80").size(), 1u);
  EXPECT_EQ(Str("").size(), 0u);
}

TEST(ValueTest, SetSortsAndDeduplicates) {
  Value s = Value::Set({Value::Int(3), Value::Int(1), Num("3.0"), Value::Int(2)});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.elements()[0], Value::Int(1));
  EXPECT_EQ(s.elements()[2], Value::Int(3));
  EXPECT_TRUE(s.Contains(Value::Int(2)));
  EXPECT_TRUE(s.Contains(Num("2.0")));
  EXPECT_FALSE(s.Contains(Value::Int(4)));
  EXPECT_FALSE(Value::Int(1).Contains(Value::Int(1)));
}

TEST(ValueTest, ObjectSortsAndLastDuplicateWins) {
  Value o = Value::Object(
      {{Str("b"), Value::Int(1)}, {Str("a"), Value::Int(2)}, {Str("b"), Value::Int(3)}});
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o.entries()[0].first, Str("a"));
  ASSERT_NE(o.Find("b"), nullptr);
  EXPECT_EQ(*o.Find("b"), Value::Int(3));
  EXPECT_EQ(*o.Find(Str("a")), Value::Int(2));
  EXPECT_EQ(o.Find("c"), nullptr);
  EXPECT_EQ(Value::Int(1).Find("a"), nullptr);
}

TEST(ValueTest, LargeUnsortedObjectLastDuplicateWins) {
  std::vector<ObjectEntry> entries;
  for (int i = 40; i >= 0; --i) entries.emplace_back(Str(absl::StrCat("k", i % 20)), Value::Int(i));
  Value o = Value::Object(entries);
  ASSERT_EQ(o.size(), 20u);
  for (size_t i = 1; i < o.size(); ++i) EXPECT_LT(o.entries()[i - 1].first, o.entries()[i].first);
  // Entries came in descending order, so the last one for "k<j>" holds j.
  for (int j = 0; j < 20; ++j) EXPECT_EQ(*o.Find(absl::StrCat("k", j)), Value::Int(j));
}

TEST(ValueTest, ObjectWithNonStringKeys) {
  Value o = Value::Object({{Value::Int(1), Str("one")}, {Str("1"), Str("string one")},
                           {Value::Null(), Str("null")}});
  EXPECT_EQ(*o.Find(Value::Int(1)), Str("one"));
  EXPECT_EQ(*o.Find(Num("1.0")), Str("one"));
  EXPECT_EQ(*o.Find("1"), Str("string one"));
  EXPECT_EQ(*o.Find(Value::Null()), Str("null"));
  EXPECT_EQ(o.Find(Value::Bool(true)), nullptr);
}

TEST(ValueTest, LargeObjectAndSetLookups) {
  std::vector<ObjectEntry> entries;
  std::vector<Value> elems;
  for (int i = 0; i < 200; ++i) {
    entries.emplace_back(Str(absl::StrCat("key", i)), Value::Int(i));
    elems.push_back(Value::Int(i * 2));
  }
  entries.emplace_back(Value::Int(7), Str("seven"));
  Value o = Value::Object(entries);
  Value s = Value::Set(elems);
  for (int i = 0; i < 200; ++i) {
    const Value* v = o.Find(absl::StrCat("key", i));
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(*v, Value::Int(i));
    EXPECT_EQ(*o.Find(Str(absl::StrCat("key", i))), Value::Int(i));
    EXPECT_TRUE(s.Contains(Value::Int(i * 2)));
    EXPECT_TRUE(s.Contains(Num(std::to_string(i * 2) + ".0")));
    EXPECT_FALSE(s.Contains(Value::Int(i * 2 + 1)));
  }
  EXPECT_EQ(o.Find("key200"), nullptr);
  EXPECT_EQ(*o.Find(Value::Int(7)), Str("seven"));
  EXPECT_EQ(*o.Find(Num("7e0")), Str("seven"));
  EXPECT_EQ(o.Find("7"), nullptr);
}

TEST(ValueTest, ArrayAt) {
  Value a = Value::Array({Value::Int(1), Str("x")});
  EXPECT_EQ(*a.At(1), Str("x"));
  EXPECT_EQ(a.At(2), nullptr);
  EXPECT_EQ(a.At(-1), nullptr);
  EXPECT_EQ(Str("x").At(0), nullptr);
}

TEST(ValueTest, HashConsistentWithEquality) {
  std::vector<std::pair<Value, Value>> equal = {
      {Value::Int(1), Num("1.0")},
      {Value::Int(100), Num("1e2")},
      {Value::Int(0), Num("-0")},
      {Num("0.5"), Num("5e-1")},
      {Num("123456789012345678901234567890"), Num("1.2345678901234567890123456789e29")},
      {Str("abc"), Str(std::string("abc"))},
      {Value::Array({Value::Int(1)}), Value::Array({Num("1.00")})},
      {Value::Set({Value::Int(1), Value::Int(2)}), Value::Set({Num("2.0"), Value::Int(1)})},
      {Value::Object({{Value::Int(1), Value::Int(2)}}), Value::Object({{Num("1.0"), Num("2.0")}})},
  };
  for (const auto& [a, b] : equal) {
    EXPECT_EQ(a, b) << a.ToRego() << " vs " << b.ToRego();
    EXPECT_EQ(a.Hash(), b.Hash()) << a.ToRego() << " vs " << b.ToRego();
  }
  EXPECT_NE(Value::Array({}).Hash(), Value::Set({}).Hash());
}

TEST(ValueTest, CopiesShareAndOutliveOriginal) {
  Value copy;
  {
    Value a = Value::Array({Str("shared")});
    copy = a;
    Value moved = std::move(a);
    EXPECT_TRUE(a.is_null());
    EXPECT_EQ(moved, copy);
  }
  EXPECT_EQ(copy.elements()[0].string(), "shared");
}

}  // namespace
}  // namespace policyd
