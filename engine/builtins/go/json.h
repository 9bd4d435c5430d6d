// Value -> JSON text exactly as OPA produces it: OPA converts a value to Go
// data (sets become sorted arrays, a non-string object key becomes its compact
// JSON text) and encodes it with Go's encoding/json, which sorts object keys
// bytewise, escapes <, > and & (\u003c ...), U+2028 and U+2029, and replaces
// invalid UTF-8 with U+FFFD. Numbers are written as their Value text.
#ifndef POLICYD_ENGINE_BUILTINS_GO_JSON_H_
#define POLICYD_ENGINE_BUILTINS_GO_JSON_H_

#include <string>
#include <string_view>

#include "engine/value/value.h"

namespace policyd {

// json.Marshal: compact.
std::string GoJsonMarshal(const Value& value);

// json.MarshalIndent: each nested line starts with `prefix` followed by one
// `indent` per level; the first line carries no prefix; empty arrays and
// objects stay "[]" and "{}".
std::string GoJsonMarshalIndent(const Value& value, std::string_view prefix,
                                std::string_view indent);

// The string an object key becomes in Go data: a string key unchanged, any
// other key its compact JSON text (1 -> "1", [1] -> "[1]").
std::string GoJsonKey(const Value& key);

// Appends `s` as a quoted JSON string with Go's escaping rules.
void AppendGoJsonString(std::string_view s, std::string* out);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_GO_JSON_H_
