// Value: an immutable Rego value (null, boolean, number, string, array, object,
// set), cheap to copy (16 bytes, intrusive reference count), with OPA's total
// order. Null, booleans and integers that fit in 64 bits never allocate.
//
// Numbers follow OPA: integers of any size and decimals stay exact; `1 == 1.0`;
// a number parsed from JSON or Rego text keeps its text for output when the
// value is passed through unchanged (as OPA's json.Number does).
#ifndef POLICYD_ENGINE_VALUE_VALUE_H_
#define POLICYD_ENGINE_VALUE_VALUE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/types/span.h"

namespace policyd {

// Kinds in OPA's sort order: null < boolean < number < string < array < object
// < set.
enum class Kind : uint8_t {
  kNull = 0,
  kBoolean = 1,
  kNumber = 2,
  kString = 3,
  kArray = 4,
  kObject = 5,
  kSet = 6,
};

// OPA's name for a kind, as `type_name` returns it ("null", "boolean",
// "number", "string", "array", "object", "set").
std::string_view KindName(Kind kind);

class Value;
using ObjectEntry = std::pair<Value, Value>;
class EntriesView;

namespace value_internal {
// Base of every heap representation; defined in value.cc.
struct Rep {
  mutable std::atomic<int32_t> refs{1};
  Kind kind;
  uint8_t flags = 0;  // RepFlag bits
  // The payload's size (bytes of a string, elements of an array or set,
  // keys of an object or shape) when it is below kLargeSizeFrom; otherwise
  // flag kLargeSize is set and the size is the 8 bytes after the header.
  uint16_t small_size = 0;
  explicit Rep(Kind k) : kind(k) {}
};
static_assert(sizeof(Rep) == 8);
enum RepFlag : uint8_t {
  kInArena = 1,    // allocated in an arena chunk, not on its own
  kAscii = 2,      // a string of ASCII bytes only (its size is its length)
  kShaped = 4,     // an object whose keys live in a shared Shape
  kLargeSize = 8,  // the size is stored after the header (see small_size)
};
inline constexpr size_t kLargeSizeFrom = 0xFFFF;
void Destroy(const Rep* rep);

// The size and payload of a string, array, set, object or shape (not of a
// shaped object, whose size is its shape's). Inline because string() and
// elements() are on every hot path.
inline size_t PayloadSize(const Rep* rep) {
  if (rep->flags & kLargeSize) {
    uint64_t n;
    std::memcpy(&n, rep + 1, sizeof n);
    return static_cast<size_t>(n);
  }
  return rep->small_size;
}
inline const char* Payload(const Rep* rep) {
  return reinterpret_cast<const char*>(rep + 1) + ((rep->flags & kLargeSize) ? 8 : 0);
}
}  // namespace value_internal

class Value {
 public:
  // Null.
  Value() noexcept : kind_(Kind::kNull), inline_int_(false), int_(0) {}
  Value(const Value& other) noexcept;
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other) noexcept;
  Value& operator=(Value&& other) noexcept;
  ~Value();

  // Constructors.
  static Value Null() { return Value(); }
  static Value Bool(bool b);
  static Value Int(int64_t i);
  // Parses a JSON/Rego number literal ("12", "-0.5", "1e400",
  // "123456789012345678901234567890"); the text is kept for output.
  // Returns nullopt when `text` is not a number literal.
  static std::optional<Value> NumberFromText(std::string_view text);
  // A number from a double (non-finite values are not numbers: nullopt).
  static std::optional<Value> Double(double d);
  // Strings of up to this many bytes are stored inside the Value (no
  // allocation).
  static constexpr size_t kSmallStringMax = 13;
  static Value String(std::string s);
  // Inline: short strings are made on every lookup of a constant key.
  static Value String(std::string_view s) {
    if (s.size() > kSmallStringMax) return LongString(s);
    Value v;
    v.kind_ = Kind::kString;
    v.inline_int_ = true;
    v.small_len_ = static_cast<uint8_t>(s.size());
    // Copies of fixed sizes (two that may overlap) rather than a call to
    // memcpy for a few bytes.
    char* out = reinterpret_cast<char*>(&v) + 3;
    const char* in = s.data();
    size_t n = s.size();
    if (n >= 8) {
      std::memcpy(out, in, 8);
      std::memcpy(out + n - 8, in + n - 8, 8);
    } else if (n >= 4) {
      std::memcpy(out, in, 4);
      std::memcpy(out + n - 4, in + n - 4, 4);
    } else {
      for (size_t i = 0; i < n; ++i) out[i] = in[i];
    }
    return v;
  }
  static Value String(const char* s) { return String(std::string_view(s)); }
  static Value Array(std::vector<Value> elems);
  // Sorts and removes duplicates.
  static Value Set(std::vector<Value> elems);
  // Sorts by key; when a key repeats, the last entry wins. Callers that must
  // detect conflicting keys check before building.
  static Value Object(std::vector<ObjectEntry> entries);
  // For callers that already hold sorted, unique elements/keys (no check).
  static Value SetFromSorted(std::vector<Value> elems);
  static Value ObjectFromSorted(std::vector<ObjectEntry> entries);

  // Inspection.
  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBoolean; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool is_set() const { return kind_ == Kind::kSet; }
  // Arrays, objects and sets.
  bool is_collection() const { return kind_ >= Kind::kArray; }

  // Precondition: is_bool().
  bool boolean() const { return bool_; }
  // Precondition: is_string().
  std::string_view string() const {
    if (inline_int_) return std::string_view(small_bytes(), small_len_);
    return std::string_view(value_internal::Payload(rep_), value_internal::PayloadSize(rep_));
  }
  // Elements of an array, or of a set in sorted order; valid while this
  // value lives. Precondition: is_array() || is_set().
  absl::Span<const Value> elements() const {
    return {reinterpret_cast<const Value*>(value_internal::Payload(rep_)),
            value_internal::PayloadSize(rep_)};
  }
  // Entries of an object sorted by key; valid while this value lives.
  // Precondition: is_object().
  EntriesView entries() const;
  // Number of elements, entries, or (for strings) Unicode code points.
  size_t size() const;

  // Object lookup by key; nullptr when absent or not an object.
  const Value* Find(const Value& key) const;
  const Value* Find(std::string_view key) const;
  // Set membership (false when not a set).
  bool Contains(const Value& elem) const;
  // Array element; nullptr when out of range or not an array.
  const Value* At(int64_t index) const;

  // Numbers. Precondition for all: is_number().
  // True and sets *out when the number is an integer that fits in int64.
  bool AsInt64(int64_t* out) const;
  // True when the number is mathematically an integer (of any size).
  bool IsInteger() const;
  // Nearest double (may be +-inf for huge values).
  double AsDouble() const;
  // Output text: the original literal when the number came from text, else
  // the canonical form OPA prints (integers in full, decimals shortest).
  std::string NumberText() const;

  // OPA's total order; numbers compare numerically with full precision.
  int Compare(const Value& other) const;
  // Equality is the hot comparison of policies (`x.role == "admin"`): the
  // common kinds are decided here without the full ordering.
  bool operator==(const Value& other) const {
    if (kind_ != other.kind_) return false;
    switch (kind_) {
      case Kind::kNull:
        return true;
      case Kind::kBoolean:
        return bool_ == other.bool_;
      case Kind::kString:
        if (inline_int_ && other.inline_int_) {
          // Inline strings are zero-padded (see String): equal as 16 bytes.
          uint64_t a[2], b[2];
          std::memcpy(a, this, sizeof(Value));
          std::memcpy(b, &other, sizeof(Value));
          return a[0] == b[0] && a[1] == b[1];
        }
        return string() == other.string();
      case Kind::kNumber:
        if (inline_int_ && other.inline_int_) return int_ == other.int_;
        return Compare(other) == 0;
      default:
        return Compare(other) == 0;
    }
  }
  bool operator!=(const Value& other) const { return !(*this == other); }
  bool operator<(const Value& other) const { return Compare(other) < 0; }
  // Consistent with Compare: equal values hash equally (1 and 1.0 too).
  size_t Hash() const;

  // Text: JSON (sets as arrays, non-string keys as their JSON text; the way
  // OPA's JSON encoding of results works) and Rego term syntax ({1, 2} for
  // sets, non-string keys kept) for messages and `input_term`.
  std::string ToJson() const;
  void AppendJson(std::string* out) const;
  std::string ToRego() const;
  void AppendRego(std::string* out) const;

  // For the number implementation in value.cc only.
  const value_internal::Rep* rep() const {
    return inline_int_ || kind_ < Kind::kNumber ? nullptr : rep_;
  }
  explicit Value(const value_internal::Rep* rep) noexcept;  // adopts one ref

 private:
  void Release() noexcept;
  void Retain() const noexcept;
  static Value LongString(std::string_view s);

  const char* small_bytes() const { return reinterpret_cast<const char*>(this) + 3; }

  Kind kind_;
  // For kNumber: true when the value is the inline int64 `int_`; for
  // kString: true when the string is inline (small_len_ bytes).
  bool inline_int_;
  uint8_t small_len_ = 0;
  char small_head_[5] = {};
  union {
    bool bool_;
    int64_t int_;
    const value_internal::Rep* rep_;
  };
};

// A key and its value inside an object, both owned by the object.
struct EntryRef {
  const Value& first;
  const Value& second;
};

// The sorted entries of an object, as (key, value) references: a view of
// the object's keys and, at the same positions, its values. (Objects of a
// parsed document share one key list per shape; see rep.h.)
class EntriesView {
 public:
  // A position in the entries; it does not refer to the view that made it.
  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = EntryRef;
    using difference_type = std::ptrdiff_t;
    using reference = EntryRef;
    struct pointer {
      EntryRef ref;
      const EntryRef* operator->() const { return &ref; }
    };

    iterator() = default;
    EntryRef operator*() const { return {*key_, *value_}; }
    pointer operator->() const { return {**this}; }
    EntryRef operator[](difference_type n) const { return *(*this + n); }
    iterator& operator+=(difference_type n) {
      key_ += n;
      value_ += n;
      return *this;
    }
    iterator& operator-=(difference_type n) { return *this += -n; }
    iterator& operator++() { return *this += 1; }
    iterator& operator--() { return *this += -1; }
    iterator operator++(int) {
      iterator t = *this;
      *this += 1;
      return t;
    }
    iterator operator--(int) {
      iterator t = *this;
      *this += -1;
      return t;
    }
    friend iterator operator+(iterator it, difference_type n) { return it += n; }
    friend iterator operator+(difference_type n, iterator it) { return it += n; }
    friend iterator operator-(iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const iterator& a, const iterator& b) {
      return a.key_ - b.key_;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.key_ == b.key_; }
    friend bool operator!=(const iterator& a, const iterator& b) { return a.key_ != b.key_; }
    friend bool operator<(const iterator& a, const iterator& b) { return a.key_ < b.key_; }
    friend bool operator>(const iterator& a, const iterator& b) { return a.key_ > b.key_; }
    friend bool operator<=(const iterator& a, const iterator& b) { return a.key_ <= b.key_; }
    friend bool operator>=(const iterator& a, const iterator& b) { return a.key_ >= b.key_; }

   private:
    friend class EntriesView;
    iterator(const Value* key, const Value* value) : key_(key), value_(value) {}
    const Value* key_ = nullptr;
    const Value* value_ = nullptr;
  };

  EntriesView(const Value* keys, const Value* values, size_t size)
      : keys_(keys), values_(values), size_(size) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Value& key(size_t i) const { return keys_[i]; }
  const Value& value(size_t i) const { return values_[i]; }
  EntryRef at(size_t i) const { return {key(i), value(i)}; }
  EntryRef operator[](size_t i) const { return at(i); }
  EntryRef front() const { return at(0); }
  EntryRef back() const { return at(size_ - 1); }
  iterator begin() const { return iterator(keys_, values_); }
  iterator end() const { return iterator(keys_ + size_, values_ + size_); }
  // Copies of the entries, for building a changed object.
  std::vector<ObjectEntry> ToVector() const;

 private:
  const Value* keys_;
  const Value* values_;
  size_t size_;
};

// A copy of a collection's elements, for building a changed collection.
inline std::vector<Value> CopyElements(absl::Span<const Value> elems) {
  return std::vector<Value>(elems.begin(), elems.end());
}

// Copies are on every hot path, so they are inline: 16 bytes and, for heap
// values, one relaxed increment. Inline strings use all 16 bytes.
inline void Value::Retain() const noexcept {
  if (const value_internal::Rep* r = rep()) r->refs.fetch_add(1, std::memory_order_relaxed);
}

inline void Value::Release() noexcept {
  if (const value_internal::Rep* r = rep()) {
    if (r->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) value_internal::Destroy(r);
  }
}

inline Value::Value(const Value& other) noexcept {
  std::memcpy(static_cast<void*>(this), &other, sizeof(Value));
  Retain();
}

inline Value::Value(Value&& other) noexcept {
  std::memcpy(static_cast<void*>(this), &other, sizeof(Value));
  new (&other) Value();
}

inline Value& Value::operator=(const Value& other) noexcept {
  if (this != &other) {
    other.Retain();
    Release();
    std::memcpy(static_cast<void*>(this), &other, sizeof(Value));
  }
  return *this;
}

inline Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) {
    Release();
    std::memcpy(static_cast<void*>(this), &other, sizeof(Value));
    new (&other) Value();
  }
  return *this;
}

inline Value::~Value() { Release(); }

// Hash functor for unordered containers.
struct ValueHash {
  size_t operator()(const Value& v) const { return v.Hash(); }
};

}  // namespace policyd

#endif  // POLICYD_ENGINE_VALUE_VALUE_H_
