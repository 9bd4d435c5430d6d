// Who may call OPA's REST API, as OPA's `--authentication` and
// `--authorization` flags decide (both off by default):
//  - token authentication: the bearer token of the `Authorization` header
//    is the caller's identity (it is not checked by itself);
//  - basic authorization: the policy at `data.system.authz.allow` decides
//    each call, with OPA's input {"identity", "method", "path" (segments),
//    "params" (name -> values), "headers" (canonical name -> values)};
//    anything but `true` answers 401 {"code": "unauthorized", ...}.
#ifndef POLICYD_SERVICE_API_REST_ACCESS_H_
#define POLICYD_SERVICE_API_REST_ACCESS_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "bundles/snapshot.h"
#include "engine/value/value.h"
#include "service/transport/http_server.h"

namespace policyd {

struct RestAccess {
  bool token_authentication = false;
  bool basic_authorization = false;
};

// The input OPA gives the authorization policy for `request`.
Value AuthorizationInput(const HttpRequest& request,
                         const std::optional<std::string>& identity);

// nullopt when the call may go ahead; otherwise the answer refusing it.
std::optional<HttpResponse> CheckAccess(const HttpRequest& request,
                                        const RestAccess& access,
                                        const bundles::Snapshot& snapshot,
                                        absl::Time deadline);

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_REST_ACCESS_H_
