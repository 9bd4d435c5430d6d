// Memory for a compiled module set's plan, taken in large blocks and given
// back all at once when the set is dropped. A plan is built by appending to
// many small vectors, in between the parse trees and the compiler's
// scratch; once compiled it never changes. Moving it into an arena packs it
// into few pages, without a malloc header per vector: the pages the parse
// trees and scratch used are then wholly free and go back to the system.
//
// The arena runs no destructors: what is placed in it is destroyed in place
// by its owner (TightVector, Boxed), and the arena must outlive the owners.
// Not thread-safe; it is used only while compiling.
#ifndef POLICYD_ENGINE_COMPILE_PLAN_ARENA_H_
#define POLICYD_ENGINE_COMPILE_PLAN_ARENA_H_

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace policyd::plan {

class PlanArena {
 public:
  PlanArena() = default;
  PlanArena(const PlanArena&) = delete;
  PlanArena& operator=(const PlanArena&) = delete;
  ~PlanArena();

  // `bytes` of uninitialised memory aligned to `align` (a power of two, at
  // most alignof(std::max_align_t)), valid until the arena is destroyed.
  void* Allocate(size_t bytes, size_t align);

  // A copy of `s` that lives as long as the arena.
  std::string_view CopyString(std::string_view s);

  // Bytes taken from the system for blocks so far.
  size_t reserved_bytes() const { return reserved_; }

 private:
  // Blocks grow from kFirstBlock to kLargestBlock, so that a small module
  // set keeps little and a large one few blocks; an allocation larger than
  // a quarter of a block gets a block of its own.
  static constexpr size_t kFirstBlock = 16 * 1024;
  static constexpr size_t kLargestBlock = 1024 * 1024;

  std::vector<void*> blocks_;
  char* next_ = nullptr;
  char* end_ = nullptr;
  size_t next_block_size_ = kFirstBlock;
  size_t reserved_ = 0;
};

// A standard allocator over a PlanArena, for containers of the plan (the
// rule tree's maps); with no arena it uses the heap. Freeing into the arena
// does nothing: its memory goes with the arena.
template <typename T>
class ArenaAllocator {
 public:
  using value_type = T;
  explicit ArenaAllocator(PlanArena* arena = nullptr) : arena_(arena) {}
  template <typename U>
  ArenaAllocator(const ArenaAllocator<U>& other) : arena_(other.arena()) {}  // NOLINT

  T* allocate(size_t n) {
    if (arena_ == nullptr) return std::allocator<T>().allocate(n);
    return static_cast<T*>(arena_->Allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T* p, size_t n) {
    if (arena_ == nullptr) std::allocator<T>().deallocate(p, n);
  }
  PlanArena* arena() const { return arena_; }

  friend bool operator==(const ArenaAllocator& a, const ArenaAllocator& b) {
    return a.arena_ == b.arena_;
  }
  friend bool operator!=(const ArenaAllocator& a, const ArenaAllocator& b) { return !(a == b); }

 private:
  PlanArena* arena_;
};

}  // namespace policyd::plan

#endif  // POLICYD_ENGINE_COMPILE_PLAN_ARENA_H_
