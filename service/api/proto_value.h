// Conversions between google.protobuf.Value/Struct and Value, direct (no
// JSON text in between).
#ifndef POLICYD_SERVICE_API_PROTO_VALUE_H_
#define POLICYD_SERVICE_API_PROTO_VALUE_H_

#include "absl/status/statusor.h"
#include "engine/value/value.h"
#include "google/protobuf/struct.pb.h"

namespace policyd {

// An unset Value (no kind) is an error, as are NaN and infinite numbers.
// Integral numbers become integers (protobuf numbers are doubles).
absl::StatusOr<Value> ValueFromProto(const google::protobuf::Value& proto);
Value ValueFromProto(const google::protobuf::Struct& proto);

// Sets become lists; object keys that are not strings are written as their
// JSON text (as OPA does when it writes such objects as JSON); numbers
// become doubles.
void ValueToProto(const Value& value, google::protobuf::Value* proto);
// `value` must be an object.
void ObjectToStruct(const Value& value, google::protobuf::Struct* proto);

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_PROTO_VALUE_H_
