// Builds the values of one parsed document (private to engine/value; the
// JSON reader uses it). A large document goes into an Arena, and its
// objects share one key list per shape: the records of a data set nearly
// always have the same few keys, so each record keeps only its values. A
// small one (a request body) is built from ordinary allocations, as
// Value's own constructors build it.
#ifndef POLICYD_ENGINE_VALUE_DOCUMENT_BUILDER_H_
#define POLICYD_ENGINE_VALUE_DOCUMENT_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "engine/value/arena.h"
#include "engine/value/rep.h"
#include "engine/value/value.h"

namespace policyd::value_internal {

class DocumentBuilder {
 public:
  // Documents of at least this many bytes of text go into an Arena.
  static constexpr size_t kArenaFrom = 64 * 1024;

  explicit DocumentBuilder(size_t text_size);
  ~DocumentBuilder();
  DocumentBuilder(const DocumentBuilder&) = delete;
  DocumentBuilder& operator=(const DocumentBuilder&) = delete;

  Value String(std::string_view s);
  // Takes the elements (moves them out of `elems`).
  Value Array(absl::Span<Value> elems);
  // `entries` must be sorted by key with unique string keys (see
  // NormalizeEntries); they are moved out.
  Value ObjectFromSorted(absl::Span<ObjectEntry> entries);

 private:
  const Shape* ShapeFor(absl::Span<const ObjectEntry> entries);
  void AddShapeSlot(size_t position);

  const bool use_arena_;
  Arena arena_;
  // Shapes made so far; the builder holds one reference on each.
  std::vector<const Shape*> shapes_;
  std::vector<size_t> shape_hashes_;   // of shapes_[i]'s keys
  std::vector<uint32_t> shape_slots_;  // open addressing: position + 1
};

}  // namespace policyd::value_internal

#endif  // POLICYD_ENGINE_VALUE_DOCUMENT_BUILDER_H_
