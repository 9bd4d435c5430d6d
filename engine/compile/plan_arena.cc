#include "engine/compile/plan_arena.h"

#include <cstdint>
#include <cstring>
#include <new>

namespace policyd::plan {

PlanArena::~PlanArena() {
  for (void* block : blocks_) ::operator delete(block);
}

void* PlanArena::Allocate(size_t bytes, size_t align) {
  uintptr_t at = (reinterpret_cast<uintptr_t>(next_) + align - 1) & ~(uintptr_t{align} - 1);
  if (next_ != nullptr && at + bytes <= reinterpret_cast<uintptr_t>(end_)) {
    next_ = reinterpret_cast<char*>(at + bytes);
    return reinterpret_cast<void*>(at);
  }
  // Blocks come from operator new, aligned for any fundamental type.
  if (bytes > next_block_size_ / 4) {
    void* own = ::operator new(bytes);
    blocks_.push_back(own);
    reserved_ += bytes;
    return own;
  }
  char* block = static_cast<char*>(::operator new(next_block_size_));
  blocks_.push_back(block);
  reserved_ += next_block_size_;
  next_ = block + bytes;
  end_ = block + next_block_size_;
  if (next_block_size_ < kLargestBlock) next_block_size_ *= 2;
  return block;
}

std::string_view PlanArena::CopyString(std::string_view s) {
  if (s.empty()) return {};
  char* copy = static_cast<char*>(Allocate(s.size(), 1));
  std::memcpy(copy, s.data(), s.size());
  return std::string_view(copy, s.size());
}

}  // namespace policyd::plan
