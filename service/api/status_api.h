// OPA's GET /v1/config and GET /v1/status, with the parts that apply to
// policyd: the labels, the decisions the server answers, the bundle
// verification keys (their material left out, as OPA redacts it), and per
// bundle the active revision, last activation and errors.
#ifndef POLICYD_SERVICE_API_STATUS_API_H_
#define POLICYD_SERVICE_API_STATUS_API_H_

#include "bundles/store.h"
#include "engine/value/value.h"
#include "service/transport/http_server.h"

namespace policyd {

// {"result": config}.
HttpResponse ConfigResponse(const Value& config, bool pretty);

// {"result": {"labels": labels, "bundles": {NAME: {"name",
// "active_revision", "last_successful_activation", "errors"}},
// "plugins": {"bundle": {"state": "OK"|"NOT_READY"|"ERROR"}}}}.
HttpResponse StatusResponse(const bundles::StoreStatus& status,
                            const Value& labels, bool pretty);

// A time as Go's RFC 3339 with nanoseconds, in UTC.
std::string Rfc3339(absl::Time time);

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_STATUS_API_H_
