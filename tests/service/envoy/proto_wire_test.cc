#include "service/envoy/proto_wire.h"

#include <string>

#include "gtest/gtest.h"

namespace policyd {
namespace {

using Type = WireReader::Type;

TEST(WireReaderTest, ReadsEachWireType) {
  // field 1 varint 300, field 2 bytes "hi", field 3 fixed64, field 4 fixed32,
  // field 5 varint -1 (ten bytes).
  std::string bytes = std::string("\x08\xac\x02", 3) + "\x12\x02hi" +
                      std::string("\x19\x01\x02\x03\x04\x05\x06\x07\x08", 9) +
                      std::string("\x25\x01\x02\x03\x04", 5) +
                      std::string("\x28\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11);
  WireReader r(bytes);
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.field(), 1u);
  EXPECT_EQ(r.type(), Type::kVarint);
  EXPECT_EQ(r.varint(), 300u);
  EXPECT_EQ(r.bytes(), "");
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.field(), 2u);
  EXPECT_EQ(r.bytes(), "hi");
  EXPECT_EQ(r.varint(), 0u);
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.type(), Type::kFixed64);
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.type(), Type::kFixed32);
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.field(), 5u);
  EXPECT_EQ(static_cast<int64_t>(r.varint()), -1);
  EXPECT_FALSE(r.Next());
  EXPECT_TRUE(r.ok());
}

TEST(WireReaderTest, MalformedBytesStopTheReader) {
  for (std::string bad : {
           std::string("\x12\x05hi", 4),       // length past the end
           std::string("\x08\x80", 2),         // varint cut short
           std::string("\x00\x01", 2),         // field number 0
           std::string("\x0b", 1),             // group start
           std::string("\x19\x01\x02", 3),     // fixed64 cut short
       }) {
    WireReader r(bad);
    while (r.Next()) {
    }
    EXPECT_FALSE(r.ok()) << testing::PrintToString(bad);
  }
}

}  // namespace
}  // namespace policyd
