#include "engine/value/value.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

#include "absl/hash/hash.h"
#include "engine/value/rep.h"
#include "engine/value/utf8.h"

namespace policyd {

using value_internal::NumberRep;
using value_internal::PayloadSize;
using value_internal::PayloadValues;
using value_internal::Rep;

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBoolean:
      return "boolean";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kArray:
      return "array";
    case Kind::kObject:
      return "object";
    case Kind::kSet:
      return "set";
  }
  return "unknown";
}

namespace value_internal {

namespace {

// Frees the memory of a representation whose contents are destroyed.
void FreeRep(const Rep* rep) {
  if (rep->flags & kInArena) {
    ReleaseArenaRep(rep);
  } else {
    ::operator delete(const_cast<Rep*>(rep));
  }
}

bool IsAscii(std::string_view s) {
  size_t i = 0;
  uint64_t high = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    high |= w;
  }
  for (; i < s.size(); ++i) high |= static_cast<unsigned char>(s[i]);
  return (high & 0x8080808080808080ULL) == 0;
}

void DestroyValues(const Value* values, size_t n) {
  for (size_t i = 0; i < n; ++i) values[i].~Value();
}

// Moves `n` Values to `to` (uninitialised), leaving `from` null. Values are
// relocatable as bytes, and a null Value is all zero bytes.
void RelocateValues(Value* from, size_t n, void* to) {
  // Word by word: most collections are small, where calls to memcpy and
  // memset cost more than the copy.
  auto* src = reinterpret_cast<uint64_t*>(static_cast<void*>(from));
  auto* dst = static_cast<uint64_t*>(to);
  for (size_t i = 0; i < 2 * n; ++i) {
    dst[i] = src[i];
    src[i] = 0;
  }
}

void* AllocateRep(size_t bytes, Arena* arena) {
  return arena != nullptr ? arena->Allocate(bytes) : ::operator new(bytes);
}

// Rep `rep` is constructed; makes it the arena's when there is one.
Rep* Adopted(Rep* rep, Arena* arena) {
  if (arena != nullptr) arena->Adopt(rep);
  return rep;
}

}  // namespace

Rep* MakeStringRep(std::string_view s, Arena* arena) {
  auto* rep = new (AllocateRep(HeaderBytes(s.size()) + s.size(), arena)) Rep(Kind::kString);
  if (IsAscii(s)) rep->flags |= kAscii;
  if (!s.empty()) std::memcpy(SetPayloadSize(rep, s.size()), s.data(), s.size());
  return Adopted(rep, arena);
}

size_t HashBytes(std::string_view s) { return absl::Hash<std::string_view>{}(s); }

// Open addressing with linear probing over positions of a sorted sequence
// (IndexSlotCount slots). It lives inside its collection's representation,
// its slots right after it (see CollectionBytes), and needs no destruction.
class HashIndex {
 public:
  template <typename HashAt>
  HashIndex(size_t n, HashAt hash_at) : mask_(IndexSlotCount(n) - 1) {
    uint32_t* slots = Slots();
    std::fill(slots, slots + mask_ + 1, 0u);
    for (size_t i = 0; i < n; ++i) {
      size_t s = hash_at(i) & mask_;
      while (slots[s] != 0) s = (s + 1) & mask_;
      slots[s] = static_cast<uint32_t>(i + 1);
    }
  }

  // Returns the position for which `match(position)` holds, or -1.
  template <typename Match>
  int64_t Lookup(size_t h, Match match) const {
    for (size_t s = h & mask_;; s = (s + 1) & mask_) {
      uint32_t slot = Slots()[s];
      if (slot == 0) return -1;
      if (match(slot - 1)) return slot - 1;
    }
  }

 private:
  // Position + 1 per slot; 0 marks an empty slot.
  uint32_t* Slots() const {
    return reinterpret_cast<uint32_t*>(const_cast<HashIndex*>(this) + 1);
  }
  size_t mask_;
};
static_assert(sizeof(HashIndex) == sizeof(size_t));

// Builds the index over `n` keys (or set elements) at `at`, when there are
// enough of them to need one (see CollectionBytes).
void BuildIndex(const Value* keys, size_t n, HashIndex* at) {
  if (n < kHashIndexThreshold) return;
  new (at) HashIndex(n, [&](size_t i) { return keys[i].Hash(); });
}

namespace {

const HashIndex* SetIndex(const Rep* set) {
  size_t n = PayloadSize(set);
  return n >= kHashIndexThreshold ? IndexAt(PayloadValues(set), n) : nullptr;
}

}  // namespace

void ReleaseShape(const Shape* shape) {
  if (shape->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  DestroyValues(Keys(shape), PayloadSize(shape));
  FreeRep(shape);
}

Value MakeSequence(Kind kind, absl::Span<Value> elems, Arena* arena) {
  size_t n = elems.size();
  auto* rep = new (AllocateRep(CollectionBytes(n, n, kind == Kind::kSet), arena)) Rep(kind);
  auto* out = reinterpret_cast<Value*>(SetPayloadSize(rep, n));
  RelocateValues(elems.data(), n, out);
  if (kind == Kind::kSet) BuildIndex(out, n, IndexAt(out, n));
  return Value(Adopted(rep, arena));
}

Value MakeObject(absl::Span<ObjectEntry> entries, Arena* arena) {
  size_t n = entries.size();
  auto* rep = new (AllocateRep(CollectionBytes(n, 2 * n, true), arena)) Rep(Kind::kObject);
  auto* keys = reinterpret_cast<Value*>(SetPayloadSize(rep, n));
  for (size_t i = 0; i < n; ++i) {
    RelocateValues(&entries[i].first, 1, keys + i);
    RelocateValues(&entries[i].second, 1, keys + n + i);
  }
  BuildIndex(keys, n, IndexAt(keys, 2 * n));
  return Value(Adopted(rep, arena));
}

const Shape* MakeShape(absl::Span<const ObjectEntry> entries, Arena* arena) {
  size_t n = entries.size();
  auto* shape = new (AllocateRep(CollectionBytes(n, n, true), arena)) Shape(Kind::kObject);
  auto* keys = reinterpret_cast<Value*>(SetPayloadSize(shape, n));
  for (size_t i = 0; i < n; ++i) new (keys + i) Value(entries[i].first);
  BuildIndex(keys, n, IndexAt(keys, n));
  return Adopted(shape, arena);
}

Value MakeShapedObject(const Shape* shape, absl::Span<ObjectEntry> entries, Arena* arena) {
  shape->refs.fetch_add(1, std::memory_order_relaxed);
  void* mem = AllocateRep(sizeof(ShapedObjectRep) + entries.size() * sizeof(Value), arena);
  auto* rep = new (mem) ShapedObjectRep(shape);
  for (size_t i = 0; i < entries.size(); ++i) {
    RelocateValues(&entries[i].second, 1, rep->values() + i);
  }
  return Value(Adopted(rep, arena));
}

void Destroy(const Rep* rep) {
  switch (rep->kind) {
    case Kind::kNumber:
      delete static_cast<const NumberRep*>(rep);
      return;
    case Kind::kString:
      FreeRep(rep);
      return;
    case Kind::kArray:
      DestroyValues(PayloadValues(rep), PayloadSize(rep));
      FreeRep(rep);
      return;
    case Kind::kSet:
      DestroyValues(PayloadValues(rep), PayloadSize(rep));
      FreeRep(rep);
      return;
    case Kind::kObject: {
      if (rep->flags & kShaped) {
        const auto* o = static_cast<const ShapedObjectRep*>(rep);
        DestroyValues(o->values(), PayloadSize(o->shape));
        ReleaseShape(o->shape);
        FreeRep(o);
        return;
      }
      DestroyValues(PayloadValues(rep), 2 * PayloadSize(rep));
      FreeRep(rep);
      return;
    }
    case Kind::kNull:
    case Kind::kBoolean:
      return;
  }
}

}  // namespace value_internal

// ---- lifetime ----

Value::Value(const value_internal::Rep* rep) noexcept
    : kind_(rep->kind), inline_int_(false), rep_(rep) {}

// ---- constructors ----

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBoolean;
  v.int_ = 0;
  v.bool_ = b;
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.kind_ = Kind::kNumber;
  v.inline_int_ = true;
  v.int_ = i;
  return v;
}

Value Value::String(std::string s) { return String(std::string_view(s)); }

// Inline strings keep every byte past their text zero, so that equal short
// strings are equal as bytes (Find relies on it).
Value Value::LongString(std::string_view s) {
  // String() writes short strings from byte 3 on.
  static_assert(offsetof(Value, small_head_) == 3, "inline strings start at byte 3");
  return Value(value_internal::MakeStringRep(s, nullptr));
}

Value Value::Array(std::vector<Value> elems) {
  return value_internal::MakeSequence(Kind::kArray, absl::MakeSpan(elems), nullptr);
}

Value Value::Set(std::vector<Value> elems) {
  bool strictly_sorted = true;
  for (size_t i = 1; i < elems.size() && strictly_sorted; ++i) {
    strictly_sorted = elems[i - 1] < elems[i];
  }
  if (!strictly_sorted) {
    std::sort(elems.begin(), elems.end());
    elems.erase(std::unique(elems.begin(), elems.end()), elems.end());
  }
  return SetFromSorted(std::move(elems));
}

Value Value::SetFromSorted(std::vector<Value> elems) {
  return value_internal::MakeSequence(Kind::kSet, absl::MakeSpan(elems), nullptr);
}

namespace value_internal {

namespace {

// Sorts entries by key (stably) and keeps the last of equal keys. `cmp`
// orders keys like Value::Compare.
template <typename KeyCompare>
size_t SortEntries(absl::Span<ObjectEntry> entries, KeyCompare cmp) {
  auto key_less = [&](const ObjectEntry& a, const ObjectEntry& b) {
    return cmp(a.first, b.first) < 0;
  };
  if (entries.size() <= 16) {
    // Insertion sort: stable, no buffer, fast for the usual small object.
    for (size_t i = 1; i < entries.size(); ++i) {
      for (size_t j = i; j > 0 && key_less(entries[j], entries[j - 1]); --j) {
        std::swap(entries[j], entries[j - 1]);
      }
    }
  } else {
    std::stable_sort(entries.begin(), entries.end(), key_less);
  }
  size_t out = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i + 1 < entries.size() && cmp(entries[i].first, entries[i + 1].first) == 0) continue;
    if (out != i) entries[out] = std::move(entries[i]);
    ++out;
  }
  return out;
}

}  // namespace

size_t NormalizeEntries(absl::Span<ObjectEntry> entries) {
  // Input often arrives sorted already (our own output, generated data),
  // and keys are nearly always strings, which compare without dispatch.
  bool string_keys = true;
  bool strictly_sorted = true;
  for (size_t i = 0; i < entries.size(); ++i) {
    string_keys = string_keys && entries[i].first.is_string();
    if (i > 0 && strictly_sorted) strictly_sorted = entries[i - 1].first < entries[i].first;
  }
  if (strictly_sorted) return entries.size();
  if (string_keys) {
    return SortEntries(entries, [](const Value& a, const Value& b) {
      return a.string().compare(b.string());
    });
  }
  return SortEntries(entries, [](const Value& a, const Value& b) { return a.Compare(b); });
}

}  // namespace value_internal

Value Value::Object(std::vector<ObjectEntry> entries) {
  entries.resize(value_internal::NormalizeEntries(absl::MakeSpan(entries)));
  return ObjectFromSorted(std::move(entries));
}

Value Value::ObjectFromSorted(std::vector<ObjectEntry> entries) {
  return value_internal::MakeObject(absl::MakeSpan(entries), nullptr);
}

// ---- inspection ----

namespace {

// An object's keys, values and the index over its keys, wherever its
// layout keeps them. Inlined: it is the first step of every lookup.
struct ObjectLayout {
  const Value* keys;
  const Value* values;
  size_t size;
  const value_internal::HashIndex* index() const;
  const Rep* key_owner;  // the object, or its shape
  size_t values_per_key;
  EntriesView view() const { return EntriesView(keys, values, size); }
};

const value_internal::HashIndex* ObjectLayout::index() const {
  return value_internal::KeyIndex(key_owner, values_per_key);
}

[[gnu::always_inline]] inline ObjectLayout LayoutOf(const Rep* rep) {
  if (rep->flags & value_internal::kShaped) {
    const auto* o = static_cast<const value_internal::ShapedObjectRep*>(rep);
    return {value_internal::Keys(o->shape), o->values(), PayloadSize(o->shape), o->shape, 1};
  }
  size_t n = PayloadSize(rep);
  const Value* keys = value_internal::Keys(rep);
  return {keys, keys + n, n, rep, 2};
}

}  // namespace

EntriesView Value::entries() const { return LayoutOf(rep_).view(); }

std::vector<ObjectEntry> EntriesView::ToVector() const {
  std::vector<ObjectEntry> out;
  out.reserve(size_);
  for (size_t i = 0; i < size_; ++i) out.emplace_back(key(i), value(i));
  return out;
}

size_t Value::size() const {
  switch (kind_) {
    case Kind::kString: {
      if (!inline_int_ && (rep_->flags & value_internal::kAscii)) return PayloadSize(rep_);
      return utf8::RuneCount(string());
    }
    case Kind::kArray:
    case Kind::kSet:
      return PayloadSize(rep_);
    case Kind::kObject:
      return LayoutOf(rep_).size;
    default:
      return 0;
  }
}

namespace {

// Order of an object key against a string key, without building a Value.
int CompareKeyToString(const Value& key, std::string_view s) {
  if (key.kind() != Kind::kString) return key.kind() < Kind::kString ? -1 : 1;
  int c = key.string().compare(s);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Position of the first key not ordered before the probe (`cmp(key)` < 0
// means before), binary search.
template <typename KeyCompare>
size_t LowerBound(const EntriesView& es, KeyCompare cmp) {
  size_t lo = 0, hi = es.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cmp(es.key(mid)) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace

namespace {

// Find for keys that are not short strings, and for objects of more than
// eight keys; kept out of line so that the common case needs no stack frame.
[[gnu::noinline]] const Value* FindInLargeObject(const Rep* rep, const Value& key) {
  const ObjectLayout o = LayoutOf(rep);
  const EntriesView es = o.view();
  if (const value_internal::HashIndex* index = o.index()) {
    // Hash() of a string is HashBytes of its bytes; called directly here.
    size_t hash = key.is_string() ? value_internal::HashBytes(key.string()) : key.Hash();
    int64_t pos = index->Lookup(hash, [&](size_t i) { return es.key(i) == key; });
    return pos < 0 ? nullptr : &es.value(pos);
  }
  size_t pos = LowerBound(es, [&](const Value& k) { return k.Compare(key); });
  if (pos == es.size() || es.key(pos) != key) return nullptr;
  return &es.value(pos);
}

[[gnu::noinline]] const Value* FindInLargeObject(const Rep* rep, std::string_view key) {
  const ObjectLayout o = LayoutOf(rep);
  if (const value_internal::HashIndex* index = o.index()) {
    int64_t pos = index->Lookup(value_internal::HashBytes(key), [&](size_t i) {
      const Value& k = o.keys[i];
      return k.is_string() && k.string() == key;
    });
    return pos < 0 ? nullptr : o.values + pos;
  }
  const EntriesView es = o.view();
  size_t pos = LowerBound(es, [&](const Value& k) { return CompareKeyToString(k, key); });
  if (pos == es.size() || CompareKeyToString(es.key(pos), key) != 0) return nullptr;
  return &es.value(pos);
}

}  // namespace

// Objects of up to this many keys are searched by a scan: most policy
// lookups are of a field in a small object, where a scan that rejects keys
// on their first bytes beats hashing or a binary search.
constexpr size_t kScanMax = 8;

const Value* Value::Find(const Value& key) const {
  if (kind_ != Kind::kObject) return nullptr;
  // A short string key is 16 bytes with zero padding (see String): it is
  // compared as whole Values.
  if (key.kind_ == Kind::kString && key.inline_int_) {
    const ObjectLayout o = LayoutOf(rep_);
    if (o.size <= kScanMax) {
      for (size_t i = 0; i < o.size; ++i) {
        if (std::memcmp(o.keys + i, &key, sizeof(Value)) == 0) return o.values + i;
      }
      return nullptr;
    }
  }
  return FindInLargeObject(rep_, key);
}

const Value* Value::Find(std::string_view key) const {
  // A short key is found as the Value it would be (see Find(const Value&)).
  if (key.size() <= kSmallStringMax) return Find(String(key));
  if (kind_ != Kind::kObject) return nullptr;
  const ObjectLayout o = LayoutOf(rep_);
  if (o.size > kScanMax) return FindInLargeObject(rep_, key);
  for (size_t i = 0; i < o.size; ++i) {
    const Value& k = o.keys[i];
    if (k.kind_ == Kind::kString && !k.inline_int_ && k.string() == key) return o.values + i;
  }
  return nullptr;
}

bool Value::Contains(const Value& elem) const {
  if (kind_ != Kind::kSet) return false;
  absl::Span<const Value> elems = elements();
  if (const value_internal::HashIndex* index = value_internal::SetIndex(rep_)) {
    return index->Lookup(elem.Hash(), [&](size_t i) { return elems[i] == elem; }) >= 0;
  }
  return std::binary_search(elems.begin(), elems.end(), elem);
}

const Value* Value::At(int64_t index) const {
  if (kind_ != Kind::kArray) return nullptr;
  absl::Span<const Value> elems = elements();
  if (index < 0 || static_cast<uint64_t>(index) >= elems.size()) return nullptr;
  return &elems[index];
}

// ---- order and hash ----

namespace {

template <typename T>
int Sign(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareSequences(absl::Span<const Value> a, absl::Span<const Value> b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (int c = a[i].Compare(b[i])) return c;
  }
  return Sign(a.size(), b.size());
}

}  // namespace

int Value::Compare(const Value& other) const {
  if (kind_ != other.kind_) return Sign(kind_, other.kind_);
  switch (kind_) {
    case Kind::kNull:
      return 0;
    case Kind::kBoolean:
      return Sign(bool_, other.bool_);
    case Kind::kNumber:
      if (inline_int_ && other.inline_int_) return Sign(int_, other.int_);
      return value_internal::CompareNumbers(*this, other);
    case Kind::kString: {
      int c = string().compare(other.string());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Kind::kArray:
    case Kind::kSet:
      if (rep_ == other.rep_) return 0;
      return CompareSequences(elements(), other.elements());
    case Kind::kObject: {
      if (rep_ == other.rep_) return 0;
      // OPA: keys in sorted order pairwise, each key then its value; then
      // the object with fewer keys first.
      const EntriesView a = entries();
      const EntriesView b = other.entries();
      size_t n = std::min(a.size(), b.size());
      for (size_t i = 0; i < n; ++i) {
        if (int c = a[i].first.Compare(b[i].first)) return c;
        if (int c = a[i].second.Compare(b[i].second)) return c;
      }
      return Sign(a.size(), b.size());
    }
  }
  return 0;
}

size_t Value::Hash() const {
  using value_internal::CombineHash;
  using value_internal::MixHash;
  switch (kind_) {
    case Kind::kNull:
      return 0x6e756c6cULL;
    case Kind::kBoolean:
      return bool_ ? 0x74727565ULL : 0x66616c73ULL;
    case Kind::kNumber:
      if (inline_int_) return MixHash(static_cast<uint64_t>(int_));
      return value_internal::HashNumber(*this);
    case Kind::kString:
      return value_internal::HashBytes(string());
    case Kind::kArray:
    case Kind::kSet: {
      size_t h = static_cast<size_t>(kind_);
      for (const Value& e : elements()) h = CombineHash(h, e.Hash());
      return h;
    }
    case Kind::kObject: {
      size_t h = static_cast<size_t>(kind_);
      for (const auto& [k, v] : entries()) h = CombineHash(CombineHash(h, k.Hash()), v.Hash());
      return h;
    }
  }
  return 0;
}

static_assert(sizeof(Value) == 16, "Value must stay two words");

}  // namespace policyd
