// OPA's Policy API:
//   GET    /v1/policies        {"result": [{"id": ID, "raw": TEXT}, ...]}:
//                              the bundles' modules (id BUNDLE/PATH) and
//                              those put through the API
//   GET    /v1/policies/{id}   {"result": {"id": ID, "raw": TEXT}}; 404
//   PUT    /v1/policies/{id}   the body is a Rego (v1) module; it joins the
//                              next snapshot beside the bundles. 400 with
//                              OPA's error list on a parse or compile error
//                              (nothing changes), and when its package lies
//                              within a bundle's roots
//   DELETE /v1/policies/{id}   removes a module put through the API; 404
// OPA's "ast" member of a policy is not given (policyd keeps no JSON AST).
#ifndef POLICYD_SERVICE_API_POLICIES_API_H_
#define POLICYD_SERVICE_API_POLICIES_API_H_

#include <string>

#include "bundles/store.h"
#include "service/transport/http_server.h"

namespace policyd {

// `id` is the decoded path after /v1/policies/ ("" for the list). `pretty`
// indents the body.
HttpResponse HandlePolicies(const HttpRequest& request, const std::string& id,
                            bool pretty, bundles::Store* store);

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_POLICIES_API_H_
