// The request object of http.send, which providers.aws.sign_req also takes:
// the checks OPA makes on its keys before using it.
#ifndef POLICYD_ENGINE_BUILTINS_HTTP_REQUEST_H_
#define POLICYD_ENGINE_BUILTINS_HTTP_REQUEST_H_

#include <string_view>

#include "absl/status/status.h"
#include "engine/value/value.h"

namespace policyd {

// OK when the object `request` has only keys http.send knows and both
// "method" and "url". Otherwise OPA's operand error (eval_type_error) for
// builtin NAME, operand POS:
//   NAME: operand POS invalid request parameters(s): {"bad_key"}
//   NAME: operand POS missing required request parameters(s): {"url"}
// Precondition: request.is_object().
absl::Status CheckHttpRequestKeys(std::string_view name, int pos, const Value& request);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_HTTP_REQUEST_H_
