#include "engine/value/document_builder.h"

#include <algorithm>

namespace policyd::value_internal {

DocumentBuilder::DocumentBuilder(size_t text_size) : use_arena_(text_size >= kArenaFrom) {}

DocumentBuilder::~DocumentBuilder() {
  for (const Shape* shape : shapes_) ReleaseShape(shape);
}

Value DocumentBuilder::String(std::string_view s) {
  if (!use_arena_ || s.size() <= Value::kSmallStringMax) return Value::String(s);
  return Value(MakeStringRep(s, &arena_));
}

Value DocumentBuilder::Array(absl::Span<Value> elems) {
  return MakeSequence(Kind::kArray, elems, use_arena_ ? &arena_ : nullptr);
}

Value DocumentBuilder::ObjectFromSorted(absl::Span<ObjectEntry> entries) {
  if (!use_arena_) return MakeObject(entries, nullptr);
  return MakeShapedObject(ShapeFor(entries), entries, &arena_);
}

const Shape* DocumentBuilder::ShapeFor(absl::Span<const ObjectEntry> entries) {
  size_t h = entries.size();
  for (const ObjectEntry& e : entries) h = CombineHash(h, e.first.Hash());
  auto same_keys = [&](const Shape* shape) {
    if (PayloadSize(shape) != entries.size()) return false;
    const Value* keys = Keys(shape);
    for (size_t i = 0; i < entries.size(); ++i) {
      if (keys[i] != entries[i].first) return false;
    }
    return true;
  };
  if (!shape_slots_.empty()) {
    size_t mask = shape_slots_.size() - 1;
    for (size_t s = h & mask; shape_slots_[s] != 0; s = (s + 1) & mask) {
      const Shape* shape = shapes_[shape_slots_[s] - 1];
      if (same_keys(shape)) return shape;
    }
  }
  const Shape* shape = MakeShape(entries, &arena_);
  shapes_.push_back(shape);
  shape_hashes_.push_back(h);
  // Keep the table at most half full.
  if (shapes_.size() * 2 > shape_slots_.size()) {
    shape_slots_.assign(std::max<size_t>(16, shape_slots_.size() * 2), 0);
    for (size_t i = 0; i < shapes_.size(); ++i) AddShapeSlot(i);
  } else {
    AddShapeSlot(shapes_.size() - 1);
  }
  return shape;
}

void DocumentBuilder::AddShapeSlot(size_t position) {
  size_t mask = shape_slots_.size() - 1;
  size_t s = shape_hashes_[position] & mask;
  while (shape_slots_[s] != 0) s = (s + 1) & mask;
  shape_slots_[s] = static_cast<uint32_t>(position + 1);
}

}  // namespace policyd::value_internal
