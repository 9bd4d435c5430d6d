#include "engine/value/arena.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "engine/value/value.h"

namespace policyd::value_internal {

namespace {
// Chunks are this size and aligned to it; a representation of at least
// kOwnChunkFrom bytes gets a chunk of its own (a multiple of the size).
constexpr size_t kChunkBytes = size_t{1} << 18;
constexpr size_t kOwnChunkFrom = size_t{1} << 14;
}  // namespace

// A block of representations. It lives while any of them does, plus while
// its Arena may still allocate from it.
class ArenaChunk {
 public:
  static ArenaChunk* New(size_t bytes) {
    size_t total = (sizeof(ArenaChunk) + bytes + kChunkBytes - 1) & ~(kChunkBytes - 1);
    void* mem = std::aligned_alloc(kChunkBytes, total);
    if (mem == nullptr) throw std::bad_alloc();
    return new (mem) ArenaChunk(total - sizeof(ArenaChunk));
  }
  static ArenaChunk* Of(const Rep* rep) {
    return reinterpret_cast<ArenaChunk*>(reinterpret_cast<uintptr_t>(rep) & ~(kChunkBytes - 1));
  }
  void Release() {
    if (live_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      this->~ArenaChunk();
      std::free(this);
    }
  }
  void Retain() { live_.fetch_add(1, std::memory_order_relaxed); }

  // Null when `bytes` do not fit.
  void* TryAllocate(size_t bytes) {
    if (capacity_ - used_ < bytes) return nullptr;
    void* p = reinterpret_cast<char*>(this + 1) + used_;
    used_ += bytes;
    return p;
  }

 private:
  explicit ArenaChunk(size_t capacity) : capacity_(capacity) {}

  std::atomic<int64_t> live_{1};  // representations, +1 while the Arena fills it
  size_t capacity_;
  size_t used_ = 0;
};
static_assert(sizeof(ArenaChunk) % 8 == 0);

Arena::~Arena() {
  if (current_ != nullptr) current_->Release();
}

void* Arena::Allocate(size_t bytes) {
  bytes = (bytes + 7) & ~size_t{7};
  if (bytes >= kOwnChunkFrom) {
    // Its representation is the chunk's only one; the Arena keeps no hold.
    return ArenaChunk::New(bytes)->TryAllocate(bytes);
  }
  if (current_ != nullptr) {
    if (void* p = current_->TryAllocate(bytes)) return p;
    current_->Release();
  }
  current_ = ArenaChunk::New(kChunkBytes - sizeof(ArenaChunk));
  return current_->TryAllocate(bytes);
}

void Arena::Adopt(Rep* rep) {
  rep->flags |= kInArena;
  // A chunk of its own already counts its one representation.
  if (ArenaChunk::Of(rep) == current_) current_->Retain();
}

void ReleaseArenaRep(const Rep* rep) { ArenaChunk::Of(rep)->Release(); }

}  // namespace policyd::value_internal
