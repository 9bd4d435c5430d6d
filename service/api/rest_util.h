// What the handlers of OPA's REST API share: OPA's error bodies, the
// decoding of paths and query parameters, and JSON bodies (compact, or
// indented as Go's json.MarshalIndent for `?pretty=true`).
#ifndef POLICYD_SERVICE_API_REST_UTIL_H_
#define POLICYD_SERVICE_API_REST_UTIL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "engine/value/value.h"
#include "service/transport/http_server.h"
#include "util/percent.h"

namespace policyd {

// {"code": CODE, "message": MESSAGE} with `status`.
HttpResponse RestError(int status, std::string_view code,
                       std::string_view message);

// An engine or decider error as OPA answers it: 400 invalid_parameter
// (bad request, compile errors), 503 unavailable (no policy yet), 504
// (deadline), 500 internal_error (evaluation errors).
HttpResponse RestErrorFor(const absl::Status& status);

// 400 invalid_parameter with OPA's list of errors (one per line of
// `status`: {"code", "message", "location"}).
HttpResponse RestErrorList(std::string_view message, const absl::Status& status);

// The decoded values of query parameter `name`, in order.
std::vector<std::string> QueryValues(std::string_view query, std::string_view name);

// OPA's boolean parameters: true when present with no value or with a value
// that reads as true ("true", "1", "t", "TRUE", ...).
bool QueryFlag(std::string_view query, std::string_view name);

// The "/"-separated segments of a decoded data path ("a/b" -> {a, b}),
// without empty ones.
std::vector<std::string> PathSegments(std::string_view path);

// `value` as a response body: compact, or indented when `pretty`.
std::string JsonBody(const Value& value, bool pretty);

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_REST_UTIL_H_
