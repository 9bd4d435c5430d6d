// Operand kinds of the builtins whose calls the compiler type-checks, as
// OPA's builtin signatures declare them. A call with a constant argument of
// another kind is a rego_type_error at compile time, as in OPA.
#include <string>
#include <utility>
#include <vector>

#include "engine/builtins/builtin.h"

namespace policyd {
namespace {

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
  };
  for (const auto& [name, kinds] : signatures) registry.DeclareOperandKinds(name, kinds);
}

}  // namespace policyd
