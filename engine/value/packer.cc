#include "engine/value/packer.h"

#include <vector>

#include "engine/value/rep.h"

namespace policyd {

Value ValuePacker::Pack(const Value& v, int depth) {
  const value_internal::Rep* rep = v.rep();
  if (rep == nullptr || (rep->flags & value_internal::kInArena) != 0 || depth >= kMaxDepth) {
    return v;
  }
  switch (v.kind()) {
    case Kind::kString:
      return Value(value_internal::MakeStringRep(v.string(), &arena_));
    case Kind::kArray:
    case Kind::kSet: {
      std::vector<Value> elems;
      elems.reserve(v.elements().size());
      for (const Value& e : v.elements()) elems.push_back(Pack(e, depth + 1));
      return value_internal::MakeSequence(v.kind(), absl::MakeSpan(elems), &arena_);
    }
    case Kind::kObject: {
      std::vector<ObjectEntry> entries;
      entries.reserve(v.size());
      for (const auto& [key, value] : v.entries()) {
        entries.emplace_back(Pack(key, depth + 1), Pack(value, depth + 1));
      }
      return value_internal::MakeObject(absl::MakeSpan(entries), &arena_);
    }
    default:
      return v;  // a number's representation: rare in a plan, and shared
  }
}

}  // namespace policyd
