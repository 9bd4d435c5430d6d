#include "engine/value/arena.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include <sys/mman.h>
#include <unistd.h>

#include "engine/value/value.h"

namespace policyd::value_internal {

namespace {
// Chunks are mapped from the kernel, aligned to kChunkBytes, so that pages
// a document leaves unused never become resident and a freed chunk goes
// straight back. A representation of at least kOwnChunkFrom bytes gets a
// chunk of its own, just big enough.
constexpr size_t kChunkBytes = size_t{1} << 20;
constexpr size_t kOwnChunkFrom = size_t{1} << 16;

size_t PageRound(size_t n) {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return (n + page - 1) & ~(page - 1);
}

// `bytes` (page-rounded) of fresh memory at a kChunkBytes boundary.
void* MapAligned(size_t bytes) {
  size_t span = bytes + kChunkBytes;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + kChunkBytes - 1) & ~(kChunkBytes - 1);
  if (aligned > start) munmap(raw, aligned - start);
  uintptr_t end = start + span;
  if (end > aligned + bytes) munmap(reinterpret_cast<void*>(aligned + bytes), end - aligned - bytes);
  return reinterpret_cast<void*>(aligned);
}
}  // namespace

// A block of representations. It lives while any of them does, plus while
// its Arena may still allocate from it.
class ArenaChunk {
 public:
  // A chunk with room for `bytes`.
  static ArenaChunk* New(size_t bytes) {
    size_t mapped = PageRound(sizeof(ArenaChunk) + bytes);
    return new (MapAligned(mapped)) ArenaChunk(mapped);
  }
  static ArenaChunk* Of(const Rep* rep) {
    return reinterpret_cast<ArenaChunk*>(reinterpret_cast<uintptr_t>(rep) & ~(kChunkBytes - 1));
  }
  void Release() {
    if (live_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      size_t mapped = mapped_;
      this->~ArenaChunk();
      munmap(this, mapped);
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
  explicit ArenaChunk(size_t mapped)
      : mapped_(mapped), capacity_(mapped - sizeof(ArenaChunk)) {}

  std::atomic<int64_t> live_{1};  // representations, +1 while the Arena fills it
  const size_t mapped_;
  const size_t capacity_;
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
