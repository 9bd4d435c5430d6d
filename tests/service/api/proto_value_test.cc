#include "service/api/proto_value.h"

#include <cmath>

#include "engine/value/json.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(ProtoValueTest, RoundTrip) {
  Value v = *ParseJson(R"({"a": [1, 2.5, "s", true, null], "b": {"c": -3}})");
  google::protobuf::Value proto;
  ValueToProto(v, &proto);
  EXPECT_EQ(proto.struct_value().fields().at("b").struct_value().fields().at("c")
                .number_value(), -3);
  absl::StatusOr<Value> back = ValueFromProto(proto);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, v);
}

TEST(ProtoValueTest, IntegralNumbersBecomeIntegers) {
  google::protobuf::Value proto;
  proto.set_number_value(42);
  EXPECT_EQ(ValueFromProto(proto)->ToJson(), "42");
}

TEST(ProtoValueTest, SetsBecomeLists) {
  google::protobuf::Value proto;
  ValueToProto(Value::Set({Value::Int(2), Value::Int(1)}), &proto);
  ASSERT_EQ(proto.list_value().values_size(), 2);
  EXPECT_EQ(proto.list_value().values(0).number_value(), 1);
}

TEST(ProtoValueTest, UnsetAndNonFiniteAreErrors) {
  EXPECT_FALSE(ValueFromProto(google::protobuf::Value()).ok());
  google::protobuf::Value nan;
  nan.set_number_value(std::nan(""));
  EXPECT_FALSE(ValueFromProto(nan).ok());
}

}  // namespace
}  // namespace policyd
