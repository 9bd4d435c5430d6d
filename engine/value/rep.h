// Heap representations behind Value (private to engine/value). Each holds a
// value_internal::Rep header followed by its payload; Value holds one pointer.
#ifndef POLICYD_ENGINE_VALUE_REP_H_
#define POLICYD_ENGINE_VALUE_REP_H_

#include <gmp.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/types/span.h"

#include "engine/value/arena.h"
#include "engine/value/value.h"

namespace policyd::value_internal {

// Bytes of a header for a payload of size `n` (see Rep::small_size).
inline size_t HeaderBytes(size_t n) { return sizeof(Rep) + (n >= kLargeSizeFrom ? 8 : 0); }
// Records size `n` in a header made for it; returns where the payload goes.
inline char* SetPayloadSize(Rep* rep, size_t n) {
  if (n < kLargeSizeFrom) {
    rep->small_size = static_cast<uint16_t>(n);
    return reinterpret_cast<char*>(rep + 1);
  }
  rep->flags |= kLargeSize;
  uint64_t n64 = n;
  std::memcpy(reinterpret_cast<char*>(rep + 1), &n64, sizeof n64);
  return reinterpret_cast<char*>(rep + 1) + 8;
}
inline Value* PayloadValues(const Rep* rep) {
  return reinterpret_cast<Value*>(const_cast<char*>(Payload(rep)));
}

// Hash table of positions into a sorted sequence, for large collections;
// defined in value.cc.
class HashIndex;

// Collections at or above this size get a HashIndex.
inline constexpr size_t kHashIndexThreshold = 16;

// Layouts (all in one allocation, header first):
//   string         header, bytes
//   array, set     header, elements
//   object         header, sorted keys, their values
//   shape          header, sorted keys
//   shaped object  Rep, Shape pointer, values in key order
// A set, object or shape with at least kHashIndexThreshold keys (or
// elements) keeps its index right after its Values.

// Slots of the hash index over `n` keys: a power of two, at least 2n, so
// that probes stay short.
inline size_t IndexSlotCount(size_t n) {
  size_t slots = 1;
  while (slots < 2 * n) slots <<= 1;
  return slots;
}

// Bytes of a representation of size `n` (see PayloadSize) holding `values`
// Values and, when `indexed` and `n` is large enough, the index (its mask
// and slots): one allocation, so that an arena's collection keeps its index
// in the same chunk.
inline size_t CollectionBytes(size_t n, size_t values, bool indexed) {
  return HeaderBytes(n) + values * sizeof(Value) +
         (indexed && n >= kHashIndexThreshold
              ? sizeof(size_t) + IndexSlotCount(n) * sizeof(uint32_t)
              : 0);
}

// Where the index of a collection lives: after its `values` Values, which
// start at `first`.
inline HashIndex* IndexAt(const Value* first, size_t values) {
  return reinterpret_cast<HashIndex*>(const_cast<Value*>(first + values));
}

// The keys of an object (not shaped) or a shape, and their index.
inline const Value* Keys(const Rep* rep) { return PayloadValues(rep); }
// `values_per_key`: 2 for an object (keys and values), 1 for a shape.
inline const HashIndex* KeyIndex(const Rep* rep, size_t values_per_key) {
  size_t n = PayloadSize(rep);
  return n >= kHashIndexThreshold ? IndexAt(Keys(rep), values_per_key * n) : nullptr;
}

// The sorted string keys shared by the objects of one shape in a parsed
// document (every record of a data set usually has the same few keys).
// Reference-counted by those objects.
using Shape = Rep;

// An object of a Shape: its values only, in key order (flag kShaped).
struct ShapedObjectRep : Rep {
  explicit ShapedObjectRep(const Shape* s) : Rep(Kind::kObject), shape(s) {
    flags = kShaped;
  }
  Value* values() { return reinterpret_cast<Value*>(this + 1); }
  const Value* values() const { return reinterpret_cast<const Value*>(this + 1); }
  const Shape* shape;
};
static_assert(sizeof(ShapedObjectRep) == 16);

// Makes a string representation (on the heap when `arena` is null).
Rep* MakeStringRep(std::string_view s, Arena* arena);

// Makers of representations, on the heap when `arena` is null. Those that
// take Values move them out of their arguments.
// An array or set (kind) of `elems`; a set's must be sorted and unique.
Value MakeSequence(Kind kind, absl::Span<Value> elems, Arena* arena);
// An object of sorted entries with unique keys.
Value MakeObject(absl::Span<ObjectEntry> entries, Arena* arena);
// A shape of the keys of sorted, unique string-keyed `entries` (copied),
// with one reference for the caller (see ReleaseShape).
const Shape* MakeShape(absl::Span<const ObjectEntry> entries, Arena* arena);
void ReleaseShape(const Shape* shape);
// An object of `shape` whose values are those of `entries`, which have the
// shape's keys.
Value MakeShapedObject(const Shape* shape, absl::Span<ObjectEntry> entries, Arena* arena);

// Sorts object entries by key and keeps the last of equal keys, moving the
// survivors to the front; returns their count. Entries past it are left
// moved-from.
size_t NormalizeEntries(absl::Span<ObjectEntry> entries);

// A number that is not an inline int64: a big integer, a decimal, or an
// integer whose literal text is not canonical ("1.0", "1e3", "-0"). A
// number parsed from text computes its exact value on first use, so data
// that is only passed through never pays for it.
class NumberRep : public Rep {
 public:
  // From a literal that has been checked to be valid.
  explicit NumberRep(std::string literal);
  // A computed number: `fill` sets the exact value; `text` may be empty.
  template <typename Fill>
  NumberRep(std::string text_in, Fill fill) : Rep(Kind::kNumber), text(std::move(text_in)) {
    mpq_init(q_);
    fill(q_);
    std::call_once(ready_, [] {});
  }
  ~NumberRep() { mpq_clear(q_); }
  NumberRep(const NumberRep&) = delete;
  NumberRep& operator=(const NumberRep&) = delete;

  // Exact value, canonical form.
  mpq_srcptr exact() const;

  const std::string text;  // the literal it was parsed from; empty when computed

 private:
  mutable std::once_flag ready_;
  mutable mpq_t q_;
};

// Number order and hash (number.cc); Compare and Hash of Value use them.
int CompareNumbers(const Value& a, const Value& b);
size_t HashNumber(const Value& v);
// Hash of a string's bytes, shared by Value::Hash and Find(string_view).
size_t HashBytes(std::string_view s);
// Mixes a 64-bit integer into a well-spread hash.
inline size_t MixHash(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return static_cast<size_t>(x);
}
inline size_t CombineHash(size_t seed, size_t h) {
  return MixHash(seed * 0x9e3779b97f4a7c15ULL + h);
}

// Exact value of a number Value into `out` (initialised by the caller).
void NumberToMpq(const Value& v, mpq_t out);
// A computed number (no literal text); integers that fit int64 stay inline.
Value NumberFromMpq(const mpq_t q);
// A computed integer.
Value NumberFromMpz(const mpz_t z);

}  // namespace policyd::value_internal

#endif  // POLICYD_ENGINE_VALUE_REP_H_
