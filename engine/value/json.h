// JSON text to Value. Numbers keep their literal text; objects may arrive in
// any key order. Errors name the byte offset (and line:col) of the problem.
#ifndef POLICYD_ENGINE_VALUE_JSON_H_
#define POLICYD_ENGINE_VALUE_JSON_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd {

absl::StatusOr<Value> ParseJson(std::string_view text);

}  // namespace policyd

#endif  // POLICYD_ENGINE_VALUE_JSON_H_
