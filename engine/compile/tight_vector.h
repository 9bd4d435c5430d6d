// A vector in 16 bytes (pointer, 32-bit size and capacity) instead of
// std::vector's 24, for the lists a plan holds by the hundred thousand (a
// term's items). It offers the part of std::vector's interface the compiler
// and evaluator use; T may be incomplete where TightVector<T> is declared.
// MoveInto places the elements in a PlanArena for good (see plan_arena.h):
// the vector then owns the elements but not their memory.
#ifndef POLICYD_ENGINE_COMPILE_TIGHT_VECTOR_H_
#define POLICYD_ENGINE_COMPILE_TIGHT_VECTOR_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <utility>

#include "engine/compile/plan_arena.h"

namespace policyd::plan {

template <typename T>
class TightVector {
 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;

  TightVector() = default;
  TightVector(const TightVector& other) { CopyFrom(other); }
  TightVector(TightVector&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  TightVector& operator=(const TightVector& other) {
    if (this != &other) {
      Release();
      CopyFrom(other);
    }
    return *this;
  }
  TightVector& operator=(TightVector&& other) noexcept {
    if (this != &other) {
      Release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  ~TightVector() { Release(); }

  size_t size() const { return size_; }
  size_t capacity() const { return capacity_ & ~kInArena; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

  void push_back(T&& v) { emplace_back(std::move(v)); }
  void push_back(const T& v) { emplace_back(v); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    // Made before growing: an argument may refer to an element.
    T v(std::forward<Args>(args)...);
    if (size_ == capacity()) Reallocate(size_ == 0 ? 1 : 2 * static_cast<size_t>(size_));
    return *new (data_ + size_++) T(std::move(v));
  }
  void pop_back() { data_[--size_].~T(); }
  void reserve(size_t n) {
    if (n > capacity()) Reallocate(n);
  }
  void shrink_to_fit() {
    if (capacity() != size_) Reallocate(size_);
  }
  // Moves the elements into `arena`, exactly as many as there are. Growing
  // afterwards moves them back to the heap (the arena keeps its copy).
  void MoveInto(PlanArena& arena) {
    if (in_arena()) return;
    if (size_ == 0) {
      Release();
      return;
    }
    T* placed = static_cast<T*>(arena.Allocate(size_ * sizeof(T), alignof(T)));
    for (uint32_t i = 0; i < size_; ++i) {
      new (placed + i) T(std::move(data_[i]));
      data_[i].~T();
    }
    FreeStorage();
    data_ = placed;
    capacity_ = size_ | kInArena;
  }
  bool in_arena() const { return (capacity_ & kInArena) != 0; }

 private:
  // The top bit of capacity_: the elements' memory belongs to an arena.
  static constexpr uint32_t kInArena = 1u << 31;

  void Reallocate(size_t n) {
    // Sizes are bounded by the source size limits, far below 2^31 items.
    if (n >= kInArena) std::abort();
    T* fresh = n == 0 ? nullptr : static_cast<T*>(::operator new(n * sizeof(T)));
    for (uint32_t i = 0; i < size_; ++i) {
      new (fresh + i) T(std::move(data_[i]));
      data_[i].~T();
    }
    FreeStorage();
    data_ = fresh;
    capacity_ = static_cast<uint32_t>(n);
  }
  void CopyFrom(const TightVector& other) {
    if (other.size_ == 0) return;
    data_ = static_cast<T*>(::operator new(other.size_ * sizeof(T)));
    capacity_ = other.size_;
    for (; size_ < other.size_; ++size_) new (data_ + size_) T(other.data_[size_]);
  }
  void FreeStorage() {
    if (!in_arena()) ::operator delete(data_);
  }
  void Release() {
    std::destroy(begin(), end());
    FreeStorage();
    data_ = nullptr;
    size_ = capacity_ = 0;
  }

  T* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
};

}  // namespace policyd::plan

#endif  // POLICYD_ENGINE_COMPILE_TIGHT_VECTOR_H_
