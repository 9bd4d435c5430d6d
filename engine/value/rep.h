// Heap representations behind Value (private to engine/value). Each holds a
// value_internal::Rep header followed by its payload; Value holds one pointer.
#ifndef POLICYD_ENGINE_VALUE_REP_H_
#define POLICYD_ENGINE_VALUE_REP_H_

#include <gmp.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/value/value.h"

namespace policyd::value_internal {

// A string longer than Value's inline capacity: header and bytes in one
// allocation.
struct StringRep : StringHeader {
  static StringRep* Make(std::string_view s);
  static void Free(const StringRep* rep);
  std::string_view bytes() const { return {reinterpret_cast<const char*>(this + 1), size}; }

 private:
  StringRep(size_t n, size_t cps) : StringHeader(n, cps) {}
};
static_assert(sizeof(StringRep) == sizeof(StringHeader));

struct ArrayRep : Rep {
  explicit ArrayRep(std::vector<Value> e) : Rep(Kind::kArray), elems(std::move(e)) {}
  std::vector<Value> elems;
};

// Hash table of positions into a sorted vector, for large collections;
// defined in value.cc.
class HashIndex;

// Collections at or above this size get a HashIndex.
inline constexpr size_t kHashIndexThreshold = 16;

struct SetRep : Rep {
  explicit SetRep(std::vector<Value> e);
  ~SetRep();
  std::vector<Value> elems;  // sorted, unique
  std::unique_ptr<HashIndex> index;
};

struct ObjectRep : Rep {
  explicit ObjectRep(std::vector<ObjectEntry> e);
  ~ObjectRep();
  std::vector<ObjectEntry> entries;  // sorted by key, unique keys
  std::unique_ptr<HashIndex> index;
};

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
