#include "engine/value/document_builder.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/value/json.h"
#include "gtest/gtest.h"

namespace policyd::value_internal {
namespace {

constexpr size_t kLarge = DocumentBuilder::kArenaFrom;

Value Str(std::string_view s) { return Value::String(s); }

// A record {"email": ..., "groups": [...], "id": n} built by `builder`.
Value Record(DocumentBuilder& builder, int n) {
  std::vector<Value> groups = {builder.String("group-1"), builder.String("group-2")};
  std::vector<ObjectEntry> entries;
  entries.emplace_back(Str("email"), builder.String(absl::StrCat("user", n, "@example.com")));
  entries.emplace_back(Str("groups"), builder.Array(absl::MakeSpan(groups)));
  entries.emplace_back(Str("id"), Value::Int(n));
  return builder.ObjectFromSorted(absl::MakeSpan(entries));
}

Value HeapRecord(int n) {
  return Value::Object({{Str("email"), Str(absl::StrCat("user", n, "@example.com"))},
                        {Str("groups"), Value::Array({Str("group-1"), Str("group-2")})},
                        {Str("id"), Value::Int(n)}});
}

TEST(DocumentBuilderTest, ObjectsWithTheSameKeysShareThem) {
  DocumentBuilder builder(kLarge);
  Value a = Record(builder, 1), b = Record(builder, 2);
  EXPECT_EQ(&a.entries().key(0), &b.entries().key(0));
  EXPECT_NE(&a.entries().value(0), &b.entries().value(0));
}

TEST(DocumentBuilderTest, SmallDocumentsAreOrdinaryValues) {
  DocumentBuilder builder(100);
  Value a = Record(builder, 1), b = Record(builder, 2);
  EXPECT_NE(&a.entries().key(0), &b.entries().key(0));
  EXPECT_EQ(a, HeapRecord(1));
}

TEST(DocumentBuilderTest, SharedKeyObjectsBehaveLikeAnyObject) {
  DocumentBuilder builder(kLarge);
  Value shaped = Record(builder, 12345);
  Value heap = HeapRecord(12345);
  EXPECT_EQ(shaped, heap);
  EXPECT_EQ(shaped.Compare(heap), 0);
  EXPECT_EQ(shaped.Hash(), heap.Hash());
  EXPECT_EQ(shaped.size(), 3u);
  EXPECT_EQ(*shaped.Find("id"), Value::Int(12345));
  EXPECT_EQ(*shaped.Find(Str("email")), Str("user12345@example.com"));
  EXPECT_EQ(shaped.Find("missing"), nullptr);
  EXPECT_EQ(shaped.Find(Value::Int(1)), nullptr);
  EXPECT_LT(shaped, Record(builder, 12346));
  EXPECT_EQ(shaped.ToJson(), heap.ToJson());
}

TEST(DocumentBuilderTest, ManyKeysAreFoundThroughTheSharedIndex) {
  DocumentBuilder builder(kLarge);
  std::vector<ObjectEntry> entries;
  for (int i = 0; i < 40; ++i) {
    entries.emplace_back(Str(absl::StrCat("k", 100 + i)), Value::Int(i));
  }
  std::vector<ObjectEntry> copy = entries;
  Value o = builder.ObjectFromSorted(absl::MakeSpan(entries));
  for (int i = 0; i < 40; ++i) {
    const Value* found = o.Find(absl::StrCat("k", 100 + i));
    ASSERT_NE(found, nullptr) << i;
    EXPECT_EQ(*found, Value::Int(i));
  }
  EXPECT_EQ(o.Find("k99"), nullptr);
  EXPECT_EQ(o, Value::Object(copy));
}

TEST(DocumentBuilderTest, StringsKeepTheirLength) {
  DocumentBuilder builder(kLarge);
  Value s = builder.String("caf\xc3\xa9 au lait, s'il vous pla\xc3\xaet");
  EXPECT_EQ(s, Str("caf\xc3\xa9 au lait, s'il vous pla\xc3\xaet"));
  EXPECT_EQ(s.size(), 29u);
  Value big = builder.String(std::string(100000, 'x'));
  EXPECT_EQ(big.size(), 100000u);
  EXPECT_EQ(big, Str(std::string(100000, 'x')));
}

// A value taken out of a document stays valid after the document and the
// builder are gone: each chunk lives while any value in it does.
TEST(DocumentBuilderTest, ValuesOutliveTheirDocument) {
  std::vector<Value> kept;
  {
    DocumentBuilder builder(kLarge);
    std::vector<Value> records;
    for (int i = 0; i < 20000; ++i) records.push_back(Record(builder, i));
    Value document = builder.Array(absl::MakeSpan(records));
    kept.push_back(*document.At(0));
    kept.push_back(*document.At(19999)->Find("groups"));
  }
  EXPECT_EQ(kept[0], HeapRecord(0));
  EXPECT_EQ(kept[1], Value::Array({Str("group-1"), Str("group-2")}));
}

TEST(DocumentBuilderTest, LargeParsedDocumentsRoundTrip) {
  std::string text = "{\"big\": [";
  for (int i = 0; i < 70000; ++i) {
    if (i > 0) text += ",";
    absl::StrAppend(&text, "{\"n\":", i, ",\"name\":\"item number ", i, "\"}");
  }
  text += "], \"long\": \"" + std::string(70000, 'z') + "\"}";
  absl::StatusOr<Value> parsed = ParseJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const Value* big = parsed->Find("big");
  ASSERT_NE(big, nullptr);
  ASSERT_EQ(big->size(), 70000u);
  EXPECT_EQ(*big->At(69999)->Find("name"), Str("item number 69999"));
  EXPECT_EQ(parsed->Find("long")->size(), 70000u);
  absl::StatusOr<Value> again = ParseJson(parsed->ToJson());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *parsed);
}

}  // namespace
}  // namespace policyd::value_internal
