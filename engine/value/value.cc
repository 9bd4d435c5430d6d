#include "engine/value/value.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>

#include "absl/hash/hash.h"
#include "engine/value/rep.h"
#include "engine/value/utf8.h"

namespace policyd {

using value_internal::ArrayRep;
using value_internal::NumberRep;
using value_internal::ObjectRep;
using value_internal::Rep;
using value_internal::SetRep;
using value_internal::StringRep;

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

StringRep* StringRep::Make(std::string_view s) {
  void* mem = ::operator new(sizeof(StringRep) + s.size());
  auto* rep = new (mem) StringRep(s.size(), utf8::RuneCount(s));
  std::memcpy(reinterpret_cast<char*>(rep + 1), s.data(), s.size());
  return rep;
}

void StringRep::Free(const StringRep* rep) {
  rep->~StringRep();
  ::operator delete(const_cast<StringRep*>(rep));
}

size_t HashBytes(std::string_view s) { return absl::Hash<std::string_view>{}(s); }

// Open addressing with linear probing over positions of a sorted vector;
// the table is at least twice the element count, so probes stay short.
class HashIndex {
 public:
  template <typename HashAt>
  HashIndex(size_t n, HashAt hash_at) {
    size_t cap = 1;
    while (cap < 2 * n) cap <<= 1;
    mask_ = cap - 1;
    slots_.assign(cap, 0);
    for (size_t i = 0; i < n; ++i) {
      size_t s = hash_at(i) & mask_;
      while (slots_[s] != 0) s = (s + 1) & mask_;
      slots_[s] = static_cast<uint32_t>(i + 1);
    }
  }

  // Returns the position for which `match(position)` holds, or -1.
  template <typename Match>
  int64_t Lookup(size_t h, Match match) const {
    for (size_t s = h & mask_;; s = (s + 1) & mask_) {
      uint32_t slot = slots_[s];
      if (slot == 0) return -1;
      if (match(slot - 1)) return slot - 1;
    }
  }

 private:
  std::vector<uint32_t> slots_;  // position + 1; 0 marks an empty slot
  size_t mask_;
};

SetRep::SetRep(std::vector<Value> e) : Rep(Kind::kSet), elems(std::move(e)) {
  if (elems.size() >= kHashIndexThreshold) {
    index = std::make_unique<HashIndex>(elems.size(),
                                        [&](size_t i) { return elems[i].Hash(); });
  }
}
SetRep::~SetRep() = default;

ObjectRep::ObjectRep(std::vector<ObjectEntry> e)
    : Rep(Kind::kObject), entries(std::move(e)) {
  if (entries.size() >= kHashIndexThreshold) {
    index = std::make_unique<HashIndex>(
        entries.size(), [&](size_t i) { return entries[i].first.Hash(); });
  }
}
ObjectRep::~ObjectRep() = default;

void Destroy(const Rep* rep) {
  switch (rep->kind) {
    case Kind::kNumber:
      delete static_cast<const NumberRep*>(rep);
      return;
    case Kind::kString:
      StringRep::Free(static_cast<const StringRep*>(rep));
      return;
    case Kind::kArray:
      delete static_cast<const ArrayRep*>(rep);
      return;
    case Kind::kObject:
      delete static_cast<const ObjectRep*>(rep);
      return;
    case Kind::kSet:
      delete static_cast<const SetRep*>(rep);
      return;
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
Value Value::String(std::string_view s) {
  static_assert(offsetof(Value, small_head_) == 3, "inline strings start at byte 3");
  if (s.size() > kSmallStringMax) return Value(StringRep::Make(s));
  Value v;
  v.kind_ = Kind::kString;
  v.inline_int_ = true;
  v.small_len_ = static_cast<uint8_t>(s.size());
  if (!s.empty()) std::memcpy(reinterpret_cast<char*>(&v) + 3, s.data(), s.size());
  return v;
}

Value Value::Array(std::vector<Value> elems) {
  return Value(new ArrayRep(std::move(elems)));
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
  return Value(new SetRep(std::move(elems)));
}

namespace {

// Sorts entries by key (stably) and keeps the last of equal keys. `cmp`
// orders keys like Value::Compare.
template <typename KeyCompare>
void SortEntries(std::vector<ObjectEntry>& entries, KeyCompare cmp) {
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
  entries.resize(out);
}

}  // namespace

Value Value::Object(std::vector<ObjectEntry> entries) {
  // Input often arrives sorted already (our own output, generated data),
  // and keys are nearly always strings, which compare without dispatch.
  bool string_keys = true;
  bool strictly_sorted = true;
  for (size_t i = 0; i < entries.size(); ++i) {
    string_keys = string_keys && entries[i].first.is_string();
    if (i > 0 && strictly_sorted) strictly_sorted = entries[i - 1].first < entries[i].first;
  }
  if (strictly_sorted) return ObjectFromSorted(std::move(entries));
  if (string_keys) {
    SortEntries(entries, [](const Value& a, const Value& b) {
      return a.string().compare(b.string());
    });
  } else {
    SortEntries(entries, [](const Value& a, const Value& b) { return a.Compare(b); });
  }
  return ObjectFromSorted(std::move(entries));
}

Value Value::ObjectFromSorted(std::vector<ObjectEntry> entries) {
  return Value(new ObjectRep(std::move(entries)));
}

// ---- inspection ----

const std::vector<Value>& Value::elements() const {
  if (kind_ == Kind::kArray) return static_cast<const ArrayRep*>(rep_)->elems;
  return static_cast<const SetRep*>(rep_)->elems;
}

const std::vector<ObjectEntry>& Value::entries() const {
  return static_cast<const ObjectRep*>(rep_)->entries;
}

size_t Value::size() const {
  switch (kind_) {
    case Kind::kString:
      if (inline_int_) return utf8::RuneCount(string());
      return static_cast<const StringRep*>(rep_)->code_points;
    case Kind::kArray:
      return static_cast<const ArrayRep*>(rep_)->elems.size();
    case Kind::kSet:
      return static_cast<const SetRep*>(rep_)->elems.size();
    case Kind::kObject:
      return static_cast<const ObjectRep*>(rep_)->entries.size();
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

}  // namespace

const Value* Value::Find(const Value& key) const {
  if (kind_ != Kind::kObject) return nullptr;
  const auto* r = static_cast<const ObjectRep*>(rep_);
  const auto& es = r->entries;
  // A short string key is 16 bytes with zero padding (see String): in a
  // small object it is found by comparing whole Values as bytes.
  if (key.kind_ == Kind::kString && key.inline_int_ && es.size() <= 8) {
    for (const ObjectEntry& e : es) {
      if (std::memcmp(&e.first, &key, sizeof(Value)) == 0) return &e.second;
    }
    return nullptr;
  }
  if (r->index) {
    int64_t pos = r->index->Lookup(key.Hash(), [&](size_t i) { return es[i].first == key; });
    return pos < 0 ? nullptr : &es[pos].second;
  }
  auto it = std::lower_bound(es.begin(), es.end(), key,
                             [](const ObjectEntry& e, const Value& k) { return e.first < k; });
  if (it == es.end() || it->first != key) return nullptr;
  return &it->second;
}

const Value* Value::Find(std::string_view key) const {
  if (kind_ != Kind::kObject) return nullptr;
  const auto* r = static_cast<const ObjectRep*>(rep_);
  const auto& es = r->entries;
  if (r->index) {
    int64_t pos = r->index->Lookup(value_internal::HashBytes(key), [&](size_t i) {
      return CompareKeyToString(es[i].first, key) == 0;
    });
    return pos < 0 ? nullptr : &es[pos].second;
  }
  // Small objects (the common shape of a request or a record): a linear
  // scan that rejects most keys on their length beats a binary search.
  if (es.size() <= 8) {
    for (const ObjectEntry& e : es) {
      if (e.first.kind() != Kind::kString) continue;
      std::string_view k = e.first.string();
      if (k.size() == key.size() && std::memcmp(k.data(), key.data(), k.size()) == 0) {
        return &e.second;
      }
    }
    return nullptr;
  }
  auto it = std::lower_bound(es.begin(), es.end(), key, [](const ObjectEntry& e, std::string_view k) {
    return CompareKeyToString(e.first, k) < 0;
  });
  if (it == es.end() || CompareKeyToString(it->first, key) != 0) return nullptr;
  return &it->second;
}

bool Value::Contains(const Value& elem) const {
  if (kind_ != Kind::kSet) return false;
  const auto* r = static_cast<const SetRep*>(rep_);
  if (r->index) {
    return r->index->Lookup(elem.Hash(), [&](size_t i) { return r->elems[i] == elem; }) >= 0;
  }
  return std::binary_search(r->elems.begin(), r->elems.end(), elem);
}

const Value* Value::At(int64_t index) const {
  if (kind_ != Kind::kArray) return nullptr;
  const auto& es = static_cast<const ArrayRep*>(rep_)->elems;
  if (index < 0 || static_cast<uint64_t>(index) >= es.size()) return nullptr;
  return &es[index];
}

// ---- order and hash ----

namespace {

template <typename T>
int Sign(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareSequences(const std::vector<Value>& a, const std::vector<Value>& b) {
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
      const auto& a = entries();
      const auto& b = other.entries();
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
