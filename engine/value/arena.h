// Arena chunks for the values of large parsed documents (private to
// engine/value).
#ifndef POLICYD_ENGINE_VALUE_ARENA_H_
#define POLICYD_ENGINE_VALUE_ARENA_H_

#include <cstddef>

namespace policyd::value_internal {

struct Rep;

// Arena chunks. A large document parsed from JSON is laid out in chunks
// instead of one allocation per string, array and object: no allocator
// header or size rounding per value, and one free per chunk. Each
// representation in a chunk still has its own reference count; the chunk
// counts its live representations and is freed with the last of them, so a
// value taken out of a document may outlive the rest of it. Chunks are
// aligned to their size, so a representation finds its chunk from its own
// address.
class ArenaChunk;

// Allocates representations for one document (one thread at a time). The
// chunks outlive the Arena: each is freed when its last representation is.
class Arena {
 public:
  Arena() = default;
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Memory for a representation of `bytes` (8-byte aligned); the caller
  // constructs it and then calls Adopt.
  void* Allocate(size_t bytes);
  // Marks `rep`, constructed in memory from Allocate, as living in its chunk.
  void Adopt(Rep* rep);

 private:
  ArenaChunk* current_ = nullptr;
};

// Releases the chunk holding `rep` (after its contents were destroyed).
void ReleaseArenaRep(const Rep* rep);

}  // namespace policyd::value_internal

#endif  // POLICYD_ENGINE_VALUE_ARENA_H_
