// Envoy external authorization (ext_authz v3) as OPA's Envoy plugin does it,
// so that policies written for it work unchanged:
//
// The input document is the CheckRequest in protobuf's JSON form (field
// names in lowerCamelCase, `attributes.request.http.headers`,
// `attributes.source.address.socketAddress.portValue`, ...) plus
//   parsed_path     the path's segments, unescaped (["api", "v1"])
//   parsed_query    {name: [values]} from the query string
//   parsed_body     the body parsed as JSON or as a form, per Content-Type;
//                   null when absent, unparsed or truncated
//   truncated_body  Content-Length says more than Envoy sent
//   version         {"encoding": "protojson", "ext_authz": "v3"}
//
// The decision is a boolean (allowed or not) or an object with `allowed`
// and optionally `headers`, `response_headers_to_add`,
// `request_headers_to_remove`, `query_parameters_to_set`,
// `query_parameters_to_remove`, `body`, `http_status` and
// `dynamic_metadata`. Undefined or an error denies.
#ifndef POLICYD_SERVICE_ENVOY_EXT_AUTHZ_H_
#define POLICYD_SERVICE_ENVOY_EXT_AUTHZ_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/value/value.h"
#include "envoy/service/auth/v3/external_auth.pb.h"
#include "service/service_metrics.h"

namespace policyd {

// The input document of a CheckRequest, decoded from its protobuf wire
// bytes (what the service receives). InvalidArgument when the bytes are not
// a CheckRequest, or the body claims JSON and is malformed.
absl::StatusOr<Value> CheckRequestToInput(std::string_view wire);
// The same for a message (clients, tests).
absl::StatusOr<Value> CheckRequestToInput(
    const envoy::service::auth::v3::CheckRequest& request);

struct AuthzDecision {
  std::optional<Value> result;  // nullopt: undefined
  absl::Status status;          // evaluation error
  std::string decision_id;
};

// Fills `response` from the decision; returns the outcome for metrics. A
// malformed decision object counts as an error (and denies). With `dry_run`
// the response always allows; the outcome is still the real one.
Outcome CheckResponseFromDecision(const AuthzDecision& decision, bool dry_run,
                                  envoy::service::auth::v3::CheckResponse* response);

}  // namespace policyd

#endif  // POLICYD_SERVICE_ENVOY_EXT_AUTHZ_H_
