#include "service/api/proto_value.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace policyd {
namespace {

absl::StatusOr<Value> FromStruct(const google::protobuf::Struct& proto);

Value NumberValue(double d) {
  if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0) {
    return Value::Int(static_cast<int64_t>(d));
  }
  return *Value::Double(d);
}

absl::StatusOr<Value> FromValue(const google::protobuf::Value& proto) {
  switch (proto.kind_case()) {
    case google::protobuf::Value::kNullValue:
      return Value::Null();
    case google::protobuf::Value::kBoolValue:
      return Value::Bool(proto.bool_value());
    case google::protobuf::Value::kNumberValue: {
      double d = proto.number_value();
      if (!std::isfinite(d)) {
        return absl::InvalidArgumentError(
            "input: numbers must be finite (no NaN or infinity)");
      }
      return NumberValue(d);
    }
    case google::protobuf::Value::kStringValue:
      return Value::String(proto.string_value());
    case google::protobuf::Value::kListValue: {
      std::vector<Value> elems;
      elems.reserve(proto.list_value().values_size());
      for (const auto& v : proto.list_value().values()) {
        POLICYD_ASSIGN_OR_RETURN(Value elem, FromValue(v));
        elems.push_back(std::move(elem));
      }
      return Value::Array(std::move(elems));
    }
    case google::protobuf::Value::kStructValue:
      return FromStruct(proto.struct_value());
    case google::protobuf::Value::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("input: a google.protobuf.Value has no kind set");
}

absl::StatusOr<Value> FromStruct(const google::protobuf::Struct& proto) {
  std::vector<ObjectEntry> entries;
  entries.reserve(proto.fields_size());
  for (const auto& [key, v] : proto.fields()) {
    POLICYD_ASSIGN_OR_RETURN(Value value, FromValue(v));
    entries.emplace_back(Value::String(key), std::move(value));
  }
  return Value::Object(std::move(entries));
}

}  // namespace

absl::StatusOr<Value> ValueFromProto(const google::protobuf::Value& proto) {
  return FromValue(proto);
}

Value ValueFromProto(const google::protobuf::Struct& proto) {
  absl::StatusOr<Value> value = FromStruct(proto);
  return value.ok() ? *std::move(value) : Value::Object({});
}

void ObjectToStruct(const Value& value, google::protobuf::Struct* proto) {
  auto* fields = proto->mutable_fields();
  for (const auto& [key, v] : value.entries()) {
    std::string name = key.is_string() ? std::string(key.string()) : key.ToJson();
    ValueToProto(v, &(*fields)[name]);
  }
}

void ValueToProto(const Value& value, google::protobuf::Value* proto) {
  switch (value.kind()) {
    case Kind::kNull:
      proto->set_null_value(google::protobuf::NULL_VALUE);
      return;
    case Kind::kBoolean:
      proto->set_bool_value(value.boolean());
      return;
    case Kind::kNumber:
      proto->set_number_value(value.AsDouble());
      return;
    case Kind::kString:
      proto->set_string_value(std::string(value.string()));
      return;
    case Kind::kArray:
    case Kind::kSet: {
      auto* list = proto->mutable_list_value();
      for (const Value& elem : value.elements()) {
        ValueToProto(elem, list->add_values());
      }
      return;
    }
    case Kind::kObject:
      ObjectToStruct(value, proto->mutable_struct_value());
      return;
  }
}

}  // namespace policyd
