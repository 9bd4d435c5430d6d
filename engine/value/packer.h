// Copies long-lived values (a compiled policy's constants) into shared
// arena chunks (see arena.h), so that they sit together instead of spread
// over the heap pages a compile's scratch used, each pinning a page the
// scratch left otherwise free.
#ifndef POLICYD_ENGINE_VALUE_PACKER_H_
#define POLICYD_ENGINE_VALUE_PACKER_H_

#include "engine/value/arena.h"
#include "engine/value/value.h"

namespace policyd {

class ValuePacker {
 public:
  // Values nested deeper than this are shared as they are, not copied:
  // packing is a convenience, and it must not recurse without a bound.
  static constexpr int kMaxDepth = 32;

  ValuePacker() = default;
  ValuePacker(const ValuePacker&) = delete;
  ValuePacker& operator=(const ValuePacker&) = delete;

  // An equal value whose strings, arrays, sets and objects live in the
  // packer's chunks; the chunks outlive the packer (each goes with the last
  // value in it). Numbers, booleans, null and short strings are copied as
  // they are.
  Value Pack(const Value& v) { return Pack(v, 0); }

 private:
  Value Pack(const Value& v, int depth);

  value_internal::Arena arena_;
};

}  // namespace policyd

#endif  // POLICYD_ENGINE_VALUE_PACKER_H_
