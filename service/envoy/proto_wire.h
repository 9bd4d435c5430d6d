// Reads the fields of one protobuf message from its wire encoding, without
// a schema and without copying: length-delimited fields are views into the
// bytes. The ext_authz hot path decodes CheckRequest with it straight into
// the input document, skipping protobuf's message objects.
#ifndef POLICYD_SERVICE_ENVOY_PROTO_WIRE_H_
#define POLICYD_SERVICE_ENVOY_PROTO_WIRE_H_

#include <cstdint>
#include <string_view>

namespace policyd {

class WireReader {
 public:
  enum class Type : uint8_t { kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5 };

  explicit WireReader(std::string_view bytes) : rest_(bytes) {}

  // Moves to the next field; false at the end of the bytes or when they are
  // malformed (then ok() is false). Group fields are malformed here.
  bool Next() {
    if (rest_.empty() || !ok_) return false;
    uint64_t tag;
    if (!ReadVarint(&tag) || (tag >> 3) == 0 || (tag >> 3) > UINT32_MAX) return Fail();
    field_ = static_cast<uint32_t>(tag >> 3);
    type_ = static_cast<Type>(tag & 7);
    switch (type_) {
      case Type::kVarint:
        return ReadVarint(&varint_) || Fail();
      case Type::kFixed64:
        return Skip(8);
      case Type::kFixed32:
        return Skip(4);
      case Type::kBytes: {
        uint64_t n;
        if (!ReadVarint(&n) || n > rest_.size()) return Fail();
        bytes_ = rest_.substr(0, n);
        rest_.remove_prefix(n);
        return true;
      }
    }
    return Fail();
  }

  bool ok() const { return ok_; }
  uint32_t field() const { return field_; }
  Type type() const { return type_; }
  // The current field's value, as its wire type holds it: varint() for
  // kVarint (0 otherwise), bytes() for kBytes (empty otherwise).
  uint64_t varint() const { return type_ == Type::kVarint ? varint_ : 0; }
  std::string_view bytes() const { return type_ == Type::kBytes ? bytes_ : std::string_view(); }

 private:
  bool Fail() {
    ok_ = false;
    return false;
  }

  bool Skip(size_t n) {
    if (rest_.size() < n) return Fail();
    rest_.remove_prefix(n);
    return true;
  }

  bool ReadVarint(uint64_t* out) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && !rest_.empty(); shift += 7) {
      auto byte = static_cast<uint8_t>(rest_.front());
      rest_.remove_prefix(1);
      v |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        *out = v;
        return true;
      }
    }
    return false;
  }

  std::string_view rest_;
  bool ok_ = true;
  uint32_t field_ = 0;
  Type type_ = Type::kVarint;
  uint64_t varint_ = 0;
  std::string_view bytes_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_ENVOY_PROTO_WIRE_H_
