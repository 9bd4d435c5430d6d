// Operand kinds of the builtins whose calls the compiler type-checks, as
// OPA's builtin signatures declare them. A call whose argument can only be
// of another kind (a constant, or a term whose type is inferred) is a
// rego_type_error at compile time, as in OPA (engine/compile/type_check.h).
#include <string>
#include <utility>
#include <vector>

#include "engine/builtins/builtin.h"

namespace policyd {
namespace {

constexpr uint8_t kNull = KindBit(Kind::kNull);
constexpr uint8_t kBoolean = KindBit(Kind::kBoolean);
constexpr uint8_t kNumber = KindBit(Kind::kNumber);
constexpr uint8_t kString = KindBit(Kind::kString);
constexpr uint8_t kArray = KindBit(Kind::kArray);
constexpr uint8_t kObject = KindBit(Kind::kObject);
constexpr uint8_t kSet = KindBit(Kind::kSet);
constexpr uint8_t kAny = 0x7f;
constexpr uint8_t kCollection = kArray | kSet;

}  // namespace

void DeclareBuiltinSignatures(BuiltinRegistry& registry) {
  const std::vector<std::pair<std::string, std::vector<uint8_t>>> signatures = {
      {"plus", {kNumber, kNumber}},
      {"minus", {kNumber | kSet, kNumber | kSet}},
      {"mul", {kNumber, kNumber}},
      {"div", {kNumber, kNumber}},
      {"rem", {kNumber, kNumber}},
      {"abs", {kNumber}},
      {"round", {kNumber}},
      {"ceil", {kNumber}},
      {"floor", {kNumber}},
      {"numbers.range", {kNumber, kNumber}},
      {"count", {kArray | kObject | kSet | kString}},
      {"sum", {kCollection}},
      {"product", {kCollection}},
      {"max", {kCollection}},
      {"min", {kCollection}},
      {"sort", {kCollection}},
      {"concat", {kString, kCollection}},
      {"contains", {kString, kString}},
      {"startswith", {kString, kString}},
      {"endswith", {kString, kString}},
      {"lower", {kString}},
      {"upper", {kString}},
      {"split", {kString, kString}},
      {"replace", {kString, kString, kString}},
      {"substring", {kString, kNumber, kNumber}},
      {"indexof", {kString, kString}},
      {"trim", {kString, kString}},
      {"trim_left", {kString, kString}},
      {"trim_right", {kString, kString}},
      {"trim_prefix", {kString, kString}},
      {"trim_suffix", {kString, kString}},
      {"trim_space", {kString}},
      {"strings.replace_n", {kObject, kString}},
      {"strings.reverse", {kString}},
      {"sprintf", {kString, kArray}},
      {"format_int", {kNumber, kNumber}},
      {"object.get", {kObject, kAny, kAny}},
      {"object.keys", {kObject}},
      {"object.union", {kObject, kObject}},
      {"array.concat", {kArray, kArray}},
      {"array.slice", {kArray, kNumber, kNumber}},
      {"array.reverse", {kArray}},
      {"json.unmarshal", {kString}},
      {"regex.match", {kString, kString}},
      {"regex.split", {kString, kString}},
      {"regex.replace", {kString, kString, kString}},
      {"regex.find_n", {kString, kString, kNumber}},
      {"strings.any_prefix_match", {kString | kCollection, kString | kCollection}},
      {"strings.any_suffix_match", {kString | kCollection, kString | kCollection}},
      {"to_number", {kNull | kBoolean | kNumber | kString}},
      // sets and objects
      {"intersection", {kSet}},
      {"union", {kSet}},
      {"object.remove", {kObject, kCollection | kObject}},
      {"object.filter", {kObject, kCollection | kObject}},
      // encodings
      {"base64.encode", {kString}},
      {"base64.decode", {kString}},
      {"base64url.encode", {kString}},
      {"base64url.decode", {kString}},
      {"hex.encode", {kString}},
      {"hex.decode", {kString}},
      {"urlquery.encode", {kString}},
      {"urlquery.decode", {kString}},
      {"yaml.unmarshal", {kString}},
      {"crypto.md5", {kString}},
      {"crypto.sha1", {kString}},
      {"crypto.sha256", {kString}},
      {"io.jwt.decode", {kString}},
      // time, net, units, semver, glob
      {"time.parse_rfc3339_ns", {kString}},
      {"time.parse_duration_ns", {kString}},
      {"time.parse_ns", {kString, kString}},
      {"time.add_date", {kNumber, kNumber, kNumber, kNumber}},
      {"net.cidr_contains", {kString, kString}},
      {"net.cidr_intersects", {kString, kString}},
      {"net.cidr_expand", {kString}},
      {"units.parse", {kString}},
      {"units.parse_bytes", {kString}},
      {"semver.compare", {kString, kString}},
      {"glob.match", {kString, kArray | kNull, kString}},
  };
  for (const auto& [name, kinds] : signatures) registry.DeclareOperandKinds(name, kinds);
}

}  // namespace policyd
